"""Connected calendars: each person's connection (tokens encrypted at rest) and the provider's event
for each session. Keyword-only queries; the caller's transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.calendars import ConnectionStatus
from store.calendar_models import CalendarConnection, CalendarEvent


async def get_connection(session: AsyncSession, *, team_id: str, user_id: str) -> CalendarConnection | None:
    statement = select(CalendarConnection).where(col(CalendarConnection.team_id) == team_id, col(CalendarConnection.user_id) == user_id)
    return (await session.exec(statement)).first()


async def connections_of(session: AsyncSession, *, team_id: str, user_ids: Iterable[str]) -> list[CalendarConnection]:
    statement = select(CalendarConnection).where(
        col(CalendarConnection.team_id) == team_id, col(CalendarConnection.user_id).in_(list(user_ids)),
        col(CalendarConnection.status) == ConnectionStatus.CONNECTED,
    )
    return list((await session.exec(statement)).all())


async def save_connection(
    session: AsyncSession, *, team_id: str, user_id: str, provider: str, account: str, access_token: str, refresh_token: str,
    expires_at: datetime, now: datetime,
) -> CalendarConnection:
    """Connect (or connect again, replacing what was there, perhaps another provider)."""
    row = await get_connection(session, team_id=team_id, user_id=user_id)
    if row is None:
        row = CalendarConnection(team_id=team_id, user_id=user_id, provider=provider, expires_at=expires_at, connected_at=now, updated_at=now)
    row.provider, row.account, row.access_token, row.refresh_token = provider, account, access_token, refresh_token
    row.expires_at, row.status, row.told_failing, row.connected_at, row.updated_at = expires_at, ConnectionStatus.CONNECTED, False, now, now
    session.add(row)
    await session.flush()
    return row


async def delete_connection(session: AsyncSession, *, team_id: str, user_id: str) -> int:
    result = await session.exec(delete(CalendarConnection).where(  # type: ignore[call-overload]
        col(CalendarConnection.team_id) == team_id, col(CalendarConnection.user_id) == user_id))
    return result.rowcount


async def get_event(session: AsyncSession, *, team_id: str, session_id: int) -> CalendarEvent | None:
    statement = select(CalendarEvent).where(col(CalendarEvent.team_id) == team_id, col(CalendarEvent.session_id) == session_id)
    return (await session.exec(statement)).first()


async def save_event(
    session: AsyncSession, *, team_id: str, session_id: int, owner_id: str, provider: str, event_id: str, cancelled: bool, now: datetime,
) -> CalendarEvent:
    row = await get_event(session, team_id=team_id, session_id=session_id)
    if row is None:
        row = CalendarEvent(team_id=team_id, session_id=session_id, owner_id=owner_id, provider=provider, event_id=event_id, updated_at=now)
    row.owner_id, row.provider, row.event_id, row.cancelled, row.updated_at = owner_id, provider, event_id, cancelled, now
    session.add(row)
    await session.flush()
    return row


async def erase_calendars(session: AsyncSession, *, team_id: str, user_id: str) -> int:
    """A person's erasure: their connection (tokens and address) and the record of events on their calendar."""
    deleted = await delete_connection(session, team_id=team_id, user_id=user_id)
    result = await session.exec(delete(CalendarEvent).where(  # type: ignore[call-overload]
        col(CalendarEvent.team_id) == team_id, col(CalendarEvent.owner_id) == user_id))
    return deleted + result.rowcount


async def mark_failing(session: AsyncSession, *, connection_id: int, revoked: bool, now: datetime) -> bool:
    """Note that the person is being told their calendar is failing; True only for the first to note it
    (conditional, so two replicas failing at once tell them once)."""
    values: dict[str, object] = {"told_failing": True, "updated_at": now}
    if revoked:
        values["status"] = ConnectionStatus.REVOKED
    result = await session.exec(update(CalendarConnection).where(  # type: ignore[call-overload]
        col(CalendarConnection.id) == connection_id, col(CalendarConnection.told_failing).is_(False)).values(**values))
    if result.rowcount == 0 and revoked:
        await session.exec(update(CalendarConnection).where(  # type: ignore[call-overload]
            col(CalendarConnection.id) == connection_id).values(status=ConnectionStatus.REVOKED, updated_at=now))
    return result.rowcount == 1


async def save_tokens(session: AsyncSession, *, connection_id: int, access_token: str, refresh_token: str, expires_at: datetime,
                      now: datetime) -> None:
    """A refresh's answer; the refresh token stays as it was unless the provider rotated it."""
    values: dict[str, object] = {"access_token": access_token, "expires_at": expires_at, "updated_at": now}
    if refresh_token:
        values["refresh_token"] = refresh_token
    await session.exec(update(CalendarConnection).where(col(CalendarConnection.id) == connection_id).values(**values))  # type: ignore[call-overload]


async def mark_working(session: AsyncSession, *, connection_id: int, now: datetime) -> None:
    await session.exec(update(CalendarConnection).where(  # type: ignore[call-overload]
        col(CalendarConnection.id) == connection_id, col(CalendarConnection.told_failing).is_(True)).values(told_failing=False, updated_at=now))
