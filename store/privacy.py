"""A person's own data (to export or erase) and the retention purge of a programme's personal text.

What counts as personal text is found by type: every `EncryptedText` column of the domain is
something a person wrote (the OAuth tables' encrypted tokens aside), so the retention purge erases
a column added later without a change here; a test checks each is also in `ERASED_FOR_PERSON` or
`SHARED_TEXT`, so a person's erasure is not left behind. Numbers, statuses and dates stay, so the
programme's figures still add up; erased rows are detached from the person by an anonymous token.
Where a person's id can sit is listed too (`PERSON_ID_COLUMNS`), with a test that finds every column
named like one; messages to others are searched for the person's id and words (`_erase_from_messages_to_others`).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Column, Table, or_
from sqlmodel import SQLModel, col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import OutboxStatus, PairStatus
from store.crypto import EncryptedText
from store.installations import installations_table
from store.models import (
    Action,
    Charter,
    CheckIn,
    Enrolment,
    Goal,
    MentoringSession,
    Outbox,
    Pair,
    Person,
    Programme,
    ProgrammeAdmin,
    Reflection,
    RoadmapItem,
    Topic,
)

TOKEN_PREFIX = "deleted-"
# Encrypted columns a person's erasure leaves alone on purpose: a pair's shared ground rules, which
# both agreed to and the partner keeps. (Retention erases them with the rest.)
SHARED_TEXT = {("charter", "own_rules")}
# What `erase_person` empties, as (table, column).
ERASED_FOR_PERSON = {
    ("action", "text"),
    ("charter", "mentor_responsibilities"),  # the side the person was on
    ("charter", "mentee_responsibilities"),
    ("check_in", "change"),
    ("check_in", "what_changed"),
    ("check_in", "organisation_should"),
    ("goal", "text"),
    ("goal", "org_benefit"),
    ("goal", "note"),
    ("mentoring_session", "cancel_reason"),  # when they cancelled
    ("mentoring_session", "reschedule_reason"),  # when they moved a session
    ("outbox", "payload"),
    ("reflection", "learning"),
}
# Where a person's user id sits, as (table, column): `erase_person` deletes the row or puts the token in its place.
PERSON_ID_COLUMNS = {
    ("action", "owner_id"),
    ("charter", "updated_by"),
    ("check_in", "user_id"),
    ("enrolment", "user_id"),  # deleted
    ("goal", "owner_id"),
    ("mentoring_session", "booked_by"),
    ("mentoring_session", "cancelled_by"),
    ("mentoring_session", "rescheduled_by"),
    ("outbox", "recipient_id"),  # and any message to someone else that names them: withdrawn or emptied
    ("pair", "mentee_id"),
    ("pair", "mentor_id"),
    ("person", "user_id"),
    ("programme", "created_by"),
    ("programmeadmin", "user_id"),  # deleted
    ("reflection", "author_id"),
    ("slack_installations", "user_id"),  # the installer
    ("topic", "created_by"),
}
# Columns named like an id that never hold a person's: the workspace's, an app's, a bot's, a channel's, a replica's, a role.
NOT_A_PERSON = {
    ("outbox", "claimed_by"),
    ("processedevent", "event_id"),
    ("programme", "peer_channel_id"),
    ("reflection", "led_by"),
    ("workspace", "enterprise_id"),
    *((table, column) for table in ("slack_bots", "slack_installations") for column in ("client_id", "app_id", "enterprise_id", "bot_id", "bot_user_id")),
    ("slack_installations", "incoming_webhook_channel_id"),
}
CREDENTIAL_TABLES = {"slack_bots", "slack_installations", "keycheck"}  # encrypted tokens and the key check value, not anyone's words
# Plain-text columns that people type too, erased by the retention purge beside the encrypted ones.
PLAIN_TEXT = {("topic", "title"), ("mentoring_session", "location")}
# Shorter texts are not searched for in messages to others: "ok" would match half of them.
SHORTEST_TEXT_SOUGHT = 3


def new_token() -> str:
    """An anonymous stand-in for a deleted person's user id: random, so nothing can link it back to them."""
    return TOKEN_PREFIX + secrets.token_hex(8)


