"""Three times that suit both: inside both people's working hours for the whole session, clear of every
busy block, around the charter's cadence and on different days, right across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.rules.quiet_hours import WorkingHours, is_working_time
from bot.rules.suggested_times import MIN_NOTICE, away_block, search_window, suggest_times
from domain.busy import BusyBlock
from domain.suggestions import NoSuggestion

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday
HOURS = WorkingHours(8, 19)
LONDON, NEW_YORK, KOLKATA, TOKYO = "Europe/London", "America/New_York", "Asia/Kolkata", "Asia/Tokyo"


def _suggest(zones=(LONDON, NEW_YORK), *, now=NOW, minutes=60, cadence_days=14, last=None, busy=(), hours=HOURS):
    return suggest_times(now=now, zones=zones, hours=hours, minutes=minutes, cadence_days=cadence_days, last_session=last, busy=busy)


def _inside_both(start: datetime, minutes: int, zones) -> bool:
    end = start + timedelta(minutes=minutes - 1)
    return all(is_working_time(start, tz, HOURS) and is_working_time(end, tz, HOURS)
               and start.astimezone(ZoneInfo(tz)).date() == end.astimezone(ZoneInfo(tz)).date() for tz in zones)


def test_three_times_each_wholly_inside_both_working_days_on_three_different_days():
    found = _suggest()
    assert found.problem is None and len(found.times) == 3
    assert all(_inside_both(start, 60, (LONDON, NEW_YORK)) for start in found.times)
    assert len({start.astimezone(ZoneInfo(LONDON)).date() for start in found.times}) == 3
    assert list(found.times) == sorted(found.times)
    # London 8-19 and New York 8-19 share 13:00-19:00 London time (12:00-19:00 once New York's clocks go
    # forward on 8 March): each session starts in the middle of the starts that fit (13:00-18:00, then
    # 12:00-18:00), not at the first minute of New York's day.
    assert [start.astimezone(ZoneInfo(LONDON)).strftime("%a %H:%M") for start in found.times] == ["Thu 15:30", "Fri 15:30", "Mon 15:00"]


def test_no_time_before_the_minimum_notice_and_none_long_before_the_cadence_is_due():
    assert all(start >= NOW + MIN_NOTICE for start in _suggest().times)
    last = NOW - timedelta(days=2)
    found = _suggest(cadence_days=30, last=last)
    due = last + timedelta(days=30)
    assert all(start >= due - timedelta(days=30 // 4) for start in found.times)
    start, end = search_window(now=NOW, cadence_days=30, last_session=last)
    assert start == due - timedelta(days=7) and end > start


def test_a_busy_block_is_never_overlapped_and_a_slot_may_end_exactly_where_one_starts():
    first = _suggest().times[0]
    busy = (BusyBlock(first, first + timedelta(minutes=60)),)
    moved = _suggest(busy=busy)
    assert first not in moved.times
    assert not any(block.overlaps(start, start + timedelta(minutes=60)) for start in moved.times for block in busy)
    adjacent = (BusyBlock(first + timedelta(minutes=60), first + timedelta(hours=3)),)
    assert _suggest(busy=adjacent).times[0] == first  # [start, end): touching is not overlapping


def test_an_all_day_block_moves_that_days_suggestion_to_another_day():
    first = _suggest().times[0]
    day = first.astimezone(ZoneInfo(LONDON)).replace(hour=0, minute=0)
    all_day = (BusyBlock(day.astimezone(UTC), (day + timedelta(days=1)).astimezone(UTC)),)
    found = _suggest(busy=all_day)
    assert len(found.times) == 3
    assert all(start.astimezone(ZoneInfo(LONDON)).date() != day.date() for start in found.times)


def test_across_the_march_change_each_suggestion_still_fits_both_local_days():
    # New York moves its clocks on 8 March 2026, London on 29 March: for three weeks the overlap is an hour longer.
    found = _suggest(now=datetime(2026, 3, 6, 9, 0, tzinfo=UTC), minutes=90)
    assert len(found.times) == 3
    assert all(_inside_both(start, 90, (LONDON, NEW_YORK)) for start in found.times)
    before = _suggest(now=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), minutes=90).times[0]
    after = _suggest(now=datetime(2026, 3, 10, 9, 0, tzinfo=UTC), minutes=90).times[0]
    # The shared starts in London time run 13:00-17:30, then 12:00-17:30 once New York is on summer time:
    # their middle (the earlier half hour on a tie) moves from 15:00 to 14:30.
    assert before.astimezone(ZoneInfo(LONDON)).strftime("%H:%M") == "15:00" and after.astimezone(ZoneInfo(LONDON)).strftime("%H:%M") == "14:30"


def test_zones_whose_working_days_never_meet_say_so_and_suggest_no_night():
    # 09:00-17:00 in Tokyo is 00:00-08:00 in London (in March): their working days never meet.
    found = _suggest((LONDON, TOKYO), hours=WorkingHours(9, 17))
    assert found.times == () and found.problem is NoSuggestion.NO_SHARED_HOURS


def test_a_session_longer_than_the_shared_hours_is_refused_as_no_shared_hours():
    found = _suggest((LONDON, KOLKATA), minutes=180, hours=WorkingHours(9, 17))  # London 9-17 meets Kolkata 9-17 for 2.5 hours
    assert found.times == () and found.problem is NoSuggestion.NO_SHARED_HOURS
    assert _suggest((LONDON, KOLKATA), minutes=120, hours=WorkingHours(9, 17)).problem is None


def test_every_shared_hour_taken_says_all_busy():
    start, end = search_window(now=NOW, cadence_days=14, last_session=None)
    found = _suggest(busy=(BusyBlock(start - timedelta(days=1), end + timedelta(days=1)),))
    assert found.times == () and found.problem is NoSuggestion.ALL_BUSY


def test_an_away_day_is_busy_to_the_end_of_that_day_in_the_persons_zone():
    start = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    # Tue 10 March ends at midnight in New York: 04:00 UTC on Wednesday, once its clocks have gone forward.
    assert away_block(date(2026, 3, 10), "America/New_York", start=start) == BusyBlock(start, datetime(2026, 3, 11, 4, 0, tzinfo=UTC))
    assert away_block(date(2026, 3, 4), "America/New_York", start=start) is None  # back before the window opens
    assert away_block(None, "Europe/London", start=start) is None
