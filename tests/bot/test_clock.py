from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.clock import ManualClock, SystemClock


def test_system_clock_is_aware_and_utc():
    assert SystemClock().now().utcoffset() == timedelta(0)


def test_manual_clock_moves_only_forward():
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    clock.advance(timedelta(hours=2))
    assert clock.now() == datetime(2026, 1, 1, 2, tzinfo=UTC)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError):
        clock.set(datetime(2025, 1, 1, tzinfo=UTC))


def test_manual_clock_refuses_naive_times_and_normalises_to_utc():
    with pytest.raises(ValueError):
        ManualClock(datetime(2026, 1, 1))  # noqa: DTZ001
    clock = ManualClock(datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=5))))
    assert clock.now() == datetime(2026, 1, 1, 7, tzinfo=UTC)