def personal_text_columns(table: Table) -> list[Column]:
    return [column for column in table.c if isinstance(column.type, EncryptedText)]


# --- export ------------------------------------------------------------------------------------------


@dataclass
class PersonalData:
    """Every row about one person that is theirs to see; never a partner's own answers or text."""

    user_id: str
    person: Person | None = None
    programmes: dict[int, Programme] = field(default_factory=dict)
    programmes_run: list[int] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    charters: list[Charter] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    reflections: list[Reflection] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    sessions: list[MentoringSession] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)
    messages: list[Outbox] = field(default_factory=list)


async def load_personal_data(session: AsyncSession, *, team_id: str, user_id: str) -> PersonalData:
    async def rows(statement) -> list:  # noqa: ANN001
        return list((await session.exec(statement)).all())

    data = PersonalData(user_id=user_id)
    data.person = (await session.exec(select(Person).where(Person.team_id == team_id, Person.user_id == user_id))).first()
    data.enrolments = await rows(select(Enrolment).where(Enrolment.team_id == team_id, Enrolment.user_id == user_id).order_by(col(Enrolment.id)))
    data.programmes_run = await rows(
        select(ProgrammeAdmin.programme_id).where(ProgrammeAdmin.team_id == team_id, ProgrammeAdmin.user_id == user_id).order_by(col(ProgrammeAdmin.programme_id))
    )
    data.pairs = await rows(
        select(Pair).where(Pair.team_id == team_id, or_(col(Pair.mentor_id) == user_id, col(Pair.mentee_id) == user_id)).order_by(col(Pair.id))
    )
    pair_ids = [pair.id for pair in data.pairs]
    programme_ids = {enrolment.programme_id for enrolment in data.enrolments} | {pair.programme_id for pair in data.pairs} | set(data.programmes_run)
    if programme_ids:
        found = await rows(select(Programme).where(Programme.team_id == team_id, col(Programme.id).in_(programme_ids)))
        data.programmes = {programme.id: programme for programme in found}
    if pair_ids:
        data.charters = await rows(select(Charter).where(Charter.team_id == team_id, col(Charter.pair_id).in_(pair_ids)).order_by(col(Charter.pair_id)))
        data.sessions = await rows(
            select(MentoringSession)
            .where(MentoringSession.team_id == team_id, col(MentoringSession.pair_id).in_(pair_ids))
            .order_by(col(MentoringSession.starts_at), col(MentoringSession.id))
        )
    data.topics = await rows(select(Topic).where(Topic.team_id == team_id, Topic.created_by == user_id).order_by(col(Topic.id)))
    data.goals = await rows(select(Goal).where(Goal.team_id == team_id, Goal.owner_id == user_id).order_by(col(Goal.id)))
    data.reflections = await rows(select(Reflection).where(Reflection.team_id == team_id, Reflection.author_id == user_id).order_by(col(Reflection.id)))
    data.actions = await rows(select(Action).where(Action.team_id == team_id, Action.owner_id == user_id).order_by(col(Action.id)))
    data.check_ins = await rows(select(CheckIn).where(CheckIn.team_id == team_id, CheckIn.user_id == user_id).order_by(col(CheckIn.id)))
    data.messages = await rows(select(Outbox).where(Outbox.team_id == team_id, Outbox.recipient_id == user_id).order_by(col(Outbox.id)))
    return data


# --- erasure -----------------------------------------------------------------------------------------


