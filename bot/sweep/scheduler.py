"""The tick: an APScheduler `AsyncIOScheduler` that runs the sweep on an interval.

APScheduler holds no per-nudge jobs and its job store is not shared: the database is the source
of truth, so a restart or a second replica loses and duplicates nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

logger = logging.getLogger(__name__)

SWEEP_JOB_ID = "sweep"


def build_scheduler(tick: Callable[[], Awaitable[object]], *, seconds: int) -> AsyncIOScheduler:
    """A scheduler (not yet started) that calls `tick` every `seconds`, one run at a time."""
    scheduler = AsyncIOScheduler(timezone="UTC")

    async def run_tick() -> None:
        try:
            await tick()
        except Exception:
            logger.exception("sweep failed; the next tick will try again")

    scheduler.add_job(
        run_tick,
        "interval",
        seconds=seconds,
        id=SWEEP_JOB_ID,
        replace_existing=True,
        max_instances=1,  # a slow sweep is never overlapped by the next tick
        coalesce=True,  # after a stall, catch up with one run, not a burst
    )
    return scheduler
