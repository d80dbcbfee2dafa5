"""What one person's erasure changed, in counts: what the person is told was deleted, and what the
flows act on after it (the partners whose pairs ended)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Erasure:
    """What one erasure changed; all zero when there was nothing left (a second click)."""

    token: str
    profile: int = 0
    enrolments: int = 0
    pairs: int = 0
    partners_left: list[str] = field(default_factory=list)  # partners of the pairs that were still open, now ended
    ended_in: list[tuple[int, str]] = field(default_factory=list)  # each such pair's programme id and the partner
    charters: int = 0
    goals: int = 0
    reflections: int = 0
    actions: int = 0
    check_ins: int = 0
    measure_answers: int = 0  # the validated measures' answers, deleted
    cancellations: int = 0
    topics: int = 0
    messages: int = 0
    org_chart: int = 0
    calendars: int = 0  # their connected calendar and the record of events on it

    @property
    def anything(self) -> bool:
        return any(
            (self.profile, self.enrolments, self.pairs, self.charters, self.goals, self.reflections, self.actions,
             self.check_ins, self.measure_answers, self.cancellations, self.topics, self.messages, self.calendars, self.org_chart)
        )