@dataclass
class Erasure:
    """What one erasure changed; all zero when there was nothing left (a second click)."""

    token: str
    profile: int = 0
    enrolments: int = 0
    pairs: int = 0
    partners_left: list[str] = field(default_factory=list)  # partners of the pairs that were still open, now ended
    charters: int = 0
    goals: int = 0
    reflections: int = 0
    actions: int = 0
    check_ins: int = 0
    cancellations: int = 0
    topics: int = 0
    messages: int = 0

    @property
    def anything(self) -> bool:
        return any(
            (self.profile, self.enrolments, self.pairs, self.charters, self.goals, self.reflections, self.actions,
             self.check_ins, self.cancellations, self.topics, self.messages)
        )


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

    result = await session.exec(delete(Enrolment).where(col(Enrolment.team_id) == team_id, col(Enrolment.user_id) == user_id))
    erasure.enrolments = result.rowcount
    # Running a programme ends with the erasure; who set it up is detached like the rest.
    await session.exec(delete(ProgrammeAdmin).where(col(ProgrammeAdmin.team_id) == team_id, col(ProgrammeAdmin.user_id) == user_id))
    await _replace(session, Programme, "created_by", team_id=team_id, user_id=user_id, token=token)
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


# --- retention ---------------------------------------------------------------------------------------


def purge_due_on(programme: Programme) -> date:
    """The first day the programme's personal text is no longer kept."""
    return programme.ends_on + timedelta(days=programme.retention_days)


async def programmes_due_for_purge(session: AsyncSession, *, today: date) -> list[Programme]:
    """Every workspace's programmes whose retention period has run out and that are not purged yet."""
    result = await session.exec(
        select(Programme).where(col(Programme.personal_data_purged_at).is_(None), col(Programme.ends_on) < today).order_by(col(Programme.id))
    )
    return [programme for programme in result.all() if purge_due_on(programme) <= today]


async def purge_programme(session: AsyncSession, *, programme: Programme, now: datetime) -> int | None:
    """Erase the programme's personal text, keeping every count; None if another sweep got there first.

    The mark is taken first with a conditional update, so of two replicas only one purges.
    Returns the number of rows whose text was erased.
    """
    claimed = await session.exec(
        update(Programme)
        .where(col(Programme.id) == programme.id, col(Programme.team_id) == programme.team_id, col(Programme.personal_data_purged_at).is_(None))
        .values(personal_data_purged_at=now)
    )
    if claimed.rowcount != 1:
        return None
    team_id = programme.team_id
    pair_ids = select(Pair.id).where(col(Pair.team_id) == team_id, col(Pair.programme_id) == programme.id)
    erased = 0
    for table in SQLModel.metadata.sorted_tables:
        columns = personal_text_columns(table) + [table.c[name] for tname, name in sorted(PLAIN_TEXT) if tname == table.name]
        if not columns or "team_id" not in table.c:
            continue
        if "programme_id" in table.c:
            scope = table.c.programme_id == programme.id
        elif "pair_id" in table.c:
            scope = table.c.pair_id.in_(pair_ids)
        else:
            continue
        result = await session.exec(
            update(table).where(table.c.team_id == team_id, scope, or_(*(column != "" for column in columns))).values({column.name: "" for column in columns})
        )
        erased += result.rowcount
    own_topics = await session.exec(
        update(RoadmapItem)
        .where(col(RoadmapItem.team_id) == team_id, col(RoadmapItem.pair_id).in_(pair_ids), col(RoadmapItem.topic_key).startswith("own:"), col(RoadmapItem.title) != "")
        .values(title="")
    )
    erased += own_topics.rowcount
    # Messages carry no programme: those to the programme's people created while it ran are theirs.
    people = select(Pair.mentor_id).where(col(Pair.team_id) == team_id, col(Pair.programme_id) == programme.id).union(
        select(Pair.mentee_id).where(col(Pair.team_id) == team_id, col(Pair.programme_id) == programme.id)
    )
    until = datetime.combine(programme.ends_on + timedelta(days=1), time(), tzinfo=now.tzinfo)
    theirs = (col(Outbox.team_id) == team_id, col(Outbox.recipient_id).in_(people), col(Outbox.created_at) < until)
    await session.exec(
        update(Outbox).where(*theirs, col(Outbox.status).in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED])).values(status=OutboxStatus.WITHDRAWN)
    )
    messages = await session.exec(update(Outbox).where(*theirs, col(Outbox.payload) != "").values(payload=""))
    erased += messages.rowcount
    return erased
