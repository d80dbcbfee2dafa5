"""What the views read of a programme, a person, a pair and its charter, goals, roadmap, actions and
reflections: records, not database rows.

Words (prompts/) never see a row: the flows build these from rows (bot/views.py), so a view can be
built and tested from plain values, and cannot reach anything a row would let it touch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.next_step import NextStep, PairProgress
from domain.roles import Role
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
    topic_keys: str = ""  # comma-separated catalogue keys the programme offers; "": the whole catalogue
    ground_rule_keys: str = ""  # likewise for the charter's ground rules
    template_name: str = ""  # the template it was started from, if any


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


@dataclass(frozen=True)
class CharterView:
    """One version of a pair's charter: its terms and who has agreed it."""

    id: int | None
    driver: str
    cadence_days: int
    session_minutes: int
    format: str
    confidentiality: bool
    ground_rules: str
    own_rules: str
    mentor_responsibilities: str
    mentee_responsibilities: str
    version: int
    mentor_agreed_at: datetime | None
    mentee_agreed_at: datetime | None


@dataclass(frozen=True)
class GoalView:
    """One person's goal, as their list, their partner's list and the progress form show it."""

    id: int | None
    owner_id: str
    text: str
    org_benefit: str
    progress: str
    note: str


@dataclass(frozen=True)
class RoadmapItemView:
    """One topic on a pair's roadmap, in its agreed place."""

    id: int | None
    topic_key: str
    title: str
    position: int
    covered_at: datetime | None


@dataclass(frozen=True)
class PairView:
    """One member's view of their pair, for their Home and help: who they are in it, where it stands,
    and the next step the rules chose (with the session that step is about, if any)."""

    pair_id: int
    user_id: str
    role: Role
    partner_id: str
    charter: CharterView | None
    my_goals: tuple[GoalView, ...]
    partner_goals: tuple[GoalView, ...]
    roadmap: tuple[RoadmapItemView, ...]
    progress: PairProgress
    next_step: NextStep
    step_session_id: int | None
    my_open_actions: tuple[ActionView, ...]
    partner_open_actions: int

    @property
    def partner_role(self) -> Role:
        return Role.MENTEE if self.role is Role.MENTOR else Role.MENTOR
