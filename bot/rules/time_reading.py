"""Reading a session time as a person types it ("next tuesday 3pm"), and checking it can be booked.

Times are read in the person's own zone, relative to `now` in that zone (never the wall clock), with
dateparser. Anything that could mean two things is refused with a question rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

from domain.times import TimeProblem


@dataclass(frozen=True)
class ParsedTime:
    when: datetime | None = None  # UTC
    problem: TimeProblem | None = None


_TIME_OF_DAY = re.compile(
    r"\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}[:.h]\d{2}\b|\bnoon\b|\bmidday\b"
    r"|\bin\s+(?:an?|\d+)\s*(?:hours?|hrs?|minutes?|mins?)\b",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})(?:[/-]\d{2,4})?\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _parser(prefer: str, base: datetime) -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": prefer,
            "RELATIVE_BASE": base,
            "DATE_ORDER": "DMY",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


def parse_when(text: str, *, tz: str, now: datetime, past: bool = False) -> ParsedTime:
    """A session time from typed words, in the person's zone; `past` for logging a held session."""
    words = " ".join((text or "").split())
    if not words:
        return ParsedTime(problem=TimeProblem.EMPTY)
    numeric = _NUMERIC_DATE.search(words)
    if numeric and all(1 <= int(part) <= 12 for part in numeric.groups()) and numeric.group(1) != numeric.group(2):
        return ParsedTime(problem=TimeProblem.NUMERIC_DATE)
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    parsed = _parser("past" if past else "future", local_now).get_date_data(words).date_obj
    if parsed is None:
        return ParsedTime(problem=TimeProblem.UNPARSEABLE)
    if not _TIME_OF_DAY.search(words):
        return ParsedTime(problem=TimeProblem.NO_TIME)
    lowered = words.lower()
    today = _WEEKDAYS[local_now.weekday()]
    if not past and today in lowered and not re.search(r"\b(next|this|coming)\s+" + today, lowered):
        if parsed.date() != local_now.date():
            return ParsedTime(problem=TimeProblem.SAME_WEEKDAY)
    when = parsed.replace(tzinfo=zone).astimezone(UTC)
    if past and when > now:
        return ParsedTime(problem=TimeProblem.IN_THE_FUTURE)
    if not past and when <= now:
        return ParsedTime(problem=TimeProblem.IN_THE_PAST)
    return ParsedTime(when=when)


def overlaps(starts_at: datetime, minutes: int, others: list[tuple[datetime, int]]) -> bool:
    """True when [starts_at, +minutes) meets any other booked session's span."""
    ends_at = starts_at + timedelta(minutes=minutes)
    return any(other < ends_at and starts_at < other + timedelta(minutes=length) for other, length in others)


def default_start(now: datetime, tz: str) -> datetime:
    """A sensible first value for the date picker: 10:00 on the next weekday, in their zone."""
    zone = ZoneInfo(tz)
    day = now.astimezone(zone).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, tzinfo=zone).astimezone(UTC)


def is_late_cancellation(starts_at: datetime, now: datetime) -> bool:
    """A cancellation less than 24 hours before the session counts as late."""
    return starts_at - now < timedelta(hours=24)
