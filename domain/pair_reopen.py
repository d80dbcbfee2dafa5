"""Why an ended pair could not be reopened: what the reopen flow returns and the admin is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ReopenRefusal(StrEnum):
    NO_ENDED_PAIR = "no_ended_pair"  # the person has no ended pair
    PROGRAMME_CLOSED = "programme_closed"  # the pair's programme is not the one running now
    ERASED = "erased"  # one side deleted their data, which ended the pair
    TOO_LATE = "too_late"  # ended more than the grace period ago
    BUSY = "busy"  # one of them is in another pair now


@dataclass(frozen=True)
class ReopenRefused:
    reason: ReopenRefusal
    user_id: str  # who the admin named, or (busy) who is in another pair
    ended_on: date | None = None  # too_late: the day it ended
