"""The one next step a person in a pair has to take, as the rules decide it and Home shows it,
and the facts about their pair it is decided from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MIN_ROADMAP_TOPICS = 4  # a roadmap is chosen at four topics (store.roadmap.MIN_TOPICS); agreed by both, it stands at any size


class NextStep(StrEnum):
    PAUSED = "paused"
    CONFIRM_SESSION = "confirm_session"
    FINISH_REFLECTION = "finish_reflection"
    START_CHARTER = "start_charter"
    AGREE_CHARTER = "agree_charter"
    SET_GOALS = "set_goals"
    CHOOSE_TOPICS = "choose_topics"
    AGREE_TOPICS = "agree_topics"
    WAIT_FOR_PARTNER = "wait_for_partner"
    BOOK_FIRST_SESSION = "book_first_session"
    BOOK_NEXT_SESSION = "book_next_session"
    NOTHING_PENDING = "nothing_pending"


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
    met: bool = False  # a session was held (or its time has passed while still booked)
    session_ahead: bool = False  # a session is booked and still to start
    to_confirm: int | None = None  # the soonest session ahead that waits for this person's Confirm
    to_reflect: int | None = None  # the ended session whose reflection this person has not finished
    paused: bool = False

    @property
    def charter_in_force(self) -> bool:
        return self.has_charter and self.i_agreed_charter and self.partner_agreed_charter

    @property
    def roadmap_chosen(self) -> bool:
        """Enough topics to agree on; a roadmap both agreed stands even when shorter (an older one, or the demo's)."""
        both = self.i_agreed_roadmap and self.partner_agreed_roadmap
        return self.roadmap_topics >= MIN_ROADMAP_TOPICS or (self.roadmap_topics > 0 and both)

    @property
    def roadmap_agreed(self) -> bool:
        return self.roadmap_chosen and self.i_agreed_roadmap and self.partner_agreed_roadmap
