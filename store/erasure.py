"""A person's erasure: what they wrote emptied, their answers detached by an anonymous token.

Numbers, statuses and dates stay, so the programme's figures still add up. Which columns it empties
and where a person's id can sit are listed in store/privacy.py, with tests that hold this to them;
messages to others are searched for the person's id and words (`_erase_from_messages_to_others`).
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import SQLModel, col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.erasure import Erasure
from domain.statuses import OutboxStatus, PairStatus
from store.calendars import erase_calendars
from store.installations import installations_table
from store.models import (
    Action,
    Charter,
    CheckIn,
    Enrolment,
    Goal,
    MeasureAnswer,
    MentoringSession,
    OrgChartEntry,
    Outbox,
    Pair,
    Person,
    Programme,
    ProgrammeAdmin,
    ProgrammeChoice,
    ProgrammeTemplate,
    Reflection,
    RoadmapItem,
    Topic,
)

TOKEN_PREFIX = "deleted-"
# Shorter texts are not searched for in messages to others: "ok" would match half of them.
SHORTEST_TEXT_SOUGHT = 3


def new_token() -> str:
    """An anonymous stand-in for a deleted person's user id: random, so nothing can link it back to them."""
    return TOKEN_PREFIX + secrets.token_hex(8)


async def _replace(session: AsyncSession, model: type[SQLModel], column: str, *, team_id: str, user_id: str, token: str, **erase: object) -> int:
    """`column` = user_id becomes the token, with the given text columns erased; the number of rows."""
    target = getattr(model, column)
    result = await session.exec(update(model).where(col(model.team_id) == team_id, col(target) == user_id).values({column: token, **erase}))
    return result.rowcount


