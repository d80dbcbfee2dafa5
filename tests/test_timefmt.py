from datetime import UTC, date, datetime

from prompts.timefmt import format_day, format_when


def test_times_are_shown_in_the_readers_zone():
    moment = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert format_when(moment, "Europe/London") == "Tue 10 Mar, 15:00 GMT"
    assert format_when(moment, "America/New_York") == "Tue 10 Mar, 11:00 EDT"
    assert format_when(moment, "Asia/Kolkata") == "Tue 10 Mar, 20:30 IST"


def test_days_are_written_out():
    assert format_day(date(2026, 9, 1)) == "Tue 1 Sep 2026"
