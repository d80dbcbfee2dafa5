"""Reading a session time ("next tuesday 3pm") or a day ("20 December") as a person types it, and
checking a time can be booked.

Every command that reads a time or a day reads it here: in the person's own zone, relative to `now` in
that zone (never the wall clock), with dateparser. Anything that could mean two things is refused with
a question rather than guessed; an ISO date (2026-12-08) means just what it says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
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
# Day and month both in numbers (3/4, 03-04-2026), but not inside a year-first date (2026-12-08).
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})[/-](\d{1,2})(?:[/-]\d{2,4})?(?![\d/-])")
_YEAR_FIRST = re.compile(r"(?<![\d/.-])(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?![\d/-])")
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
    problem = _numbers_problem(words)
    if problem is not None:
        return ParsedTime(problem=problem)
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    parsed = _parser("past" if past else "future", local_now).get_date_data(words).date_obj
    if parsed is None or not _as_written(words, parsed.date()):
        return ParsedTime(problem=TimeProblem.UNPARSEABLE)
    if not _TIME_OF_DAY.search(words):
        return ParsedTime(problem=TimeProblem.NO_TIME)
    if not past and _same_weekday_elsewhere(words, local_now.date(), parsed.date()):
        return ParsedTime(problem=TimeProblem.SAME_WEEKDAY)
    when = parsed.replace(tzinfo=zone).astimezone(UTC)
    if past and when > now:
        return ParsedTime(problem=TimeProblem.IN_THE_FUTURE)
    if not past and when <= now:
        return ParsedTime(problem=TimeProblem.IN_THE_PAST)
    return ParsedTime(when=when)


@dataclass(frozen=True)
class ParsedDay:
    day: date | None = None  # in the person's zone
    problem: TimeProblem | None = None


def parse_day(text: str, *, tz: str, now: datetime, after_today: bool = False) -> ParsedDay:
    """A day from typed words ("20 December", "next friday", "2026-12-20"), in the person's zone: never
    a past day, and not today either when the day must come `after_today` (a return from being away)."""
    words = " ".join((text or "").split())
    if not words:
        return ParsedDay(problem=TimeProblem.EMPTY)
    problem = _numbers_problem(words)
    if problem is not None:
        return ParsedDay(problem=problem)
    local_now = now.astimezone(ZoneInfo(tz)).replace(tzinfo=None, second=0, microsecond=0)
    today = local_now.date()
    data = _parser("future", local_now).get_date_data(words)
    if data.date_obj is None or data.period not in ("day", "week") or not _as_written(words, data.date_obj.date()):
        return ParsedDay(problem=TimeProblem.UNPARSEABLE)  # nothing, or a month or a year rather than a day
    day = data.date_obj.date()
    if _same_weekday_elsewhere(words, today, day):
        return ParsedDay(problem=TimeProblem.SAME_WEEKDAY)
    if day < today:
        return ParsedDay(problem=TimeProblem.IN_THE_PAST)
    if after_today and day == today:
        return ParsedDay(problem=TimeProblem.TODAY)
    return ParsedDay(day=day)


def _numbers_problem(words: str) -> TimeProblem | None:
    """3/4 (3 April or March 4?) is ambiguous; a year-first date is not, but must exist (no 2026-13-01)."""
    numeric = _NUMERIC_DATE.search(words)
    if numeric and all(1 <= int(part) <= 12 for part in numeric.groups()) and numeric.group(1) != numeric.group(2):
        return TimeProblem.NUMERIC_DATE
    year_first = _YEAR_FIRST.search(words)
    if year_first is not None and _year_first_day(year_first) is None:
        return TimeProblem.UNPARSEABLE
    return None


def _year_first_day(match: re.Match[str]) -> date | None:
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _as_written(words: str, parsed: date) -> bool:
    """A year-first date is read as year, month, day, whatever order dateparser prefers."""
    year_first = _YEAR_FIRST.search(words)
    return year_first is None or _year_first_day(year_first) == parsed


def _same_weekday_elsewhere(words: str, today: date, parsed: date) -> bool:
    """"tuesday" said on a Tuesday and read as another day: today, or next week?"""
    lowered = words.lower()
    weekday = _WEEKDAYS[today.weekday()]
    named = re.search(r"\b" + weekday, lowered) and not re.search(r"\b(next|this|coming)\s+" + weekday, lowered)
    return bool(named) and parsed != today


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
