"""Why a typed time could not be read as a session's time."""

from __future__ import annotations

from enum import StrEnum


class TimeProblem(StrEnum):
    EMPTY = "empty"
    UNPARSEABLE = "unparseable"
    NO_TIME = "no_time"  # a day without a time of day
    SAME_WEEKDAY = "same_weekday"  # "tuesday 3pm" said on a Tuesday: today or next week?
    NUMERIC_DATE = "numeric_date"  # 3/4: 3 April or March 4?
    IN_THE_PAST = "in_the_past"
    IN_THE_FUTURE = "in_the_future"  # logging a session that has not happened yet
    TODAY = "today"  # a day that must come after today (a return from being away, a pause's end)
