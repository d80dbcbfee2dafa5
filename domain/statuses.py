"""Where a programme, a pair, a session, a goal, an action, a queued message or a check-in stands.

Stored as these short strings, so code and data agree.
"""

from __future__ import annotations

from enum import StrEnum


class ProgrammeStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"  # its final report sent, or ended by an admin to start a new cohort


class PairStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class SessionStatus(StrEnum):
    BOOKED = "booked"
    HELD = "held"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class GoalProgress(StrEnum):
    NOT_STARTED = "not_started"
    UNDER_WAY = "under_way"
    ACHIEVED = "achieved"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    DEAD = "dead"  # a permanent Slack error: the reason is kept, no more retries
    WITHDRAWN = "withdrawn"  # no longer makes sense (session moved, cancelled, already started)


class CheckInKind(StrEnum):
    MIDPOINT = "midpoint"
    CLOSING = "closing"
