"""The sweep: one pass over due work, called by the scheduler on every tick.

It takes `now` rather than reading the clock itself, so a test (or the sandbox's fast-forward) can
run it at any moment in a programme's life. Each step is idempotent: running the sweep twice, or on
two replicas at once, sends nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clients import ClientProvider
from bot.flows import pairing
from bot.services import Services
from bot.sweep import measure_waves, programme_close, retention
from bot.sweep.delivery import deliver_due
from bot.sweep.momentum import enqueue_momentum
from bot.sweep.reflection_sweep import sweep_reflections
from store import events

logger = logging.getLogger(__name__)


@dataclass
class SweepReport:
    now: datetime
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + count


PROCESSED_EVENTS_KEPT = timedelta(days=1)
# Only delivery runs on every tick, which keeps a sweep with nothing due to one query. The planning
# steps read the whole store and their timing is coarse (dates, days, "a day later"); the momentum
# ladder is planned a day ahead with exact due times. So they run every few hours, and forgetting
# old event ids every two hours (they are kept a day). A new process runs each on its first sweep;
# `sweep()` without a state (a one-off, or a test) runs everything.
FORGET_EVERY = timedelta(hours=2)
PLANNING_EVERY = timedelta(hours=4)
STEP_COUNTS = (
    "events_forgotten", "momentum_planned", "midpoint_check_ins", "measures_asked", "programmes_closed", "final_reports",
    "peer_support_posts", "pairs_resumed", "programmes_purged", "uninstalled_workspaces_deleted",
)


@dataclass
class SweepState:
    """What one process remembers between sweeps: only when it last ran each slower step."""

    last_run: dict[str, datetime] = field(default_factory=dict)

    def due(self, step: str, now: datetime, every: timedelta) -> bool:
        last = self.last_run.get(step)
        if last is not None and last <= now < last + every:
            return False
        self.last_run[step] = now
        return True


async def sweep(services: Services, clients: ClientProvider, now: datetime, state: SweepState | None = None) -> SweepReport:
    """One pass; `clients` gives each workspace's Web API client (bot/tokens.py)."""
    report = SweepReport(now=now)
    for name in STEP_COUNTS:  # a step skipped this tick reports nothing done
        report.add(name, 0)
    state = state or SweepState()
    if state.due("forget", now, FORGET_EVERY):
        async with services.sessions.begin() as session:
            report.add("events_forgotten", await events.forget_before(session, before=now - PROCESSED_EVENTS_KEPT))
    if state.due("planning", now, PLANNING_EVERY):
        report.add("momentum_planned", await enqueue_momentum(services, now))
        report.add("midpoint_check_ins", await programme_close.midpoint_check_ins(services, now))
        report.add("measures_asked", await measure_waves.ask_measures(services, now))  # before the close ends the pairs
        report.add("programmes_closed", await programme_close.close_programmes(services, now))
        report.add("final_reports", await programme_close.final_reports(services, now))
        report.add("peer_support_posts", await programme_close.peer_support_posts(services, now))
        for name, count in (await sweep_reflections(services, now)).items():
            report.add(name, count)
        report.add("pairs_resumed", await pairing.resume_due_pairs(services, clients, now))
        report.add("programmes_purged", await retention.purge_expired_programmes(services, now))
        report.add("uninstalled_workspaces_deleted", await retention.delete_uninstalled_workspaces(services, now))
    # Last, so what the steps above created goes out in the same sweep.
    delivery = await deliver_due(services, clients, now)
    for name in ("sent", "deferred", "retried", "dead", "withdrawn", "expired"):
        report.add(f"outbox_{name}", getattr(delivery, name))
    logger.debug("sweep done", extra={"now": now.isoformat(), "counts": report.counts})
    return report