def _forms(text: str) -> set[str]:
    """How a text can sit in a stored message: as typed, escaped for mrkdwn (prompts' one helper), JSON-quoted."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return {form for plain in (text, escaped) for form in (plain, json.dumps(plain)[1:-1])}


async def _texts_of(session: AsyncSession, *, team_id: str, user_id: str, own_topic_ids: list[int]) -> set[str]:
    """Everything the person typed, read before it is erased, to find it again in messages to others."""
    async def values(*columns: object, where: object) -> list[str]:
        rows = (await session.exec(select(*columns).where(where))).all()  # type: ignore[call-overload]
        cells = [cell for row in rows for cell in ((row,) if row is None or isinstance(row, str) else tuple(row))]  # one column comes as scalars
        return [cell for cell in cells if isinstance(cell, str)]

    texts: list[str] = []
    texts += await values(Goal.text, Goal.org_benefit, Goal.note, where=(col(Goal.team_id) == team_id) & (col(Goal.owner_id) == user_id))
    texts += await values(Action.text, where=(col(Action.team_id) == team_id) & (col(Action.owner_id) == user_id))
    texts += await values(Reflection.learning, where=(col(Reflection.team_id) == team_id) & (col(Reflection.author_id) == user_id))
    texts += await values(
        CheckIn.change, CheckIn.what_changed, CheckIn.organisation_should, where=(col(CheckIn.team_id) == team_id) & (col(CheckIn.user_id) == user_id)
    )
    texts += await values(MentoringSession.cancel_reason, where=(col(MentoringSession.team_id) == team_id) & (col(MentoringSession.cancelled_by) == user_id))
    texts += await values(
        MentoringSession.reschedule_reason, where=(col(MentoringSession.team_id) == team_id) & (col(MentoringSession.rescheduled_by) == user_id)
    )
    texts += await values(MentoringSession.location, where=(col(MentoringSession.team_id) == team_id) & (col(MentoringSession.booked_by) == user_id))
    texts += await values(Topic.title, where=(col(Topic.team_id) == team_id) & col(Topic.id).in_(own_topic_ids))
    texts += await values(Person.name, where=(col(Person.team_id) == team_id) & (col(Person.user_id) == user_id))
    return {text.strip() for text in texts if len(text.strip()) >= SHORTEST_TEXT_SOUGHT}


async def _erase_from_messages_to_others(
    session: AsyncSession, *, team_id: str, user_id: str, token: str, texts: set[str], partner_ids: set[str]
) -> int:
    """Messages to anyone else that name the person (a partner's "<@them> cancelled", an admin's
    escalation), and messages to their partners that carry their words (the reason, a shared
    reflection): withdrawn if not sent yet, and their stored text emptied either way.

    Words are sought only in messages to partners, the only people they are sent to: a short
    text ("Zoom") would otherwise withdraw a stranger's reminder. Payloads are encrypted, so they are
    read and searched here; erasure is rare and one workspace's outbox is small enough for that.
    """
    words = {form for text in texts for form in _forms(text)}
    rows = (
        await session.exec(
            select(Outbox.id, Outbox.key, Outbox.recipient_id, Outbox.status, Outbox.payload, Outbox.last_error).where(
                col(Outbox.team_id) == team_id, col(Outbox.recipient_id) != user_id
            )
        )
    ).all()
    erased = 0
    for message_id, key, recipient_id, status, payload, last_error in rows:
        stored = f"{key}\n{payload}\n{last_error}"
        sought = {user_id} | (words if recipient_id in partner_ids else set())
        if not any(form in stored for form in sought):
            continue
        values: dict[str, object] = {"key": key.replace(user_id, token), "payload": "", "last_error": ""}
        if status in (OutboxStatus.PENDING, OutboxStatus.CLAIMED):
            values.update(status=OutboxStatus.WITHDRAWN, claimed_by=None, lease_until=None)
        result = await session.exec(update(Outbox).where(col(Outbox.id) == message_id).values(**values))
        erased += result.rowcount
    return erased


async def erase_person(session: AsyncSession, *, team_id: str, user_id: str, now: datetime, token: str | None = None) -> Erasure:
    """Erase what the person wrote and detach their answers; the caller's one transaction makes it all or nothing.

    Their open pairs end (the pair cannot go on without them); the partner's own rows are untouched,
    except messages to the partner (or anyone) that name the person or carry their words.
    Keys and recipients of their messages are rewritten too, since an outbox key names its recipient.
    """
    erasure = Erasure(token=token or new_token())
    token = erasure.token
    pairs = list(
        (await session.exec(select(Pair).where(col(Pair.team_id) == team_id, or_(col(Pair.mentor_id) == user_id, col(Pair.mentee_id) == user_id)))).all()
    )
    own_topic_ids = list((await session.exec(select(Topic.id).where(col(Topic.team_id) == team_id, col(Topic.created_by) == user_id))).all())
    # Read first: the erasure below empties the very texts to look for in messages to others.
    texts = await _texts_of(session, team_id=team_id, user_id=user_id, own_topic_ids=own_topic_ids)
    partner_ids = {pair.mentee_id if pair.mentor_id == user_id else pair.mentor_id for pair in pairs}
    erasure.messages += await _erase_from_messages_to_others(
        session, team_id=team_id, user_id=user_id, token=token, texts=texts, partner_ids=partner_ids
    )

    as_mentor = [pair.id for pair in pairs if pair.mentor_id == user_id]
    as_mentee = [pair.id for pair in pairs if pair.mentee_id == user_id]
    if as_mentor:
        result = await session.exec(update(Charter).where(col(Charter.team_id) == team_id, col(Charter.pair_id).in_(as_mentor), col(Charter.mentor_responsibilities) != "").values(mentor_responsibilities=""))
        erasure.charters += result.rowcount
    if as_mentee:
        result = await session.exec(update(Charter).where(col(Charter.team_id) == team_id, col(Charter.pair_id).in_(as_mentee), col(Charter.mentee_responsibilities) != "").values(mentee_responsibilities=""))
        erasure.charters += result.rowcount
    await _replace(session, Charter, "updated_by", team_id=team_id, user_id=user_id, token=token)
    erasure.cancellations = await _replace(session, MentoringSession, "cancelled_by", team_id=team_id, user_id=user_id, token=token, cancel_reason="")
    # A place is typed by whoever booked or moved the session.
    await _replace(session, MentoringSession, "booked_by", team_id=team_id, user_id=user_id, token=token, location="")
    await _replace(session, MentoringSession, "rescheduled_by", team_id=team_id, user_id=user_id, token=token, reschedule_reason="", location="")

    for pair in pairs:
        if pair.status == PairStatus.ENDED:
            continue
        partner_id = pair.mentee_id if pair.mentor_id == user_id else pair.mentor_id  # read before the updates below refresh `pair`
        # Conditional, so an erasure racing this one (a double submit on two replicas) ends the pair, and tells the partner, once.
        ended = await session.exec(
            update(Pair)
            .where(col(Pair.team_id) == team_id, col(Pair.id) == pair.id, col(Pair.status) != PairStatus.ENDED)
            .values(status=PairStatus.ENDED, ended_at=now, paused_until=None)
        )
        if ended.rowcount == 1:
            erasure.partners_left.append(partner_id)
            erasure.ended_in.append((pair.programme_id, partner_id))
    erasure.pairs = await _replace(session, Pair, "mentor_id", team_id=team_id, user_id=user_id, token=token)
    erasure.pairs += await _replace(session, Pair, "mentee_id", team_id=team_id, user_id=user_id, token=token)

    erasure.goals = await _replace(session, Goal, "owner_id", team_id=team_id, user_id=user_id, token=token, text="", org_benefit="", note="")
    erasure.reflections = await _replace(session, Reflection, "author_id", team_id=team_id, user_id=user_id, token=token, learning="", shared=False, open_messages="")
    erasure.actions = await _replace(session, Action, "owner_id", team_id=team_id, user_id=user_id, token=token, text="")
    erasure.check_ins = await _replace(
        session, CheckIn, "user_id", team_id=team_id, user_id=user_id, token=token, change="", what_changed="", organisation_should=""
    )
    erasure.topics = await _replace(session, Topic, "created_by", team_id=team_id, user_id=user_id, token=token, title="")
    if own_topic_ids:
        # Their own topic's title is copied onto the roadmap and the sessions that took it up.
        own_keys = [f"own:{topic_id}" for topic_id in own_topic_ids]
        await session.exec(update(RoadmapItem).where(col(RoadmapItem.team_id) == team_id, col(RoadmapItem.topic_key).in_(own_keys)).values(title=""))
        await session.exec(
            update(MentoringSession).where(col(MentoringSession.team_id) == team_id, col(MentoringSession.topic_key).in_(own_keys)).values(topic="")
        )

    # The validated measures' answers are deleted, not detached: they leave every figure from now on.
    result = await session.exec(delete(MeasureAnswer).where(col(MeasureAnswer.team_id) == team_id, col(MeasureAnswer.user_id) == user_id))
    erasure.measure_answers = result.rowcount
    erasure.calendars = await erase_calendars(session, team_id=team_id, user_id=user_id)
    result = await session.exec(delete(Enrolment).where(col(Enrolment.team_id) == team_id, col(Enrolment.user_id) == user_id))
    erasure.enrolments = result.rowcount
    # Their place in the org chart goes; those who report to them keep the token as their manager, so
    # matching still keeps that reporting line apart.
    result = await session.exec(delete(OrgChartEntry).where(col(OrgChartEntry.team_id) == team_id, col(OrgChartEntry.user_id) == user_id))
    erasure.org_chart = result.rowcount
    await _replace(session, OrgChartEntry, "manager_id", team_id=team_id, user_id=user_id, token=token)
    # Running a programme ends with the erasure; who set it up is detached like the rest.
    await session.exec(delete(ProgrammeAdmin).where(col(ProgrammeAdmin.team_id) == team_id, col(ProgrammeAdmin.user_id) == user_id))
    await session.exec(delete(ProgrammeChoice).where(col(ProgrammeChoice.team_id) == team_id, col(ProgrammeChoice.user_id) == user_id))
    await _replace(session, Programme, "created_by", team_id=team_id, user_id=user_id, token=token)
    await _replace(session, ProgrammeTemplate, "created_by", team_id=team_id, user_id=user_id, token=token)
    # The person who installed the app: the workspace keeps its bot token, their own user token goes.
    await session.exec(
        update(installations_table)
        .where(installations_table.c.team_id == team_id, installations_table.c.user_id == user_id)
        .values(user_id=token, user_token=None, user_refresh_token=None, user_scopes=None, user_token_expires_at=None)
    )

    messages = (await session.exec(select(Outbox.id, Outbox.key, Outbox.status).where(col(Outbox.team_id) == team_id, col(Outbox.recipient_id) == user_id))).all()
    for message_id, key, status in messages:
        values: dict[str, object] = {
            "key": key.replace(user_id, token), "recipient_id": token, "payload": "", "last_error": "", "sent_channel": None, "sent_ts": None,
        }
        if status in (OutboxStatus.PENDING, OutboxStatus.CLAIMED):
            values.update(status=OutboxStatus.WITHDRAWN, claimed_by=None, lease_until=None)
        result = await session.exec(update(Outbox).where(col(Outbox.id) == message_id, col(Outbox.recipient_id) == user_id).values(**values))
        erasure.messages += result.rowcount

    erasure.profile = await _replace(
        session, Person, "user_id", team_id=team_id, user_id=user_id, token=token,
        name="", tz="UTC", department="", interests="", away_until=None, muted_nudges="", updated_at=now,
    )
    await session.flush()
    return erasure
