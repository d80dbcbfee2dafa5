"""The programme health report as figures: what the rules compute and the admin's views render.

Built by `bot.rules.health.build_report` (behaviour) and released through `bot.flows.disclosure` (answers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.measures import MeasureFigures
from domain.roles import Led


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


LIGHT_ORDER = {Light.RED: 0, Light.AMBER: 1, Light.GREEN: 2}


@dataclass(frozen=True)
class Reason:
    light: Light
    text: str


@dataclass
class Balance:
    """Held sessions by who led them (as either side reported); `unknown` had no answer."""

    mentor: int = 0
    mentee: int = 0
    balanced: int = 0
    unknown: int = 0

    @property
    def known(self) -> int:
        return self.mentor + self.mentee + self.balanced

    def share(self, led: Led) -> float | None:
        if not self.known:
            return None
        return {Led.MENTOR: self.mentor, Led.MENTEE: self.mentee, Led.BALANCED: self.balanced}[led] / self.known

    def add(self, led: Led | None) -> None:
        if led is Led.MENTOR:
            self.mentor += 1
        elif led is Led.MENTEE:
            self.mentee += 1
        elif led is Led.BALANCED:
            self.balanced += 1
        else:
            self.unknown += 1


@dataclass
class PairHealth:
    pair_id: int
    mentor_id: str
    mentee_id: str
    status: str
    held: int = 0
    cancelled: int = 0
    late_cancelled: int = 0
    last_session: datetime | None = None
    next_session: datetime | None = None
    topics_covered: int = 0
    topics_planned: int = 0
    goals: int = 0
    goals_under_way: int = 0
    goals_achieved: int = 0
    actions_open: int = 0
    actions_done: int = 0
    actions_overdue: int = 0
    charter_agreed: bool = False
    light: Light | None = None
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class CohortFigures:
    pairs_active: int = 0
    pairs_paused: int = 0
    pairs_ended: int = 0
    sessions_held: int = 0
    sessions_planned: int = 0
    sessions_missed: int = 0
    cancelled_late: int = 0
    cancelled_not_late: int = 0
    cancelled_by_mentor_side: int = 0
    cancelled_by_mentee_side: int = 0
    cancelled_by_others: int = 0
    reflections_completed: int = 0
    reflections_asked: int = 0
    balance: Balance | None = None  # who led; None until the disclosure gate releases it
    topics_covered: int = 0
    topics_planned: int = 0
    goals_not_started: int = 0
    goals_under_way: int = 0
    goals_achieved: int = 0
    actions_open: int = 0
    actions_done: int = 0
    actions_overdue: int = 0
    safety_respondents: int = 0
    safety_average: float | None = None  # None until the disclosure gate releases it

    @property
    def cancelled(self) -> int:
        return self.cancelled_late + self.cancelled_not_late

    @property
    def reflection_rate(self) -> float | None:
        return self.reflections_completed / self.reflections_asked if self.reflections_asked else None


@dataclass
class MonthTrend:
    month: str  # YYYY-MM
    held: int = 0
    cancelled: int = 0
    balance: Balance | None = None  # who led that month; None: not enough people answered


@dataclass
class CheckInFigures:
    """The mid-point and closing answers, in aggregate; scores only over at least k people."""

    midpoint_respondents: int = 0
    midpoint_working_average: float | None = None
    closing_respondents: int = 0
    goals_achieved: dict[str, int] | None = None  # all/some/none -> count
    take_part_again: dict[str, int] | None = None  # yes/maybe/no -> count
    recommend_average: float | None = None
    recommend_score: int | None = None  # NPS-style, -100..100


@dataclass
class HealthReport:
    programme_name: str
    now: datetime
    k: int
    cohort: CohortFigures
    pairs: list[PairHealth]
    trends: list[MonthTrend]
    check_ins: CheckInFigures
    names: dict[str, str] = field(default_factory=dict)
    held: dict[str, datetime] = field(default_factory=dict)  # figure -> shown as released then; newer answers wait
    measures: list[MeasureFigures] = field(default_factory=list)  # 'Did it work?': the validated measures as released

    @property
    def needing_attention(self) -> list[PairHealth]:
        """Red pairs, then amber ones, each group oldest pair first."""
        flagged = [pair for pair in self.pairs if pair.light in (Light.RED, Light.AMBER)]
        return sorted(flagged, key=lambda pair: (LIGHT_ORDER[pair.light], pair.pair_id))  # type: ignore[index]

    def count(self, light: Light) -> int:
        return sum(1 for pair in self.pairs if pair.light is light)
