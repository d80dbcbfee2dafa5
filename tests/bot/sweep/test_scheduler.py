"""The scheduler ticks the sweep on its interval; the sweep is wired to the running bot's clock."""

import asyncio
from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.runtime import Runtime
from bot.sweep.scheduler import SWEEP_JOB_ID, build_scheduler


def test_sweep_job_fires_on_its_interval():
    scheduler = build_scheduler(lambda: asyncio.sleep(0), seconds=60)
    job = scheduler.get_job(SWEEP_JOB_ID)
    fixed_now = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    first = job.trigger.get_next_fire_time(None, fixed_now)
    second = job.trigger.get_next_fire_time(first, first)
    assert second - first == timedelta(seconds=60)
    assert job.max_instances == 1 and job.coalesce is True


async def test_running_scheduler_calls_the_tick_and_survives_a_failing_one():
    calls = []
    done = asyncio.Event()

    async def tick():
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("first tick fails")
        done.set()

    scheduler = build_scheduler(tick, seconds=1)
    scheduler.start()
    try:
        scheduler.get_job(SWEEP_JOB_ID).modify(next_run_time=datetime.now(UTC))
        await asyncio.wait_for(done.wait(), timeout=5)
    finally:
        scheduler.shutdown(wait=False)
    assert len(calls) >= 2


async def test_sweep_runs_at_the_injected_clock_time(bot: Runtime, clock: ManualClock):
    clock.advance(timedelta(days=3))
    report = await bot.sweep_now()
    assert report.now == clock.now()


async def test_runtime_starts_and_stops_the_scheduler(bot: Runtime):
    bot.start_scheduler()
    assert bot.scheduler.running
    await bot.stop()
    assert not bot.scheduler.running
