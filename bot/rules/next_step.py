"""The one next step for a person in a pair, from the pair's state: a pure function, no I/O.

The order follows how a pair gets going: agree how you will work (charter), say what you want from it
(goals), agree what you will talk about (topics), then meet. A person whose own part is done but who
waits on their partner is told so, rather than being sent to a step they cannot take.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.next_step import NextStep

MIN_ROADMAP_TOPICS = 4


@dataclass(frozen=True)
class PairProgress:
    """What the next step depends on, seen from one side of the pair."""

    has_charter: bool = False
    i_agreed_charter: bool = False
    partner_agreed_charter: bool = False
    my_goals: int = 0
    roadmap_topics: int = 0
    i_agreed_roadmap: bool = False
    partner_agreed_roadmap: bool = False
    has_session: bool = False
    paused: bool = False

    @property
    def charter_in_force(self) -> bool:
        return self.has_charter and self.i_agreed_charter and self.partner_agreed_charter

    @property
    def roadmap_agreed(self) -> bool:
        return self.roadmap_topics >= MIN_ROADMAP_TOPICS and self.i_agreed_roadmap and self.partner_agreed_roadmap


def next_step(progress: PairProgress) -> NextStep:
    if progress.paused:
        return NextStep.PAUSED
    if not progress.has_charter:
        return NextStep.START_CHARTER
    if not progress.i_agreed_charter:
        return NextStep.AGREE_CHARTER
    if progress.my_goals == 0:
        return NextStep.SET_GOALS
    if progress.roadmap_topics < MIN_ROADMAP_TOPICS:
        return NextStep.CHOOSE_TOPICS
    if not progress.i_agreed_roadmap:
        return NextStep.AGREE_TOPICS
    if not progress.charter_in_force or not progress.roadmap_agreed:
        return NextStep.WAIT_FOR_PARTNER
    if not progress.has_session:
        return NextStep.BOOK_FIRST_SESSION
    return NextStep.NOTHING_PENDING
