"""A person's own data (to export or erase) and the retention purge of a programme's personal text.

What counts as personal text is found by type: every `EncryptedText` column of the domain is
something a person wrote (the OAuth tables' encrypted tokens aside), so the retention purge erases
a column added later without a change here; a test checks each is also in `ERASED_FOR_PERSON` or
`SHARED_TEXT`, so a person's erasure is not left behind. Numbers, statuses and dates stay, so the
programme's figures still add up; erased rows are detached from the person by an anonymous token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Column, Table, or_
from sqlmodel import SQLModel, col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from store.crypto import EncryptedText
from store.models import (
    Action,
    Charter,
    CheckIn,
    Enrolment,
    Goal,
    MentoringSession,
    Outbox,
    OutboxStatus,
    Pair,
    PairStatus,
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
CREDENTIAL_TABLES = {"slack_bots", "slack_installations", "keycheck"}  # encrypted tokens and the key check value, not anyone's words
# Plain-text columns that people type too, erased by the retention purge beside the encrypted ones.
PLAIN_TEXT = {("topic", "title"), ("mentoring_session", "location")}


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


async def erase_person(session: AsyncSession, *, team_id: str, user_id: str, now: datetime, token: str | None = None) -> Erasure:
    """Erase what the person wrote and detach their answers; the caller's one transaction makes it all or nothing.

    Their open pairs end (the pair cannot go on without them); the partner's own rows are untouched.
    Keys and recipients of their messages are rewritten too, since an outbox key names its recipient.
    """
    erasure = Erasure(token=token or new_token())
    token = erasure.token
    pairs = list(
        (await session.exec(select(Pair).where(col(Pair.team_id) == team_id, or_(col(Pair.mentor_id) == user_id, col(Pair.mentee_id) == user_id)))).all()
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
    await _replace(session, MentoringSession, "booked_by", team_id=team_id, user_id=user_id, token=token)
    await _replace(session, MentoringSession, "rescheduled_by", team_id=team_id, user_id=user_id, token=token, reschedule_reason="")

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
    erasure.topics = await _replace(session, Topic, "created_by", team_id=team_id, user_id=user_id, token=token)

    result = await session.exec(delete(Enrolment).where(col(Enrolment.team_id) == team_id, col(Enrolment.user_id) == user_id))
    erasure.enrolments = result.rowcount

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
