"""Where personal data sits (the column inventory) and a person's own data, read back for export.

What counts as personal text is found by type: every `EncryptedText` column of the domain is
something a person wrote (the OAuth tables' encrypted tokens aside), so the retention purge
(store/retention.py) erases a column added later without a change here; a test checks each is also in
`ERASED_FOR_PERSON` or `SHARED_TEXT`, so a person's erasure (store/erasure.py) is not left behind.
Where a person's id can sit is listed too (`PERSON_ID_COLUMNS`), with a test that finds every column
named like one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Column, Table, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.crypto import EncryptedText
from store.models import (
    Action,
    Charter,
    CheckIn,
    Enrolment,
    Goal,
    MeasureAnswer,
    MentoringSession,
    Outbox,
    Pair,
    Person,
    Programme,
    ProgrammeAdmin,
    Reflection,
    Topic,
)

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
    ("calendar_connection", "user_id"),  # deleted, tokens and all
    ("calendar_event", "owner_id"),  # deleted
    ("charter", "updated_by"),
    ("check_in", "user_id"),
    ("enrolment", "user_id"),  # deleted
    ("goal", "owner_id"),
    ("measure_answer", "user_id"),  # deleted
    ("mentoring_session", "booked_by"),
    ("mentoring_session", "cancelled_by"),
    ("mentoring_session", "rescheduled_by"),
    ("org_chart_entry", "user_id"),  # the row is deleted, with their address, department, location and employee id
    ("org_chart_entry", "employee_id"),  # HR's id for them: deleted with their row
    ("org_chart_entry", "manager_id"),  # the people who report to them keep the token, so reporting lines still hold
    ("outbox", "recipient_id"),  # and any message to someone else that names them: withdrawn or emptied
    ("pair", "mentee_id"),
    ("pair", "mentor_id"),
    ("person", "user_id"),
    ("programme", "created_by"),
    ("programme_template", "created_by"),  # replaced by the token, as for a programme
    ("programmeadmin", "user_id"),  # deleted
    ("programmechoice", "user_id"),  # deleted
    ("reflection", "author_id"),
    ("slack_installations", "user_id"),  # the installer
    ("topic", "created_by"),
}
# Columns named like an id that never hold a person's: the workspace's, an app's, a bot's, a channel's, a replica's, a role.
NOT_A_PERSON = {
    ("calendar_event", "event_id"),  # the provider's id of the event
    ("outbox", "claimed_by"),
    ("processedevent", "event_id"),
    ("programme", "peer_channel_id"),
    ("reflection", "led_by"),
    ("workspace", "enterprise_id"),
    *((table, column) for table in ("slack_bots", "slack_installations") for column in ("client_id", "app_id", "enterprise_id", "bot_id", "bot_user_id")),
    ("slack_installations", "incoming_webhook_channel_id"),
}
# Encrypted tokens and the key check value, not anyone's words (a calendar connection is deleted whole by an erasure).
CREDENTIAL_TABLES = {"slack_bots", "slack_installations", "keycheck", "calendar_connection"}
# Plain-text columns that people type too, erased by the retention purge beside the encrypted ones.
PLAIN_TEXT = {("topic", "title"), ("mentoring_session", "location")}


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
    measure_answers: list[MeasureAnswer] = field(default_factory=list)
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
    data.measure_answers = await rows(select(MeasureAnswer).where(MeasureAnswer.team_id == team_id, MeasureAnswer.user_id == user_id).order_by(col(MeasureAnswer.id)))
    data.messages = await rows(select(Outbox).where(Outbox.team_id == team_id, Outbox.recipient_id == user_id).order_by(col(Outbox.id)))
    return data
