"""What one delivery pass shares among its workers: its tally, what it has read (once per pass, in a
few queries per batch), and the group commit that settles its rows."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.clients import ClientProvider, NotInstalled
from bot.directory import known_person
from bot.flows.programme_scope import member_scope
from bot.rules.nudges import NOT_CAPPED, SESSION_BOUND, is_session_bound, session_id_of
from bot.rules.quiet_hours import CAP_WINDOW, Recipient, WorkingHours, parse_muted
from bot.services import Services
from bot.slack_errors import SLACK_FAILURES
from bot.sweep.delivery_retries import poster
from domain.nudges import Kind
from domain.statuses import OutboxStatus
from store import outbox, people, programmes
from store import sessions as sessions_store
from store.models import Outbox, Person, Programme

logger = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    """What one pass did with its rows, counted for the sweep's report."""

    sent: int = 0
    deferred: int = 0
    retried: int = 0
    dead: int = 0
    withdrawn: int = 0
    expired: int = 0
    details: list[str] = field(default_factory=list)


class Settler:
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



class PassContext:
    """What one delivery pass remembers: programmes' hours and people, read once per pass, and for
    each batch in a few queries (not one per message)."""

    def __init__(self, services: Services, clients: ClientProvider, now: datetime, settler: Settler) -> None:
        self.services = services
        self.clients = clients
        self.now = now
        self.settler = settler
        self.team_clients: dict[str, AsyncWebClient] = {}
        self.team_posters: dict[str, AsyncWebClient] = {}
        self.live_sessions: dict[tuple[str, int], bool] = {}
        self.running: dict[str, list[Programme]] = {}
        self.hours: dict[tuple[str, str], WorkingHours] = {}
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

    async def working_hours(self, team_id: str, user_id: str) -> WorkingHours:
        """The working hours of the person's programme in scope; the workspace's running programmes are
        read once a pass, and a person is looked up only when several run side by side."""
        if (team_id, user_id) not in self.hours:
            async with self.services.sessions.begin() as session:
                if team_id not in self.running:
                    self.running[team_id] = await programmes.running(session, team_id=team_id)
                running = self.running[team_id]
                programme = running[0] if len(running) == 1 else (await member_scope(session, team_id=team_id, user_id=user_id)).programme
                if programme is None and running:
                    programme = running[0]
            self.hours[(team_id, user_id)] = (
                WorkingHours(programme.work_start_hour, programme.work_end_hour) if programme is not None else WorkingHours()
            )
        return self.hours[(team_id, user_id)]

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


def _recipient_of(person: Person) -> Recipient:
    return Recipient(tz=person.tz or "UTC", muted=frozenset(parse_muted(person.muted_nudges)), away_until=person.away_until)

