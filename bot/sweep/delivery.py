"""Outbox delivery: claim due messages with a lease, post them, and settle each exactly once.

On PostgreSQL the claim is `SELECT ... FOR UPDATE SKIP LOCKED`, so replicas split the due rows
between them; on SQLite (no FOR UPDATE) a batch is claimed by one conditional `UPDATE ... WHERE id
IN (...) AND <still claimable> RETURNING id` in a write transaction, so a row another sweeper took
first is left out. A claim carries a lease (OUTBOX_LEASE_SECONDS): if the process dies mid-delivery,
the row is taken again once the lease runs out, so a restart loses nothing; and since its post may
already have reached Slack, the row is first looked for in the recipient's DM by the outbox key its
message metadata carries, so it is not sent twice either. A claim names its claimant (host, process
id, pass), so an operator can tell which replica holds or sent a row.

Slack's 429 (Retry-After) is waited out inside the client; a post is never repeated blindly by the
client after a 5xx, a timeout or a dropped connection (slack_sdk's retry handlers would, see
bot/clients.py), since Slack may have taken it: such a row goes back to pending marked in doubt, with a
growing backoff, and is looked for in the DM before it is posted again. Errors that will never
succeed mark the row dead with the reason. A failure of any shape (an
HTML 502, a non-JSON body, a dropped connection: bot/slack_errors.py) settles its own row and the
pass goes on. A row none of our keys decrypts is marked dead in the claim itself (store/outbox.py).

This module is the pass itself (claim, lanes, workers); the check for rows in doubt is
bot/sweep/delivery_doubt.py, what is retried and how bot/sweep/delivery_retries.py, and what a pass remembers and
how it settles its rows bot/sweep/delivery_context.py; an email invite goes out through bot/sweep/invites.py, a connected calendar's event through bot/sweep/calendar_events.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.clients import ClientProvider, NotInstalled
from bot.rules.nudges import NOT_CAPPED, is_session_bound
from bot.rules.quiet_hours import decide
from bot.services import Services
from bot.slack_errors import SLACK_FAILURES, error_code
from bot.sweep.calendar_events import deliver_calendar_event
from bot.sweep.dead_posts import tell_admins_post_died
from bot.sweep.delivery_context import DeliveryReport, PassContext, Settler
from bot.sweep.delivery_doubt import outbox_metadata, settled_from_history
from bot.sweep.delivery_retries import MAX_ATTEMPTS, PERMANENT_ERRORS, backoff, outcome_unknown
from bot.sweep.invites import deliver_invite
from bot.sweep.reminder_topics import with_proposed_topic
from domain.nudges import Kind
from domain.statuses import OutboxStatus
from store import outbox
from store.models import Outbox

logger = logging.getLogger(__name__)

BATCH = 200  # rows claimed at once (one UPDATE); at Slack's pace a batch goes out in about a second
# Posts in flight at once: enough to keep up with Slack's allowed rate while each call waits on the
# network; past the limit the client waits out the 429s. Each post is settled before its worker takes
# the next row, so a crash leaves at most this many posts in doubt (Slack took them, we had not recorded
# them): whoever takes their rows over finds them in the DMs before posting (bot/sweep/delivery_doubt.py).
CONCURRENT_RECIPIENTS = 16
PASS_SECONDS = 45.0  # one delivery pass stops claiming after this long (wall time), leaving the rest for the next tick


def worker_id() -> str:
    """Who claims a batch: this host and process, and this delivery pass (at most 64 characters)."""
    return f"{socket.gethostname()[:32]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


async def deliver_due(
    services: Services, clients: ClientProvider, now: datetime, *, keys: Sequence[str] | None = None, worker: str | None = None
) -> DeliveryReport:
    """Deliver what is due at `now` (only `keys`, when given: a handler delivering its own notices).

    `clients` gives each workspace's Web API client (one token, or each installation's under OAuth).
    Batches are claimed ahead while the posts of the last one are still going out, so the workers never
    wait for the slowest post of a batch (one waiting out a 429, say) before starting the next."""
    worker = worker or worker_id()
    report = DeliveryReport()
    context = PassContext(services, clients, now, Settler(services, worker, now))
    lanes = _Lanes(context, report)
    workers = [asyncio.create_task(lanes.work()) for _ in range(CONCURRENT_RECIPIENTS)]
    try:
        started = time.monotonic()
        while True:
            # Each batch's lease runs from its own claim, not from the start of the pass: a pass may go
            # on for longer than the lease, and a later batch must not be born already expired.
            claimed_at = now + timedelta(seconds=time.monotonic() - started)
            rows = await _claim(services, now=now, claimed_at=claimed_at, worker=worker, keys=keys)
            await context.prepare(rows)
            lanes.add(rows)
            # Keep going while there is more due, within a budget so a huge backlog cannot hold a tick
            # (or a handler) for ever; what is left goes out on the next sweep.
            if len(rows) < BATCH or keys is not None or time.monotonic() - started > PASS_SECONDS:
                break
            await lanes.wait_until_fewer_than(BATCH // 2)
        await lanes.finish(workers)
    finally:
        for task in workers:
            task.cancel()  # only left running when another worker failed
    return report


class _Lanes:
    """One lane per recipient: their claimed rows in order, delivered one after another by whichever
    worker took the lane, while other workers serve other people. Concurrency across recipients
    without racing the weekly cap of any one of them; a row claimed for someone whose lane is busy
    joins the end of it."""

    def __init__(self, context: PassContext, report: DeliveryReport) -> None:
        self.context = context
        self.report = report
        self.lanes: dict[tuple[str, str], deque[Outbox]] = {}
        self.ready: asyncio.Queue[tuple[str, str] | None] = asyncio.Queue()
        self.outstanding = 0
        self.progress = asyncio.Event()
        self.failed = False

    def add(self, rows: list[Outbox]) -> None:
        for row in rows:
            lane = (row.team_id, row.recipient_id)
            if lane in self.lanes:
                self.lanes[lane].append(row)
            else:
                self.lanes[lane] = deque([row])
                self.ready.put_nowait(lane)
        self.outstanding += len(rows)

    async def wait_until_fewer_than(self, count: int) -> None:
        while self.outstanding >= count and not self.failed:
            self.progress.clear()
            await self.progress.wait()

    async def finish(self, workers: list[asyncio.Task[None]]) -> None:
        for _ in workers:
            self.ready.put_nowait(None)
        await asyncio.gather(*workers)

    async def work(self) -> None:
        try:
            while (lane := await self.ready.get()) is not None:
                queue = self.lanes[lane]
                while queue:
                    await self._deliver(queue.popleft())
                    self.outstanding -= 1
                    self.progress.set()
                del self.lanes[lane]  # no await since the queue ran dry: nothing joined it meanwhile
        except BaseException:
            self.failed = True  # its lane's rows stay claimed until their lease runs out; the pass stops
            self.progress.set()
            raise

    async def _deliver(self, row: Outbox) -> None:
        if outbox.in_doubt(row) and await settled_from_history(self.context, row, report=self.report):
            return
        if row.expires_at is not None and row.expires_at <= self.context.now:
            # Its moment has passed (a reminder for a session already begun): withdrawn, never sent late.
            await self.context.settle(row, OutboxStatus.WITHDRAWN, error="expired before it could be sent")
            self.report.expired += 1
            return
        await _deliver_one(self.context, row, report=self.report)


async def _claim(
    services: Services, *, now: datetime, claimed_at: datetime, worker: str, keys: Sequence[str] | None
) -> list[Outbox]:
    lease_until = claimed_at + timedelta(seconds=services.settings.outbox_lease_seconds)
    if services.sessions.kw["bind"].dialect.name == "postgresql":
        async with services.sessions.begin() as session:
            return await outbox.claim_locked(session, now=now, worker=worker, lease_until=lease_until, limit=BATCH, keys=keys)
    async with services.sessions() as session:  # a read: no transaction to commit
        candidates = await outbox.due_ids(session, now=now, limit=BATCH, keys=keys)
    if not candidates:
        return []
    # One transaction whose first statement is a write, so SQLite takes its write lock (waiting on
    # busy_timeout) rather than failing a read snapshot that went stale; the conditional UPDATE only
    # touches rows still claimable, so a row another sweeper took in between is skipped.
    async with services.sessions.begin() as session:
        return await outbox.claim_many(session, outbox_ids=candidates, now=now, worker=worker, lease_until=lease_until)


async def _deliver_one(context: PassContext, row: Outbox, *, report: DeliveryReport) -> None:
    now = context.now
    assert row.id is not None
    # A channel (a cohort's peer post) has no working hours of its own; a person does.
    if not is_session_bound(row.kind) and not row.recipient_id.startswith(("C", "G")):
        decision = decide(
            kind=row.kind,
            session_bound=False,
            recipient=await context.recipient(row.team_id, row.recipient_id),
            hours=await context.working_hours(row.team_id, row.recipient_id),
            now=now,
            recent_sent=await context.recent_nudges(row.team_id, row.recipient_id),
            capped=row.kind not in NOT_CAPPED,
        )
        if decision.withdraw_reason is not None:
            await context.settle(row, OutboxStatus.WITHDRAWN, error=decision.withdraw_reason)
            report.withdrawn += 1
            return
        if decision.defer_until is not None:
            await context.settle(row, OutboxStatus.PENDING, due_at=decision.defer_until)
            report.deferred += 1
            return
    if row.kind == Kind.REMINDER and not await context.session_still_on(row.team_id, row.key):
        await context.settle(row, OutboxStatus.WITHDRAWN, error="the session or its pair is no longer on")
        report.withdrawn += 1
        return
    try:
        message = json.loads(row.payload)
    except ValueError:  # decrypted, but not the JSON enqueue wrote: it can never be sent
        await context.settle(row, OutboxStatus.DEAD, error="unreadable: the payload is not a message", count_attempt=True)
        report.dead += 1
        logger.warning("outbox %s dead: unreadable payload", row.key)
        return
    if row.kind == Kind.INVITE:  # an email, not a Slack post
        await deliver_invite(context, row, message, report=report)
        return
    if row.kind == Kind.CALENDAR_EVENT:  # a connected calendar's event, not a Slack post
        await deliver_calendar_event(context, row, message, report=report)
        return
    if row.kind == Kind.REMINDER:
        try:
            message = await with_proposed_topic(context.services, row) or message
        except Exception:  # the topic is a proposal: the reminder as written still goes
            logger.exception("outbox %s: could not read the roadmap's next topic; sending the reminder as written", row.key)
    try:
        client = await context.client(row.team_id)
    except NotInstalled:
        await context.settle(row, OutboxStatus.DEAD, error="not_installed", count_attempt=True)
        report.dead += 1
        return
    try:
        response = await context.poster(row.team_id, client).chat_postMessage(
            channel=row.recipient_id,
            text=message.get("text", ""),
            blocks=message.get("blocks"),
            metadata=outbox_metadata(row),
            unfurl_links=False,
        )
    except Exception as error:  # every shape a failed call takes (bot/slack_errors.py); the pass goes on
        code = error_code(error)
        if code in PERMANENT_ERRORS or row.attempts + 1 >= MAX_ATTEMPTS:
            await context.settle(row, OutboxStatus.DEAD, error=code, count_attempt=True)
            report.dead += 1
            logger.warning("outbox %s dead: %s", row.key, code)
            await tell_admins_post_died(context.services, row, error=code, now=now)
        else:
            await context.settle(
                row, OutboxStatus.PENDING, error=f"{outbox.IN_DOUBT}{code}" if outcome_unknown(code) else code,
                due_at=now + backoff(row.attempts + 1), count_attempt=True,
            )
            report.retried += 1
            if isinstance(error, SLACK_FAILURES):
                logger.info("outbox %s will retry: %s", row.key, code)
            else:
                logger.exception("outbox %s: delivery failed; will retry", row.key)
        return
    await context.settle(row, OutboxStatus.SENT, sent_channel=response.get("channel"), sent_ts=response.get("ts"))
    if not is_session_bound(row.kind):
        (await context.recent_nudges(row.team_id, row.recipient_id)).append(now)
    report.sent += 1
