"""Answering the validated measures (issue 18): one statement at a time from the DM's buttons, or a wave
at once in a form; and `/mentor progress`, a person's own scores over the waves.

An answer is taken only from someone the wave was sent to, for their own pair (the outbox key that asked
them is the record), and only for a statement asked of their side; anything else is refused whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.measure_figures import as_rule_answers
from bot.rules.measures import own_scores
from bot.services import Services
from domain.anonymity import effective_k
from domain.measures import Item, ScaleScore, Wave, wave_key
from domain.roles import Role
from prompts.measures import items_for, scales
from store import events, measures, programme_close, programmes
from store import pairs as pair_store
from store.models import Pair


@dataclass(frozen=True)
class Asked:
    """A wave a person was asked, for their pair: what they may answer."""

    wave: Wave
    pair: Pair
    role: Role
    items: tuple[Item, ...]
    programme_name: str
    k: int


@dataclass(frozen=True)
class Answered:
    """One statement answered (or skipped), and what comes next: another statement, or the end of the wave."""

    asked: Asked
    item: Item
    value: int | None
    next_item: Item | None
    position: int  # of the next statement, counted from 1
    answered: int  # statements of the wave with an answer so far
    changed: bool  # False: the same answer again (a second click), so nothing more is sent


async def _asked(session: AsyncSession, *, team_id: str, user_id: str, wave: Wave, pair_id: int) -> Asked | None:
    pair = await pair_store.get_pair(session, team_id=team_id, pair_id=pair_id)
    if pair is None or user_id not in (pair.mentor_id, pair.mentee_id):
        return None
    key = wave_key(wave, pair.programme_id, pair.id or 0, user_id)
    if key not in await programme_close.outbox_keys(session, team_id=team_id, prefix=key):
        return None
    programme = await programmes.get_programme(session, team_id=team_id, programme_id=pair.programme_id)
    if programme is None:
        return None
    role = pair_store.role_in(pair, user_id)
    return Asked(wave=wave, pair=pair, role=role, items=items_for(role), programme_name=programme.name, k=effective_k(programme.k_anonymity))


async def answer(
    services: Services, *, team_id: str, user_id: str, wave: Wave, pair_id: int, item_key: str, value: int | None, now: datetime
) -> Answered | None:
    """Save one answer (None: skipped) and say what comes next; None when this person was not asked it."""
    async with services.sessions.begin() as session:
        asked = await _asked(session, team_id=team_id, user_id=user_id, wave=wave, pair_id=pair_id)
        keys = [item.key for item in asked.items] if asked else []
        if asked is None or item_key not in keys:
            return None
        changed = await measures.save_answer(
            session, team_id=team_id, pair=asked.pair, user_id=user_id, role=asked.role, wave=wave, item_key=item_key, value=value, now=now
        )
        given = await measures.wave_answers(session, team_id=team_id, pair_id=pair_id, user_id=user_id, wave=wave)
    index = keys.index(item_key)
    following = asked.items[index + 1] if index + 1 < len(keys) else None
    return Answered(asked=asked, item=asked.items[index], value=value, next_item=following, position=index + 2, answered=answered_count(given), changed=changed)


def answered_count(answers: dict[str, int | None]) -> int:
    return sum(1 for value in answers.values() if value is not None)


@dataclass(frozen=True)
class Form:
    asked: Asked
    answers: dict[str, int | None] = field(default_factory=dict)


async def open_form(services: Services, *, team_id: str, user_id: str, wave: Wave, pair_id: int) -> Form | None:
    """The wave's statements with the answers given so far; None when this person was not asked it."""
    async with services.sessions.begin() as session:
        asked = await _asked(session, team_id=team_id, user_id=user_id, wave=wave, pair_id=pair_id)
        if asked is None:
            return None
        return Form(asked, await measures.wave_answers(session, team_id=team_id, pair_id=pair_id, user_id=user_id, wave=wave))


async def submit_form(
    services: Services, *, team_id: str, user_id: str, wave: Wave, pair_id: int, view_id: str, answers: dict[str, int | None], now: datetime
) -> Form | None:
    """Save the form's answers in one transaction (a blank is a skip); None when not asked or sent again."""
    async with services.sessions.begin() as session:
        asked = await _asked(session, team_id=team_id, user_id=user_id, wave=wave, pair_id=pair_id)
        if asked is None or not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return None
        for item in asked.items:
            await measures.save_answer(
                session, team_id=team_id, pair=asked.pair, user_id=user_id, role=asked.role, wave=wave, item_key=item.key, value=answers.get(item.key), now=now
            )
        return Form(asked, await measures.wave_answers(session, team_id=team_id, pair_id=pair_id, user_id=user_id, wave=wave))


async def progress(services: Services, *, team_id: str, user_id: str) -> dict[Wave, list[ScaleScore]]:
    """`/mentor progress`: the person's own scale scores by wave, read from their own answers only."""
    async with services.sessions.begin() as session:
        rows = await measures.own_answers(session, team_id=team_id, user_id=user_id)
    return own_scores(as_rule_answers(rows), scales())
