"""The sweep over shared due work: two replicas at once deliver each nudge once; a quiet sweep is cheap."""

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.flows import bookings
from bot.runtime import build_runtime
from domain.statuses import OutboxStatus
from store.models import Outbox
from tests.factories import make_charter, make_pair, make_programme


async def test_two_sweeps_at_once_deliver_each_nudge_once(bot, settings, clock, workspace):
    start = clock.now()
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=start)
        first = await make_pair(session, programme=programme, now=start)
        await make_charter(session, pair=first, now=start)
        # A second pair agreed on Monday 2 March and has booked nothing: its driver is due a nudge on Thursday 12th.
        second = await make_pair(session, programme=programme, now=start - timedelta(days=2), mentor_id="U0OTHER", mentee_id="U0OWNER")
        await make_charter(session, pair=second, now=start - timedelta(days=2))
    booked = await bookings.book(bot.services, bot.app.client, team_id="T0FLIPSIDE", user_id="U0MENTEE",
                                 starts_at=datetime(2026, 3, 13, 12, 0, tzinfo=UTC), minutes=60, topic_key=None, location="", now=start)
    assert booked.refusal is None
    replica = await build_runtime(settings, clock)
    try:
        clock.set(datetime(2026, 3, 12, 12, 30, tzinfo=UTC))
        await asyncio.gather(bot.sweep_now(), replica.sweep_now(), bot.sweep_now(), replica.sweep_now())
    finally:
        await replica.stop()
    posted = Counter(call.args["metadata"]["event_payload"]["key"] for call in workspace.calls_to("chat.postMessage"))
    async with bot.services.sessions() as session:
        sent = {row.key for row in (await session.exec(select(Outbox).where(Outbox.status == OutboxStatus.SENT))).all()}
    assert set(posted) == sent
    assert set(posted.values()) == {1}
    kinds = Counter(call.args["metadata"]["event_payload"]["kind"] for call in workspace.calls_to("chat.postMessage"))
    assert kinds == {"session_booked": 2, "reminder": 2, "momentum": 1, "measures_baseline": 4}  # both pairs agreed their charter: the measures start


async def test_a_sweep_with_nothing_due_sends_nothing(bot, clock, workspace):
    for _ in range(3):
        clock.advance(timedelta(minutes=1))
        report = await bot.sweep_now()
        assert report.counts.get("outbox_sent", 0) == 0
    assert workspace.calls_to("chat.postMessage") == []
