"""Times as a person reads them: in their own zone, with the zone named."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def local(when: datetime, tz: str) -> datetime:
    return when.astimezone(ZoneInfo(tz))


def format_when(when: datetime, tz: str) -> str:
    """'Tue 10 Mar, 15:00 GMT': day, date, 24-hour time and the zone's abbreviation."""
    moment = local(when, tz)
    return f"{moment:%a} {moment.day} {moment:%b}, {moment:%H:%M} {moment.tzname()}"


def format_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b} {day.year}"
