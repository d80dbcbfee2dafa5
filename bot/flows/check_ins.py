"""The mid-point check-in and the closing reflection: who may answer for a pair, and saving the
answers once (Submit pressed twice saves and thanks once). Words live in prompts/check_ins.py."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.services import Services
from domain.anonymity import effective_k
from store import events, programme_close, programmes
from store import pairs as pair_store


class Submitted(StrEnum):
    SAVED = "saved"
    NOT_IN_PAIR = "not_in_pair"  # a pair the person is not in, or one that is gone
    AGAIN = "again"  # Submit pressed again: the answers are saved and thanked for already


async def k_for_member(services: Services, *, team_id: str, user_id: str, pair_id: int) -> int | None:
    """The k the modal promises (answers only ever added up across at least k people); None
    when the person is not in this pair."""
    async with services.sessions.begin() as session:
        pair = await pair_store.get_pair(session, team_id=team_id, pair_id=pair_id)
        programme = await programmes.get_programme(session, team_id=team_id, programme_id=pair.programme_id) if pair else None
    if pair is None or programme is None or user_id not in (pair.mentor_id, pair.mentee_id):
        return None
    return effective_k(programme.k_anonymity)


async def submit(
    services: Services, *, team_id: str, user_id: str, pair_id: int, kind: str, view_id: str, answers: dict[str, object], now: datetime
) -> Submitted:
    """Save a member's check-in answers in one transaction, once per submitted view."""
    async with services.sessions.begin() as session:
        pair = await pair_store.get_pair(session, team_id=team_id, pair_id=pair_id)
        if pair is None or user_id not in (pair.mentor_id, pair.mentee_id):
            return Submitted.NOT_IN_PAIR
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return Submitted.AGAIN
        await programme_close.save_check_in(
            session, team_id=team_id, pair=pair, user_id=user_id, role=pair_store.role_in(pair, user_id), kind=kind, answers=answers, now=now
        )
    return Submitted.SAVED
