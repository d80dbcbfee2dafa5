"""The sweep: one pass over due work, called by the scheduler on every tick.

It takes `now` rather than reading the clock itself, so a test (or the sandbox's fast-forward) can
run it at any moment in a programme's life. Each step is idempotent: running the sweep twice, or on
two replicas at once, sends nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import deliver_due
from bot.momentum import enqueue_momentum
from bot.services import Services
from store import events

logger = logging.getLogger(__name__)


@dataclass
class SweepReport:
    now: datetime
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + count


PROCESSED_EVENTS_KEPT = timedelta(days=1)
# Forgetting old event ids and planning the momentum ladder (which looks a day ahead) need not run
# on every tick: every few hours keeps the sweep to one query when nothing is due. A new process
# runs them on its first sweep.
SLOW_STEPS_EVERY = timedelta(hours=4)


@dataclass
class SweepState:
    """What one process remembers between sweeps: only when it last ran the slower steps."""

    slow_steps_at: datetime | None = None


async def sweep(services: Services, client: AsyncWebClient, now: datetime, state: SweepState | None = None) -> SweepReport:
    report = SweepReport(now=now)
    if state is None or state.slow_steps_at is None or not state.slow_steps_at <= now < state.slow_steps_at + SLOW_STEPS_EVERY:
        async with services.sessions.begin() as session:
            report.add("events_forgotten", await events.forget_before(session, before=now - PROCESSED_EVENTS_KEPT))
        report.add("momentum_planned", await enqueue_momentum(services, now))
        if state is not None:
            state.slow_steps_at = now
    delivery = await deliver_due(services, client, now)
    for name in ("sent", "deferred", "retried", "dead", "withdrawn", "expired"):
        report.add(f"outbox_{name}", getattr(delivery, name))
    logger.debug("sweep done", extra={"now": now.isoformat(), "counts": report.counts})
    return report
