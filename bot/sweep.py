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

from bot import pairing, programme_close, retention
from bot.reflection_sweep import sweep_reflections
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


async def sweep(services: Services, client: AsyncWebClient, now: datetime) -> SweepReport:
    report = SweepReport(now=now)
    async with services.sessions.begin() as session:
        report.add("events_forgotten", await events.forget_before(session, before=now - PROCESSED_EVENTS_KEPT))
    report.add("midpoint_check_ins", await programme_close.midpoint_check_ins(services, now))
    report.add("programmes_closed", await programme_close.close_programmes(services, now))
    report.add("final_reports", await programme_close.final_reports(services, now))
    report.add("peer_support_posts", await programme_close.peer_support_posts(services, now))
    for name, count in (await sweep_reflections(services, now)).items():
        report.add(name, count)
    report.add("pairs_resumed", await pairing.resume_due_pairs(services, client, now))
    report.add("programmes_purged", await retention.purge_expired_programmes(services, now))
    report.add("uninstalled_workspaces_deleted", await retention.delete_uninstalled_workspaces(services, now))
    logger.debug("sweep done", extra={"now": now.isoformat(), "counts": report.counts})
    return report
