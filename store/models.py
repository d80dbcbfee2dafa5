"""The tables of the domain in DESIGN.md. Every row carries its Slack `team_id`.

Times are stored in UTC (see `UTCDateTime`); dates that belong to a person's calendar (a due date,
a programme's end) are plain dates. Enumerations are stored as short strings, with their values
listed in the `StrEnum`s of `domain` so that code and data agree.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.programme_templates import DEFAULT_SETTINGS as PROGRAMME_DEFAULTS
from domain.roles import Role
from domain.statuses import (
    ActionStatus,
    GoalProgress,
    OutboxStatus,
    PairStatus,
    ProgrammeStatus,
    SessionStatus,
)
from domain.thresholds import DEFAULTS as THRESHOLDS
from store.crypto import EncryptedText
from store.types import UTCDateTime


def _time(**kwargs: object) -> object:
    return Field(sa_type=UTCDateTime, **kwargs)


class Workspace(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, unique=True)
    enterprise_id: str | None = Field(default=None, max_length=32)
    name: str = Field(default="", max_length=200)
    installed_at: datetime = _time()
    uninstalled_at: datetime | None = _time(default=None, nullable=True)
    data_deleted_at: datetime | None = _time(default=None, nullable=True)  # its programme data, after uninstall


class Programme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    name: str = Field(max_length=120)
    starts_on: date
    ends_on: date
    cadence_days: int = PROGRAMME_DEFAULTS.cadence_days
    session_minutes: int = PROGRAMME_DEFAULTS.session_minutes
    reminder_minutes: str = Field(default=PROGRAMME_DEFAULTS.reminder_minutes, max_length=100)  # minutes before a session
    reflection_delay_minutes: int = PROGRAMME_DEFAULTS.reflection_delay_minutes
    work_start_hour: int = PROGRAMME_DEFAULTS.work_start_hour
    work_end_hour: int = PROGRAMME_DEFAULTS.work_end_hour
    k_anonymity: int = PROGRAMME_DEFAULTS.k_anonymity
    max_pairs_per_person: int = PROGRAMME_DEFAULTS.max_pairs_per_person
    peer_channel_id: str | None = Field(default=None, max_length=32)
    retention_days: int = PROGRAMME_DEFAULTS.retention_days  # personal text is erased this many days after ends_on (bot/sweep/retention.py)
    # The early warnings' thresholds (domain/thresholds.py says what each means), changed in the set-up form.
    role_reversal_window: int = THRESHOLDS.role_reversal_window
    role_reversal_threshold: int = THRESHOLDS.role_reversal_threshold
    cosy_chat_run: int = THRESHOLDS.cosy_chat_run
    low_safety_count: int = THRESHOLDS.low_safety_count
    low_safety_threshold: float = THRESHOLDS.low_safety_threshold
    stalled_goal_sessions: int = THRESHOLDS.stalled_goal_sessions
    # Picked from the catalogues in prompts/data by the programme's template (comma-separated keys; "": all of them).
    topic_keys: str = Field(default="", sa_type=Text)
    ground_rule_keys: str = Field(default="", sa_type=Text)
    template_name: str = Field(default="", max_length=60)  # the template it was started from, for the record
    personal_data_purged_at: datetime | None = _time(default=None, nullable=True)
    status: str = Field(default=ProgrammeStatus.ACTIVE, max_length=16)
    created_by: str = Field(max_length=32)
    created_at: datetime = _time()


class ProgrammeTemplate(SQLModel, table=True):
    """A programme's settings saved under a name, to start later programmes from. Names are unique per
    workspace in any case (`name_key` is the name folded to lower case)."""

    __tablename__ = "programme_template"
    __table_args__ = (UniqueConstraint("team_id", "name_key"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    name: str = Field(max_length=60)
    name_key: str = Field(max_length=60)
    settings: str = Field(default="{}", sa_type=Text)  # JSON: the fields of domain.programme_templates.TemplateSettings
    created_by: str = Field(max_length=32)
    created_at: datetime = _time()


class ProgrammeAdmin(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("programme_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    programme_id: int = Field(foreign_key="programme.id")
    user_id: str = Field(max_length=32)


class ProgrammeChoice(SQLModel, table=True):
    """The programme a person's commands are about when they are in more than one (`/mentor programme`)."""

    __table_args__ = (UniqueConstraint("team_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    user_id: str = Field(max_length=32)
    programme_id: int = Field(foreign_key="programme.id")


class Person(SQLModel, table=True):
    """Someone in the workspace the bot has met; their time zone comes from Slack's `users.info`."""
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    name: str = Field(default="", max_length=200)
    tz: str = Field(default="UTC", max_length=64)
    department: str = Field(default="", max_length=120)
    interests: str = Field(default="", sa_type=Text)  # comma-separated topic keys
    away_until: date | None = None
    muted_nudges: str = Field(default="", max_length=300)  # comma-separated nudge kinds turned off
    updated_at: datetime | None = _time(default=None, nullable=True)
    left_at: datetime | None = _time(default=None, nullable=True)  # deactivated in a pair: paused, told once (bot/flows/departures.py)


class Enrolment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("programme_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    programme_id: int = Field(foreign_key="programme.id")
    user_id: str = Field(max_length=32)
    role: str = Field(max_length=16)
    enrolled_at: datetime = _time()


class Pair(SQLModel, table=True):
    __table_args__ = (Index("ix_pair_team_mentor", "team_id", "mentor_id"), Index("ix_pair_team_mentee", "team_id", "mentee_id"))
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    mentor_id: str = Field(max_length=32)
    mentee_id: str = Field(max_length=32)
    status: str = Field(default=PairStatus.ACTIVE, max_length=16)
    paused_until: date | None = None
    roadmap_mentor_agreed_at: datetime | None = _time(default=None, nullable=True)
    roadmap_mentee_agreed_at: datetime | None = _time(default=None, nullable=True)
    created_at: datetime = _time()
    ended_at: datetime | None = _time(default=None, nullable=True)


class Charter(SQLModel, table=True):
    """The pair's agreement; in force once both sides have agreed to the current version."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    pair_id: int = Field(foreign_key="pair.id", unique=True)
    driver: str = Field(default=Role.MENTEE, max_length=16)  # mentor, mentee or alternating
    cadence_days: int = 30
    session_minutes: int = 60
    format: str = Field(default="video", max_length=16)
    confidentiality: bool = True
    ground_rules: str = Field(default="", sa_type=Text)  # comma-separated keys, plus own lines
    own_rules: str = Field(default="", sa_type=EncryptedText)
    mentor_responsibilities: str = Field(default="", sa_type=EncryptedText)
    mentee_responsibilities: str = Field(default="", sa_type=EncryptedText)
    version: int = 1
    mentor_agreed_at: datetime | None = _time(default=None, nullable=True)
    mentee_agreed_at: datetime | None = _time(default=None, nullable=True)
    updated_by: str = Field(default="", max_length=32)
    updated_at: datetime = _time()


class Goal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    owner_id: str = Field(max_length=32)
    text: str = Field(sa_type=EncryptedText)
    org_benefit: str = Field(default="", sa_type=EncryptedText)
    progress: str = Field(default=GoalProgress.NOT_STARTED, max_length=16)
    note: str = Field(default="", sa_type=EncryptedText)
    created_at: datetime = _time()
    updated_at: datetime = _time()


class Topic(SQLModel, table=True):
    """A pair's own topic, beside the catalogue in `prompts/data/topics.json`."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    title: str = Field(max_length=120)
    created_by: str = Field(max_length=32)


class RoadmapItem(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("pair_id", "topic_key"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    pair_id: int = Field(foreign_key="pair.id")
    topic_key: str = Field(max_length=80)  # a catalogue key, or "own:<topic id>"
    title: str = Field(max_length=120)
    position: int
    covered_session_id: int | None = None
    covered_at: datetime | None = _time(default=None, nullable=True)


class MentoringSession(SQLModel, table=True):
    """A meeting of the pair, booked ahead or logged afterwards."""

    __tablename__ = "mentoring_session"
    __table_args__ = (Index("ix_session_pair_starts", "pair_id", "starts_at"), Index("ix_session_status_starts", "status", "starts_at", "pair_id", "minutes"))
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    pair_id: int = Field(foreign_key="pair.id")
    starts_at: datetime = _time()
    minutes: int = 60
    topic_key: str = Field(default="", max_length=80)
    topic: str = Field(default="", max_length=120)
    location: str = Field(default="", max_length=300)
    status: str = Field(default=SessionStatus.BOOKED, max_length=16)
    booked_by: str = Field(max_length=32)
    logged_after: bool = False
    mentor_confirmed: bool = False
    mentee_confirmed: bool = False
    reschedules: int = 0
    rescheduled_by: str | None = Field(default=None, max_length=32)
    rescheduled_at: datetime | None = _time(default=None, nullable=True)
    reschedule_reason: str = Field(default="", sa_type=EncryptedText)
    cancelled_by: str | None = Field(default=None, max_length=32)
    cancelled_at: datetime | None = _time(default=None, nullable=True)
    cancel_reason: str = Field(default="", sa_type=EncryptedText)
    late_cancel: bool = False
    created_at: datetime = _time()


class Reflection(SQLModel, table=True):
    """One person's reflection on one session. Safety and learning are private unless shared."""

    __table_args__ = (UniqueConstraint("session_id", "author_id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    session_id: int = Field(foreign_key="mentoring_session.id")
    pair_id: int = Field(foreign_key="pair.id", index=True)
    author_id: str = Field(max_length=32)
    took_place: str | None = Field(default=None, max_length=16)  # yes, cancelled, no_show
    led_by: str | None = Field(default=None, max_length=16)
    safety: int | None = None
    topic_key: str | None = Field(default=None, max_length=80)
    learning: str = Field(default="", sa_type=EncryptedText)
    new_insight: bool | None = None
    shared: bool = False
    step: int = 0  # the question the conversation is waiting on; survives restarts
    # DM messages showing buttons for that question ("channel:ts" apart by spaces), which lose them once it is answered.
    open_messages: str = Field(default="", sa_type=Text)
    started_at: datetime = _time()
    completed_at: datetime | None = _time(default=None, nullable=True)
    followed_up_at: datetime | None = _time(default=None, nullable=True)


class Action(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    owner_id: str = Field(max_length=32)
    text: str = Field(sa_type=EncryptedText)
    scope: str = Field(default="personal", max_length=16)  # personal or organisational
    due_on: date | None = None
    status: str = Field(default=ActionStatus.OPEN, max_length=16)
    reflection_id: int | None = None
    created_at: datetime = _time()
    done_at: datetime | None = _time(default=None, nullable=True)


class Outbox(SQLModel, table=True):
    """A message to deliver. The unique key makes creating the same nudge twice a no-op."""

    __table_args__ = (Index("ix_outbox_status_due", "status", "due_at"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=40)
    recipient_id: str = Field(max_length=32)
    payload: str = Field(sa_type=EncryptedText)  # JSON: text and blocks for chat.postMessage
    due_at: datetime = _time()
    expires_at: datetime | None = _time(default=None, nullable=True)
    priority: int = 0
    status: str = Field(default=OutboxStatus.PENDING, max_length=16)
    claimed_by: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = _time(default=None, nullable=True)
    attempts: int = 0
    last_error: str = Field(default="", sa_type=Text)
    sent_at: datetime | None = _time(default=None, nullable=True)
    # Where the sent message landed (a DM's channel id and its ts), so it can be updated later.
    sent_channel: str | None = Field(default=None, max_length=32)
    sent_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = _time()


class KeyCheck(SQLModel, table=True):
    """One known value encrypted by the first key this database met: a bot whose keys cannot open it
    refuses to start, rather than write text the other replicas (or it, tomorrow) cannot read. An
    EncryptedText column, so `python -m store.rotate_keys` re-encrypts it with the rest."""

    id: int | None = Field(default=None, primary_key=True)
    value: str = Field(sa_type=EncryptedText)
    created_at: datetime = _time()


class ProcessedEvent(SQLModel, table=True):
    """Slack event ids already handled, so a retried delivery has its side effects once."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    event_id: str = Field(max_length=64, unique=True)
    received_at: datetime = _time()


class CheckIn(SQLModel, table=True):
    """One person's mid-point check-in or closing reflection. Admins see these only in aggregate."""

    __tablename__ = "check_in"
    __table_args__ = (UniqueConstraint("pair_id", "user_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    pair_id: int = Field(foreign_key="pair.id")
    user_id: str = Field(max_length=32)
    role: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    working: int | None = None  # mid-point: is it working, 1-5
    change: str = Field(default="", sa_type=EncryptedText)  # mid-point: anything to change (private)
    goals_achieved: str | None = Field(default=None, max_length=16)  # closing: all, some, none
    what_changed: str = Field(default="", sa_type=EncryptedText)  # closing (private)
    organisation_should: str = Field(default="", sa_type=EncryptedText)  # closing (private)
    recommend: int | None = None  # closing: 0-10
    take_part_again: str | None = Field(default=None, max_length=16)  # closing: yes, maybe, no
    submitted_at: datetime = _time()



class MeasureAnswer(SQLModel, table=True):
    """One answer to one item of the validated measures (prompts/data/measures.json) at one wave. Admins see
    these only as cohort figures through the disclosure gate; a person's erasure deletes theirs."""

    __tablename__ = "measure_answer"
    __table_args__ = (UniqueConstraint("pair_id", "user_id", "wave", "item_key"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    pair_id: int = Field(foreign_key="pair.id")
    user_id: str = Field(max_length=32, index=True)
    role: str = Field(max_length=16)
    wave: str = Field(max_length=16)  # baseline, mid, close
    item_key: str = Field(max_length=64)
    value: int | None = None  # 1-7 as answered (reverse scoring is the rules' job); None: skipped
    answered_at: datetime = _time()


class ReleasedFigure(SQLModel, table=True):
    """The disclosure gate's ledger (bot/flows/disclosure.py): one figure over people's answers, as an admin
    last saw it, and keyed digests of every contribution ever released in it (never the answers)."""

    __tablename__ = "released_figure"
    __table_args__ = (UniqueConstraint("programme_id", "figure"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    figure: str = Field(max_length=32)  # e.g. "safety", "led", "led:2026-03", "midpoint", "closing"
    value: str = Field(default="", sa_type=Text)  # the released value as JSON; "" until the first release
    released_at: datetime | None = _time(default=None, nullable=True)
    salt: str = Field(max_length=32)  # random per figure, so digests never compare across figures or programmes
    seen: str = Field(default="", sa_type=Text)  # space-separated digests of every released contribution

class OrgChartEntry(SQLModel, table=True):
    """One person's place in the workspace's org chart, as an admin last imported it (the whole chart is
    replaced by each import). Matching reads it to keep reporting lines apart."""

    __tablename__ = "org_chart_entry"
    __table_args__ = (UniqueConstraint("team_id", "user_id"), UniqueConstraint("team_id", "email"))
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    user_id: str = Field(max_length=32)
    email: str = Field(max_length=254)
    manager_id: str = Field(default="", max_length=32)  # "" at the top of the chart
    department: str = Field(default="", max_length=120)
    location: str = Field(default="", max_length=120)
    employee_id: str = Field(default="", max_length=64)
    imported_at: datetime = _time()


# The OAuth install's tables (slack_sdk's schema, tokens encrypted) are on the same metadata, for Alembic.
# The calendar tables live beside these (store/calendar_models.py); importing them here registers them
# on SQLModel.metadata with the rest, for the migrations and `create_all`.
import store.calendar_models  # noqa: E402, F401
import store.installations  # noqa: E402, F401
