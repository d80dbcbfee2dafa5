"""Typed session times, read in the person's zone relative to `now` (never the wall clock)."""

from datetime import UTC, date, datetime

import pytest

from bot.rules.time_reading import ParsedDay, is_late_cancellation, overlaps, parse_day, parse_when
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


def test_an_iso_date_is_never_ambiguous():
    assert parse_when("2026-12-08 01:30", tz="Asia/Kolkata", now=NOW).when == datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
    assert parse_when("2026-04-03 10:00", tz="UTC", now=NOW).when == datetime(2026, 4, 3, 10, 0, tzinfo=UTC)
    assert parse_when("2026/12/08 10am", tz="UTC", now=NOW).when == datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


def test_an_iso_date_that_does_not_exist_is_unreadable_not_read_another_way():
    assert parse_when("2026-13-01 10:00", tz="UTC", now=NOW).problem is TimeProblem.UNPARSEABLE
    assert parse_when("2026-02-30 10:00", tz="UTC", now=NOW).problem is TimeProblem.UNPARSEABLE


def test_day_and_month_in_numbers_are_still_ambiguous_with_a_year():
    assert parse_when("3/4/2026 10am", tz="UTC", now=NOW).problem is TimeProblem.NUMERIC_DATE
    assert parse_when("03-04 10am", tz="UTC", now=NOW).problem is TimeProblem.NUMERIC_DATE
    assert parse_when("20/3 10am", tz="UTC", now=NOW).when == datetime(2026, 3, 20, 10, 0, tzinfo=UTC)


# --- days: `away until`, `admin pause ... until`, an action's `by ...` ---------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("20 December", date(2026, 12, 20)),
        ("next friday", date(2026, 3, 6)),
        ("friday", date(2026, 3, 6)),
        ("2026-12-20", date(2026, 12, 20)),
        ("20 Dec 2026", date(2026, 12, 20)),
        ("20/12/2026", date(2026, 12, 20)),
        ("tomorrow", date(2026, 3, 4)),
        ("next week", date(2026, 3, 10)),
        ("next tuesday", date(2026, 3, 10)),
    ],
)
def test_a_day_is_read_from_words_or_an_iso_date(typed, expected):
    assert parse_day(typed, tz="Europe/London", now=NOW) == ParsedDay(day=expected)


def test_a_day_is_read_in_the_persons_zone():
    late = datetime(2026, 3, 3, 20, 0, tzinfo=UTC)  # 20:00 Tuesday in London, 01:30 Wednesday in Kolkata
    assert parse_day("tomorrow", tz="Europe/London", now=late).day == date(2026, 3, 4)
    assert parse_day("tomorrow", tz="Asia/Kolkata", now=late).day == date(2026, 3, 5)
    assert parse_day("2026-03-03", tz="Asia/Kolkata", now=late).problem is TimeProblem.IN_THE_PAST


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", TimeProblem.EMPTY),
        ("soon", TimeProblem.UNPARSEABLE),
        ("March", TimeProblem.UNPARSEABLE),
        ("2026-13-01", TimeProblem.UNPARSEABLE),
        ("2026-02-30", TimeProblem.UNPARSEABLE),
        ("3/4", TimeProblem.NUMERIC_DATE),
        ("01/04/2026", TimeProblem.NUMERIC_DATE),
        ("tuesday", TimeProblem.SAME_WEEKDAY),
        ("yesterday", TimeProblem.IN_THE_PAST),
        ("2026-03-01", TimeProblem.IN_THE_PAST),
        ("1 March 2026", TimeProblem.IN_THE_PAST),
    ],
)
def test_a_day_that_is_ambiguous_past_or_unreadable_is_refused(typed, problem):
    assert parse_day(typed, tz="Europe/London", now=NOW) == ParsedDay(problem=problem)


def test_today_is_refused_only_where_the_day_must_come_after_it():
    assert parse_day("today", tz="UTC", now=NOW).day == date(2026, 3, 3)
    assert parse_day("2026-03-03", tz="UTC", now=NOW, after_today=True).problem is TimeProblem.TODAY
