"""The one next step a person in a pair has to take, as the rules decide it and Home shows it."""

from __future__ import annotations

from enum import StrEnum


class NextStep(StrEnum):
    START_CHARTER = "start_charter"
    AGREE_CHARTER = "agree_charter"
    SET_GOALS = "set_goals"
    CHOOSE_TOPICS = "choose_topics"
    AGREE_TOPICS = "agree_topics"
    WAIT_FOR_PARTNER = "wait_for_partner"
    BOOK_FIRST_SESSION = "book_first_session"
    PAUSED = "paused"
    NOTHING_PENDING = "nothing_pending"
