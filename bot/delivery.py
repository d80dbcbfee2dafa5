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
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.clients import ClientProvider, NotInstalled
from bot.directory import known_person
from bot.nudges import NOT_CAPPED, SESSION_BOUND, is_session_bound, session_id_of
from bot.quiet_hours import CAP_WINDOW, Recipient, WorkingHours, decide, parse_muted
from bot.services import Services
from bot.slack_errors import SLACK_FAILURES, error_code
from domain.nudges import Kind
from domain.statuses import OutboxStatus
from store import outbox, people, programmes
from store import sessions as sessions_store
from store.models import Outbox, Person

logger = logging.getLogger(__name__)

PERMANENT_ERRORS = frozenset(
    {"user_not_found", "account_inactive", "channel_not_found", "not_in_channel", "user_disabled", "is_archived", "invalid_blocks"}
)
BATCH = 200  # rows claimed at once (one UPDATE); at Slack's pace a batch goes out in about a second
# Posts in flight at once: enough to keep up with Slack's allowed rate while each call waits on the
# network; past the limit the client waits out the 429s. Each post is settled before its worker takes
# the next row, so a crash leaves at most this many posts in doubt (Slack took them, we had not recorded
# them): whoever takes their rows over finds them in the DMs before posting (`_settled_from_history`).
CONCURRENT_RECIPIENTS = 16
PASS_SECONDS = 45.0  # one delivery pass stops claiming after this long (wall time), leaving the rest for the next tick
MAX_ATTEMPTS = 8
OUTBOX_EVENT = "flipside_outbox"  # the metadata event_type of every outbox post
HISTORY_PAGE = 200  # messages per conversations.history call when checking a row in doubt
HISTORY_SKEW = timedelta(minutes=5)  # Slack's clock against ours, when reading history since a row was created
# conversations.history errors that no retry will cure: a post in doubt is then sent again.
HISTORY_UNREADABLE = frozenset(
    {"missing_scope", "not_in_channel", "channel_not_found", "user_not_found", "user_disabled", "account_inactive", "not_allowed_token_type"}
)
# Slack's own answers that say the call failed on its side, perhaps after it took the message.
UNSURE_ERRORS = frozenset({"internal_error", "fatal_error", "request_timeout", "service_unavailable"})


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

    `clients` gives each workspace's Web API client (one token, or each installation's under OAuth).
    Batches are claimed ahead while the posts of the last one are still going out, so the workers never
    wait for the slowest post of a batch (one waiting out a 429, say) before starting the next."""
    worker = worker or worker_id()
    report = DeliveryReport()
    context = _Context(services, clients, now, _Settler(services, worker, now))
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

    def __init__(self, context: _Context, report: DeliveryReport) -> None:
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
        if outbox.in_doubt(row) and await _settled_from_history(self.context, row, report=self.report):
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


class _Settler:
    """Settles a pass's rows with group commit: the rows whose posts finish while one transaction
    commits are settled together in the next, instead of a transaction (and a commit) per row. Each caller still waits until its own row is committed."""

    def __init__(self, services: Services, worker: str, now: datetime) -> None:
        self.services = services
        self.worker = worker
        self.now = now
        self.waiting: list[tuple[outbox.Settlement, asyncio.Future[bool]]] = []
        self.flushing: asyncio.Task[None] | None = None

    async def settle(self, settlement: outbox.Settlement) -> bool:
        """True when the row was settled; False when this worker's claim was lost (lease ran out)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.waiting.append((settlement, future))
        if self.flushing is None or self.flushing.done():
            self.flushing = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self.waiting:
            batch, self.waiting = self.waiting, []
            try:
                settled = await self._write([settlement for settlement, _ in batch])
            except Exception as error:  # every row of the batch stays claimed; its caller learns why
                for _, future in batch:
                    future.set_exception(error)
                continue
            for settlement, future in batch:
                future.set_result(settlement.outbox_id in settled)

    async def _write(self, batch: list[outbox.Settlement]) -> set[int]:
        """One transaction (one commit) and one UPDATE for the whole batch; it still checks each row's claim."""
        async with self.services.sessions.begin() as session:
            return await outbox.finish_many(session, worker=self.worker, now=self.now, settlements=batch)


