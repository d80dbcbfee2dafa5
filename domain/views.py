"""What the views read of a programme, a person, an action and a reflection: records, not database rows.

Words (prompts/) never see a row: the flows build these from rows (bot/views.py), so a view can be
built and tested from plain values, and cannot reach anything a row would let it touch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.thresholds import Thresholds


@dataclass(frozen=True)
class ProgrammeView:
    """A programme's settings, as the set-up form, the welcome and the reports show them."""

    id: int | None
    name: str
    starts_on: date
    ends_on: date
    cadence_days: int
    session_minutes: int
    reminder_minutes: str
    reflection_delay_minutes: int
    work_start_hour: int
    work_end_hour: int
    k_anonymity: int
    max_pairs_per_person: int
    retention_days: int
    thresholds: Thresholds


@dataclass(frozen=True)
class PersonView:
    """What a person told us for matching: department and interests (comma-separated topic keys)."""

    department: str
    interests: str


@dataclass(frozen=True)
class ActionView:
    """One action, as a list line, a modal or a reminder shows it."""

    id: int | None
    owner_id: str
    text: str
    scope: str
    due_on: date | None
    status: str
    done_at: datetime | None


@dataclass(frozen=True)
class ReflectionView:
    """One side's answers about a session, as the form and the read-back show them."""

    took_place: str | None
    led_by: str | None
    safety: int | None
    topic_key: str | None
    learning: str
    new_insight: bool | None
    shared: bool
    completed_at: datetime | None
