"""Requests already handled: Slack retries an event it thinks failed (same event id), a modal's Submit
can arrive twice (same view id), and a double-click sends the same button twice."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from store.insert import insert_once
from store.models import ProcessedEvent

VIEW_PREFIX = "view:"
CLICK_PREFIX = "click:"


STARTED_PREFIX = "started:"
# A delivery being handled holds its event this long; a retry after it finds the work abandoned (the
# process died) and takes it over. Slack retries nearly at once, then after 1 and 5 minutes.
EVENT_LEASE = timedelta(seconds=30)


def _started_key(event_id: str) -> str:
    return (STARTED_PREFIX + event_id)[:64]


async def claim_event(session: AsyncSession, *, team_id: str, event_id: str, now: datetime) -> bool:
    """True when this delivery of the event is to be handled: never handled to the end, and not being
    handled now (a claim older than EVENT_LEASE was abandoned). The event id itself is recorded only by
    `finish_event`, after the work: a crash in between leaves the retry to be handled, not dropped."""
    key = _started_key(event_id)
    claimed = await insert_once(session, ProcessedEvent, unique="event_id", values={"team_id": team_id, "event_id": key, "received_at": now})
    if not claimed:
        result = await session.exec(
            update(ProcessedEvent)
            .where(col(ProcessedEvent.event_id) == key, col(ProcessedEvent.received_at) <= now - EVENT_LEASE)
            .values(received_at=now)
        )
        if result.rowcount != 1:
            return False
    # Looked for after claiming: a delivery finishing meanwhile has committed its record by now.
    done = await session.exec(select(ProcessedEvent.id).where(col(ProcessedEvent.event_id) == event_id))
    if done.first() is not None:
        await release_event(session, event_id=event_id, claimed_at=now)
        return False
    return True


async def finish_event(session: AsyncSession, *, team_id: str, event_id: str, claimed_at: datetime) -> None:
    """The event was handled: its id recorded as received when claimed (retries are acknowledged and
    dropped until it is a day old), its claim gone."""
    await insert_once(session, ProcessedEvent, unique="event_id", values={"team_id": team_id, "event_id": event_id, "received_at": claimed_at})
    await session.exec(delete(ProcessedEvent).where(col(ProcessedEvent.event_id) == _started_key(event_id)))


async def release_event(session: AsyncSession, *, event_id: str, claimed_at: datetime) -> None:
    """Handling failed: give up the claim (unless a retry took it over since), so Slack's retry is handled."""
    await session.exec(
        delete(ProcessedEvent).where(col(ProcessedEvent.event_id) == _started_key(event_id), col(ProcessedEvent.received_at) == claimed_at)
    )


def _view_key(team_id: str, view_id: str) -> str:
    # With the team: a view id sent from another workspace must not mark this one's form as submitted.
    return f"{VIEW_PREFIX}{team_id}:{view_id}"[:64]


async def first_submission(session: AsyncSession, *, team_id: str, view_id: str, now: datetime) -> bool:
    """Record that a modal's submission is being acted on; False when it already was (Submit pressed
    again). Call it in the transaction that acts, after the checks that answer with errors (the modal
    stays open then, and its next submission is a new one): the changes and the record commit together,
    and a second submission at the same moment waits for the first, then finds the record."""
    if not view_id:  # not a view Slack made; nothing to tell a repeat by
        return True
    return await insert_once(
        session, ProcessedEvent, unique="event_id", values={"team_id": team_id, "event_id": _view_key(team_id, view_id), "received_at": now}
    )


async def forget_submission(session: AsyncSession, *, team_id: str, view_id: str) -> None:
    """Take back `first_submission` when the form turned out to be refused and stays open for a correction."""
    await session.exec(
        delete(ProcessedEvent).where(col(ProcessedEvent.team_id) == team_id, col(ProcessedEvent.event_id) == _view_key(team_id, view_id))
    )


async def first_click(session: AsyncSession, *, team_id: str, click: str, now: datetime, within: timedelta) -> bool:
    """Record a click by what it names (`click`: who, which button, its value, where it sat); False when
    the same click was recorded less than `within` ago, i.e. the second of a double-click. For buttons
    whose effect is only a message or a file, where no state tells a repeat from a new request."""
    event_id = CLICK_PREFIX + hashlib.sha256(click.encode()).hexdigest()[: 64 - len(CLICK_PREFIX)]
    if await insert_once(session, ProcessedEvent, unique="event_id", values={"team_id": team_id, "event_id": event_id, "received_at": now}):
        return True
    # An old record of the same click: a new request, which takes the record over (one of two at once does).
    result = await session.exec(
        update(ProcessedEvent)
        .where(col(ProcessedEvent.team_id) == team_id, col(ProcessedEvent.event_id) == event_id, col(ProcessedEvent.received_at) <= now - within)
        .values(received_at=now)
    )
    return result.rowcount == 1


async def forget_before(session: AsyncSession, *, before: datetime) -> int:
    result = await session.exec(delete(ProcessedEvent).where(col(ProcessedEvent.received_at) < before))
    return result.rowcount