class _Context:
    """What one delivery pass remembers: programmes' hours and people, read once per pass, and for
    each batch in a few queries (not one per message)."""

    def __init__(self, services: Services, clients: ClientProvider, now: datetime, settler: _Settler) -> None:
        self.services = services
        self.clients = clients
        self.now = now
        self.settler = settler
        self.team_clients: dict[str, AsyncWebClient] = {}
        self.team_posters: dict[str, AsyncWebClient] = {}
        self.live_sessions: dict[tuple[str, int], bool] = {}
        self.hours: dict[str, WorkingHours] = {}
        self.people: dict[tuple[str, str], Recipient] = {}
        self.sent_to: dict[tuple[str, str], list[datetime]] = {}

    async def settle(
        self, row: Outbox, status: OutboxStatus, *, error: str = "", due_at: datetime | None = None, count_attempt: bool = False,
        sent_channel: str | None = None, sent_ts: str | None = None,
    ) -> None:
        if not await self.settler.settle(outbox.Settlement(row.id or 0, status, error, due_at, count_attempt, sent_channel, sent_ts)):
            logger.warning("outbox %s: claim lost before it was settled (lease ran out?)", row.key)

    async def prepare(self, rows: list[Outbox]) -> None:
        """Read what the batch's rows need, per workspace: their sessions (reminders), their people
        and the people's recent nudges (the rest); what is already known this pass is not read again."""
        sessions_of: dict[str, set[int]] = {}
        people_of: dict[str, set[str]] = {}
        for row in rows:
            session_id = session_id_of(row.key) if row.kind == Kind.REMINDER else None
            if session_id is not None and (row.team_id, session_id) not in self.live_sessions:
                sessions_of.setdefault(row.team_id, set()).add(session_id)
            if not is_session_bound(row.kind) and not row.recipient_id.startswith(("C", "G")):
                if (row.team_id, row.recipient_id) not in self.sent_to:
                    people_of.setdefault(row.team_id, set()).add(row.recipient_id)
        if not sessions_of and not people_of:
            return
        async with self.services.sessions() as session:
            for team_id, session_ids in sessions_of.items():
                live = await sessions_store.live_session_ids(session, team_id=team_id, session_ids=sorted(session_ids))
                self.live_sessions.update({(team_id, session_id): session_id in live for session_id in session_ids})
            for team_id, user_ids in people_of.items():
                found = await people.get_people(session, team_id=team_id, user_ids=sorted(user_ids))
                self.people.update({(team_id, user_id): _recipient_of(person) for user_id, person in found.items()})
                recent = await outbox.sent_since_to(
                    session, team_id=team_id, recipient_ids=sorted(user_ids), excluding_kinds=sorted(SESSION_BOUND | NOT_CAPPED),
                    since=self.now - CAP_WINDOW,
                )
                self.sent_to.update({(team_id, user_id): sent for user_id, sent in recent.items()})

    async def client(self, team_id: str) -> AsyncWebClient:
        if team_id not in self.team_clients:
            self.team_clients[team_id] = await self.clients(team_id)
        return self.team_clients[team_id]

    def poster(self, team_id: str, client: AsyncWebClient) -> AsyncWebClient:
        if team_id not in self.team_posters:
            self.team_posters[team_id] = poster(client)
        return self.team_posters[team_id]

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
        """The person as stored (read with their batch); someone not stored yet is asked of Slack once."""
        if (team_id, user_id) not in self.people:
            async with self.services.sessions.begin() as session:
                try:
                    person = await known_person(session, await self.client(team_id), team_id=team_id, user_id=user_id, now=self.now)
                except (*SLACK_FAILURES, NotInstalled):
                    return Recipient()
            self.people[(team_id, user_id)] = _recipient_of(person)
        return self.people[(team_id, user_id)]

    async def recent_nudges(self, team_id: str, user_id: str) -> list[datetime]:
        key = (team_id, user_id)
        if key not in self.sent_to:
            async with self.services.sessions.begin() as session:
                self.sent_to[key] = await outbox.sent_since(
                    session, team_id=team_id, recipient_id=user_id, excluding_kinds=sorted(SESSION_BOUND | NOT_CAPPED),
                    since=self.now - CAP_WINDOW,
                )
        return self.sent_to[key]


