"""Programmes and who runs them."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import Programme, ProgrammeAdmin


async def current_programme(session: AsyncSession, *, team_id: str) -> Programme | None:
    """The workspace's running programme: the newest one not closed."""
    result = await session.exec(
        select(Programme).where(Programme.team_id == team_id, Programme.status == "active").order_by(Programme.id.desc())  # type: ignore[union-attr]
    )
    return result.first()


async def get_programme(session: AsyncSession, *, team_id: str, programme_id: int) -> Programme | None:
    result = await session.exec(select(Programme).where(Programme.team_id == team_id, Programme.id == programme_id))
    return result.first()


async def admin_ids(session: AsyncSession, *, team_id: str, programme_id: int) -> list[str]:
    result = await session.exec(
        select(ProgrammeAdmin.user_id).where(ProgrammeAdmin.team_id == team_id, ProgrammeAdmin.programme_id == programme_id)
    )
    return sorted(result.all())
