"""Outbox delivery: claim due messages with a lease, post them, and settle each exactly once.

On PostgreSQL the claim is `SELECT ... FOR UPDATE SKIP LOCKED`, so replicas split the due rows
between them; on SQLite (no FOR UPDATE) each row is claimed by a conditional `UPDATE ... WHERE
status = 'pending'` that must touch exactly one row. A claim carries a lease (OUTBOX_LEASE_SECONDS):
if the process dies mid-delivery, the row is taken again once the lease runs out, so a restart loses
nothing. A claim names its claimant (host, process id, pass), so an operator can tell which replica
holds or sent a row.

Slack's 429 (Retry-After) and 5xx are first retried inside the client (slack_sdk's async retry
handlers, see bot/app.py); what still fails goes back to pending with a growing backoff, except the
errors that will never succeed, which mark the row dead with the reason.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.clients import ClientProvider, NotInstalled
from bot.directory import known_person
from bot.nudges import NOT_CAPPED, SESSION_BOUND, Kind, is_session_bound, session_id_of
from bot.quiet_hours import CAP_WINDOW, Recipient, WorkingHours, decide, parse_muted
from bot.services import Services
from store import outbox, people, programmes
from store import sessions as sessions_store
from store.models import Outbox, OutboxStatus

logger = logging.getLogger(__name__)

PERMANENT_ERRORS = frozenset(
    {"user_not_found", "account_inactive", "channel_not_found", "not_in_channel", "user_disabled", "is_archived", "invalid_blocks"}
)
BATCH = 50
CONCURRENT_RECIPIENTS = 8  # posts in flight at once; Slack's per-workspace limits are waited out by the client
PASS_SECONDS = 45.0  # one delivery pass stops claiming after this long (wall time), leaving the rest for the next tick
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after each failed attempt, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=1))


def worker_id() -> str:
    """Who claims a batch: this host and process, and this delivery pass (at most 64 characters)."""
    return f"{socket.gethostname()[:32]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass
class DeliveryReport:
    sent: int = 0
    deferred: int = 0
    retried: int = 0
    dead: int = 0
    withdrawn: int = 0
    expired: int = 0
    details: list[str] = field(default_factory=list)


async def deliver_due(
    services: Services, clients: ClientProvider, now: datetime, *, keys: Sequence[str] | None = None, worker: str | None = None
) -> DeliveryReport:
    """Deliver what is due at `now` (only `keys`, when given: a handler delivering its own notices).

    `clients` gives each workspace's Web API client (one token, or each installation's under OAuth)."""
    worker = worker or worker_id()
    report = DeliveryReport()
    context = _Context(services, clients, now)
    started = time.monotonic()
    while True:
        # Each batch's lease runs from its own claim, not from the start of the pass: a pass may go
        # on for longer than the lease, and a later batch must not be born already expired.
        claimed_at = now + timedelta(seconds=time.monotonic() - started)
        rows = await _claim(services, now=now, claimed_at=claimed_at, worker=worker, keys=keys)
        await _deliver_batch(context, rows, worker=worker, report=report)
        # Keep going while there is more due, within a budget so a huge backlog cannot hold a tick
        # (or a handler) for ever; what is left goes out on the next sweep.
        if len(rows) < BATCH or keys is not None or time.monotonic() - started > PASS_SECONDS:
            return report


async def _deliver_batch(context: _Context, rows: list[Outbox], *, worker: str, report: DeliveryReport) -> None:
    """Different people at once (a few at a time), each person's messages in order, one after another:
    concurrency across recipients without racing the weekly cap of any one of them."""
    by_recipient: dict[tuple[str, str], list[Outbox]] = {}
    for row in rows:
        by_recipient.setdefault((row.team_id, row.recipient_id), []).append(row)
    gate = asyncio.Semaphore(CONCURRENT_RECIPIENTS)

    async def deliver_to(queue: list[Outbox]) -> None:
        async with gate:
            for row in queue:
                if row.expires_at is not None and row.expires_at <= context.now:
                    # Its moment has passed (a reminder for a session already begun): withdrawn, never sent late.
                    await _settle(context.services, row, worker, OutboxStatus.WITHDRAWN, context.now, error="expired before it could be sent")
                    report.expired += 1
                    continue
                await _deliver_one(context, row, worker=worker, report=report)

    await asyncio.gather(*(deliver_to(queue) for queue in by_recipient.values()))


async def _claim(
    services: Services, *, now: datetime, claimed_at: datetime, worker: str, keys: Sequence[str] | None
) -> list[Outbox]:
    lease_until = claimed_at + timedelta(seconds=services.settings.outbox_lease_seconds)
    if services.sessions.kw["bind"].dialect.name == "postgresql":
        async with services.sessions.begin() as session:
            return await outbox.claim_locked(session, now=now, worker=worker, lease_until=lease_until, limit=BATCH, keys=keys)
    async with services.sessions() as session:  # a read: no transaction to commit
        candidates = await outbox.due_ids(session, now=now, limit=BATCH, keys=keys)
    claimed: list[Outbox] = []
    # One transaction whose first statement is a write, so SQLite takes its write lock (waiting on
    # busy_timeout) rather than failing a read snapshot that went stale; each row's conditional
    # UPDATE must touch exactly that row, so a row another sweeper took in between is skipped.
    async with services.sessions.begin() as session:
        for outbox_id in candidates:
            row = await outbox.claim_one(session, outbox_id=outbox_id, now=now, worker=worker, lease_until=lease_until)
            if row is not None:
                claimed.append(row)
    return claimed


class _Context:
    """What one delivery pass remembers: programmes' hours and people, read once per pass."""

    def __init__(self, services: Services, clients: ClientProvider, now: datetime) -> None:
        self.services = services
        self.clients = clients
        self.now = now
        self.team_clients: dict[str, AsyncWebClient] = {}
        self.live_sessions: dict[tuple[str, int], bool] = {}
        self.hours: dict[str, WorkingHours] = {}
        self.sent_to: dict[tuple[str, str], list[datetime]] = {}

    async def client(self, team_id: str) -> AsyncWebClient:
        if team_id not in self.team_clients:
            self.team_clients[team_id] = await self.clients(team_id)
        return self.team_clients[team_id]

    async def session_still_on(self, team_id: str, key: str) -> bool:
        """A reminder's session is still booked and its pair still active (not paused or ended since)."""
        session_id = session_id_of(key)
        if session_id is None:
            return True
        if (team_id, session_id) not in self.live_sessions:
            async with self.services.sessions() as session:
                self.live_sessions[(team_id, session_id)] = await sessions_store.session_is_live(
                    session, team_id=team_id, session_id=session_id
                )
        return self.live_sessions[(team_id, session_id)]

    async def working_hours(self, team_id: str) -> WorkingHours:
        if team_id not in self.hours:
            async with self.services.sessions.begin() as session:
                programme = await programmes.current_programme(session, team_id=team_id)
            self.hours[team_id] = (
                WorkingHours(programme.work_start_hour, programme.work_end_hour) if programme is not None else WorkingHours()
            )
        return self.hours[team_id]

    async def recipient(self, team_id: str, user_id: str) -> Recipient:
        async with self.services.sessions.begin() as session:
            person = await people.get_person(session, team_id=team_id, user_id=user_id)
            if person is None:
                try:
                    person = await known_person(session, await self.client(team_id), team_id=team_id, user_id=user_id, now=self.now)
                except (SlackApiError, NotInstalled):
                    return Recipient()
        return Recipient(tz=person.tz or "UTC", muted=frozenset(parse_muted(person.muted_nudges)), away_until=person.away_until)

    async def recent_nudges(self, team_id: str, user_id: str) -> list[datetime]:
        key = (team_id, user_id)
        if key not in self.sent_to:
            async with self.services.sessions.begin() as session:
                self.sent_to[key] = await outbox.sent_since(
                    session, team_id=team_id, recipient_id=user_id, excluding_kinds=sorted(SESSION_BOUND | NOT_CAPPED),
                    since=self.now - CAP_WINDOW,
                )
        return self.sent_to[key]


