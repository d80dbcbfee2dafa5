"""Session times that suit both people: a pure function of their zones, the programme's working hours,
the charter's rhythm, the busy time they have, and `now`.

A time is suggested only when the whole session falls inside both people's working hours on one local
day each (so never in anyone's night, and right across a daylight-saving change, as zoneinfo reads each
moment), overlaps no busy block, and comes after a day's notice, around when the charter's cadence
says the next session is due. Three, on three different days, so one blocked afternoon does not sink them all;
on each day, the free start nearest the middle of the hours the two share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.rules.quiet_hours import WorkingHours, is_working_time
from domain.busy import BusyBlock
from domain.suggestions import NoSuggestion

SUGGESTED = 3
MIN_NOTICE = timedelta(hours=24)  # time to find a room and prepare
STEP = timedelta(minutes=30)  # suggestions start on the hour or the half hour
HORIZON_DAYS = 21  # how far past the window's start to look


@dataclass(frozen=True)
class Suggestions:
    times: tuple[datetime, ...]
    problem: NoSuggestion | None = None


def away_block(away_until: date | None, tz: str, *, start: datetime) -> BusyBlock | None:
    """Someone away (`/mentor settings`) is busy from `start` to the end of their last day away in their
    own zone; None when they are not away, or back before `start`."""
    if away_until is None:
        return None
    back = datetime.combine(away_until + timedelta(days=1), time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)
    return BusyBlock(start, back) if back > start else None


def search_window(*, now: datetime, cadence_days: int, last_session: datetime | None) -> tuple[datetime, datetime]:
    """[start, end) to look in: from a quarter-cadence before the next session is due (never before a
    day's notice), for three weeks or one cadence, whichever is longer. Busy time is read for it."""
    earliest = now + MIN_NOTICE
    start = earliest if last_session is None else max(earliest, last_session + timedelta(days=cadence_days - cadence_days // 4))
    return start, start + timedelta(days=max(HORIZON_DAYS, cadence_days))


def _fits_both(start: datetime, minutes: int, zones: Sequence[str], hours: WorkingHours) -> bool:
    last_minute = start + timedelta(minutes=minutes - 1)
    for tz in zones:
        zone = ZoneInfo(tz)
        if start.astimezone(zone).date() != last_minute.astimezone(zone).date():
            return False
        if not (is_working_time(start, tz, hours) and is_working_time(last_minute, tz, hours)):
            return False
    return True


def _first_step(moment: datetime) -> datetime:
    rounded = moment.replace(minute=0, second=0, microsecond=0)
    while rounded < moment:
        rounded += STEP
    return rounded


def suggest_times(
    *, now: datetime, zones: Sequence[str], hours: WorkingHours, minutes: int, cadence_days: int,
    last_session: datetime | None, busy: Sequence[BusyBlock],
) -> Suggestions:
    """Up to three start times in order; none, with the reason, when no time suits both."""
    start, end = search_window(now=now, cadence_days=cadence_days, last_session=last_session)
    length = timedelta(minutes=minutes)
    reader = ZoneInfo(zones[0]) if zones else None
    fitting_by_day: dict[date, list[datetime]] = {}  # the reader's calendar days, in order
    moment = _first_step(start)
    while moment + length <= end:
        if _fits_both(moment, minutes, zones, hours):
            day = moment.astimezone(reader).date() if reader is not None else moment.date()
            fitting_by_day.setdefault(day, []).append(moment)
        moment += STEP
    shared = bool(fitting_by_day)
    chosen: list[datetime] = []
    for fitting in fitting_by_day.values():
        free = [slot for slot in fitting if not any(block.overlaps(slot, slot + length) for block in busy)]
        if free:
            # The free start nearest the middle of the hours they share that day (the earlier on a tie), so
            # neither is asked to start their day with it or stay late when the day allows otherwise.
            middle = fitting[0] + (fitting[-1] - fitting[0]) / 2
            chosen.append(min(free, key=lambda slot: (abs(slot - middle), slot)))
        if len(chosen) == SUGGESTED:
            break
    if chosen:
        return Suggestions(tuple(chosen))
    return Suggestions((), NoSuggestion.ALL_BUSY if shared else NoSuggestion.NO_SHARED_HOURS)