def outbox_metadata(row: Outbox) -> dict[str, Any]:
    """The message metadata every outbox post carries: its key, by which a post whose claim ran out
    unsettled is found in the conversation before it is sent again (and its kind, for reading)."""
    return {"event_type": OUTBOX_EVENT, "event_payload": {"key": row.key, "kind": row.kind}}


def _carries(message: dict[str, Any], key: str) -> bool:
    metadata = message.get("metadata") or {}
    return metadata.get("event_type") == OUTBOX_EVENT and (metadata.get("event_payload") or {}).get("key") == key


async def _posted_before(client: AsyncWebClient, row: Outbox) -> tuple[str, str] | None:
    """Where this row's message already is (channel, ts), read from the conversation's history since the
    row was created (less Slack's clock skew: no post of it can be older); None when it is not there."""
    channel = (await client.conversations_open(users=row.recipient_id))["channel"]["id"]  # the bot's DM with them
    oldest = f"{(row.created_at - HISTORY_SKEW).timestamp():.6f}"
    cursor = None
    while True:
        page = await client.conversations_history(
            channel=channel, oldest=oldest, limit=HISTORY_PAGE, include_all_metadata=True, cursor=cursor
        )
        for message in page.get("messages") or []:
            if _carries(message, row.key):
                return channel, str(message["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return None


async def _settled_from_history(context: _Context, row: Outbox, *, report: DeliveryReport) -> bool:
    """For a row in doubt (an earlier claim ran out unsettled): settle it as sent when its message is
    already in the conversation, and True; False when it is not there, so it is posted as usual.

    When the history cannot be read for a while (429s past the client's retries, 5xx, the network),
    the row waits and tries again: a lost nudge is worse than a late one, and the check will likely
    work next time. When it can never be read (a missing scope, a conversation the bot cannot see) or
    the row has no attempts left, it is posted: a nudge twice is better than none."""
    if row.recipient_id.startswith(("C", "G")):
        # A channel's history needs channels:history or groups:history, which the bot does not ask
        # for (the least scopes): a channel post in doubt is posted again.
        return False
    try:
        client = await context.client(row.team_id)
        found = await _posted_before(client, row)
    except NotInstalled:
        return False  # the post will fail the same way, and say so
    except Exception as error:  # a Slack error, or the network: which one decides below
        code = error_code(error)
        if code in HISTORY_UNREADABLE or row.attempts + 1 >= MAX_ATTEMPTS:
            logger.warning("outbox %s: could not check whether it was already sent (%s); sending", row.key, code)
            return False
        await context.settle(
            row, OutboxStatus.PENDING, error=f"{outbox.IN_DOUBT}history check failed: {code}",
            due_at=context.now + backoff(row.attempts + 1), count_attempt=True,
        )
        report.retried += 1
        return True
    if found is None:
        return False
    channel, ts = found
    logger.info("outbox %s: already in the conversation (%s); settled without posting again", row.key, ts)
    await context.settle(row, OutboxStatus.SENT, sent_channel=channel, sent_ts=ts)
    if not is_session_bound(row.kind):
        (await context.recent_nudges(row.team_id, row.recipient_id)).append(context.now)
    report.sent += 1
    return True


def outcome_unknown(code: str) -> bool:
    """Whether a failed post may still have reached the conversation: no answer, or not Slack's own
    refusal (a timeout, a dropped connection, a 5xx or a body that is not Slack's answer)."""
    return code in UNSURE_ERRORS or code in {"timeout", "connection_error", "invalid_response"} or code.startswith("http_")


def poster(client: AsyncWebClient) -> AsyncWebClient:
    """The same client, retrying only what Slack refused unread (429): a post is not idempotent, so a
    5xx or a dropped connection is left to the outbox, which checks the DM before posting again."""
    posting = copy.copy(client)
    posting.retry_handlers = [handler for handler in client.retry_handlers if isinstance(handler, AsyncRateLimitErrorRetryHandler)]
    return posting


def _recipient_of(person: Person) -> Recipient:
    return Recipient(tz=person.tz or "UTC", muted=frozenset(parse_muted(person.muted_nudges)), away_until=person.away_until)


async def _deliver_one(context: _Context, row: Outbox, *, report: DeliveryReport) -> None:
    now = context.now
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