async def _deliver_one(context: _Context, row: Outbox, *, worker: str, report: DeliveryReport) -> None:
    services, now = context.services, context.now
    assert row.id is not None
    # A channel (a cohort's peer post) has no working hours of its own; a person does.
    if not is_session_bound(row.kind) and not row.recipient_id.startswith(("C", "G")):
        decision = decide(
            kind=row.kind,
            session_bound=False,
            recipient=await context.recipient(row.team_id, row.recipient_id),
            hours=await context.working_hours(row.team_id),
            now=now,
            recent_sent=await context.recent_nudges(row.team_id, row.recipient_id),
            capped=row.kind not in NOT_CAPPED,
        )
        if decision.withdraw_reason is not None:
            await _settle(services, row, worker, OutboxStatus.WITHDRAWN, now, error=decision.withdraw_reason)
            report.withdrawn += 1
            return
        if decision.defer_until is not None:
            await _settle(services, row, worker, OutboxStatus.PENDING, now, due_at=decision.defer_until)
            report.deferred += 1
            return
    if row.kind == Kind.REMINDER and not await context.session_still_on(row.team_id, row.key):
        await _settle(services, row, worker, OutboxStatus.WITHDRAWN, now, error="the session or its pair is no longer on")
        report.withdrawn += 1
        return
    message = json.loads(row.payload)
    try:
        client = await context.client(row.team_id)
    except NotInstalled:
        await _settle(services, row, worker, OutboxStatus.DEAD, now, error="not_installed", count_attempt=True)
        report.dead += 1
        return
    try:
        response = await client.chat_postMessage(
            channel=row.recipient_id,
            text=message.get("text", ""),
            blocks=message.get("blocks"),
            metadata={"event_type": "flipside_nudge", "event_payload": {"kind": row.kind, "key": row.key}},
            unfurl_links=False,
        )
    except SlackApiError as error:
        code = str(error.response.get("error") or "") if error.response is not None else ""
        status = getattr(error.response, "status_code", 0) if error.response is not None else 0
        if code in PERMANENT_ERRORS or row.attempts + 1 >= MAX_ATTEMPTS:
            await _settle(services, row, worker, OutboxStatus.DEAD, now, error=code or f"http {status}", count_attempt=True)
            report.dead += 1
            logger.warning("outbox %s dead: %s", row.key, code or status)
        else:
            await _settle(
                services, row, worker, OutboxStatus.PENDING, now, error=code or f"http {status}",
                due_at=now + backoff(row.attempts + 1), count_attempt=True,
            )
            report.retried += 1
            logger.info("outbox %s will retry: %s", row.key, code or status)
        return
    except Exception as error:  # a network failure: try again later, never lose the row
        logger.exception("outbox %s: delivery failed; will retry", row.key)
        await _settle(
            services, row, worker, OutboxStatus.PENDING, now, error=type(error).__name__,
            due_at=now + backoff(row.attempts + 1), count_attempt=True,
        )
        report.retried += 1
        return
    await _settle(services, row, worker, OutboxStatus.SENT, now, sent_channel=response.get("channel"), sent_ts=response.get("ts"))
    if not is_session_bound(row.kind):
        (await context.recent_nudges(row.team_id, row.recipient_id)).append(now)
    report.sent += 1


async def _settle(
    services: Services,
    row: Outbox,
    worker: str,
    status: OutboxStatus,
    now: datetime,
    *,
    error: str = "",
    due_at: datetime | None = None,
    count_attempt: bool = False,
    sent_channel: str | None = None,
    sent_ts: str | None = None,
) -> None:
    assert row.id is not None
    async with services.sessions.begin() as session:
        settled = await outbox.finish(
            session, outbox_id=row.id, worker=worker, status=status, now=now, error=error, due_at=due_at, count_attempt=count_attempt,
            sent_channel=sent_channel, sent_ts=sent_ts,
        )
    if not settled:
        logger.warning("outbox %s: claim lost before it was settled (lease ran out?)", row.key)
