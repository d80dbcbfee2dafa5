"""Requests already handled: Slack retries an event it thinks failed (same event id), a modal's Submit
can arrive twice (same view id), and a double-click sends the same button twice."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlmodel import col, delete, update
from sqlmodel.ext.asyncio.session import AsyncSession

from store.insert import insert_once
from store.models import ProcessedEvent

VIEW_PREFIX = "view:"
CLICK_PREFIX = "click:"


async def first_delivery(session: AsyncSession, *, team_id: str, event_id: str, now: datetime) -> bool:
    """Record the event id; True only the first time it is seen."""
    return await insert_once(
        session, ProcessedEvent, unique="event_id", values={"team_id": team_id, "event_id": event_id, "received_at": now}
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
