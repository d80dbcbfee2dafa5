"""Slack event ids already handled: Slack retries an event it thinks failed, with the same id."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from store.insert import insert_once
from store.models import ProcessedEvent


async def first_delivery(session: AsyncSession, *, team_id: str, event_id: str, now: datetime) -> bool:
    """Record the event id; True only the first time it is seen."""
    return await insert_once(
        session, ProcessedEvent, unique="event_id", values={"team_id": team_id, "event_id": event_id, "received_at": now}
    )


async def forget_before(session: AsyncSession, *, before: datetime) -> int:
    result = await session.exec(delete(ProcessedEvent).where(col(ProcessedEvent.received_at) < before))
    return result.rowcount
