"""Typed session times, read in the person's zone relative to `now` (never the wall clock)."""

from datetime import UTC, datetime

from bot.rules.time_reading import is_late_cancellation, overlaps, parse_when
from domain.times import TimeProblem

NOW = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # Tue 3 Mar: 15:00 in London, 10:00 in New York


def test_next_weekday_with_a_time_is_read_in_the_persons_zone():
    assert parse_when("next tuesday 3pm", tz="Europe/London", now=NOW).when == datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert parse_when("tomorrow at 9:30", tz="America/New_York", now=NOW).when == datetime(2026, 3, 4, 14, 30, tzinfo=UTC)


def test_relative_to_now_not_the_wall_clock():
    later = datetime(2030, 1, 7, 12, 0, tzinfo=UTC)
    assert parse_when("tomorrow 10am", tz="UTC", now=later).when == datetime(2030, 1, 8, 10, 0, tzinfo=UTC)


def test_problems_are_named():
    assert parse_when("", tz="UTC", now=NOW).problem is TimeProblem.EMPTY
    assert parse_when("whenever", tz="UTC", now=NOW).problem is TimeProblem.UNPARSEABLE
    assert parse_when("friday", tz="UTC", now=NOW).problem is TimeProblem.NO_TIME
    assert parse_when("tuesday 5pm", tz="UTC", now=NOW).problem is TimeProblem.SAME_WEEKDAY
    assert parse_when("4/5 10am", tz="UTC", now=NOW).problem is TimeProblem.NUMERIC_DATE
    assert parse_when("yesterday 10am", tz="UTC", now=NOW).problem is TimeProblem.IN_THE_PAST
    assert parse_when("tomorrow 10am", tz="UTC", now=NOW, past=True).problem is TimeProblem.IN_THE_FUTURE


def test_logging_reads_times_in_the_past():
    assert parse_when("yesterday 4pm", tz="Europe/London", now=NOW, past=True).when == datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def test_overlap_is_any_shared_minute():
    start = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert overlaps(start, 60, [(datetime(2026, 3, 10, 15, 30, tzinfo=UTC), 30)])
    assert not overlaps(start, 60, [(datetime(2026, 3, 10, 16, 0, tzinfo=UTC), 30)])
    assert not overlaps(start, 60, [(datetime(2026, 3, 10, 14, 0, tzinfo=UTC), 60)])


def test_a_cancellation_under_a_day_ahead_is_late():
    start = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert is_late_cancellation(start, datetime(2026, 3, 9, 15, 1, tzinfo=UTC))
    assert not is_late_cancellation(start, datetime(2026, 3, 9, 15, 0, tzinfo=UTC))
