"""Programmes and who runs them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import ProgrammeStatus
from store.models import Programme, ProgrammeAdmin


async def current_programme(session: AsyncSession, *, team_id: str) -> Programme | None:
    """The workspace's running programme: the newest one not closed."""
    result = await session.exec(
        select(Programme).where(Programme.team_id == team_id, Programme.status == ProgrammeStatus.ACTIVE).order_by(Programme.id.desc())  # type: ignore[union-attr]
    )
    return result.first()


async def latest_programme(session: AsyncSession, *, team_id: str) -> Programme | None:
    """The running programme or, between cohorts, the one that ran last (whose admins still hold the keys)."""
    current = await current_programme(session, team_id=team_id)
    if current is not None:
        return current
    result = await session.exec(select(Programme).where(Programme.team_id == team_id).order_by(Programme.id.desc()))  # type: ignore[union-attr]
    return result.first()


async def get_programme(session: AsyncSession, *, team_id: str, programme_id: int) -> Programme | None:
    result = await session.exec(select(Programme).where(Programme.team_id == team_id, Programme.id == programme_id))
    return result.first()


async def admin_ids(session: AsyncSession, *, team_id: str, programme_id: int) -> list[str]:
    result = await session.exec(
        select(ProgrammeAdmin.user_id).where(ProgrammeAdmin.team_id == team_id, ProgrammeAdmin.programme_id == programme_id)
    )
    return sorted(result.all())


async def admins_by_programme(session: AsyncSession) -> dict[int, tuple[str, ...]]:
    """Every programme's admins (across workspaces) in one query: the sweep's view, one read per sweep
    rather than one per programme."""
    found: dict[int, list[str]] = {}
    for programme_id, user_id in (await session.exec(select(ProgrammeAdmin.programme_id, ProgrammeAdmin.user_id))).all():
        found.setdefault(programme_id, []).append(user_id)
    return {programme_id: tuple(sorted(users)) for programme_id, users in found.items()}


async def create_programme(session: AsyncSession, *, team_id: str, created_by: str, now: datetime, **fields: Any) -> Programme:
    """A new programme, with whoever set it up as its first admin."""
    programme = Programme(team_id=team_id, created_by=created_by, created_at=now, **fields)
    session.add(programme)
    await session.flush()
    return programme


async def update_programme(session: AsyncSession, *, programme: Programme, **fields: Any) -> Programme:
    for name, value in fields.items():
        setattr(programme, name, value)
    session.add(programme)
    await session.flush()
    return programme


async def set_admins(session: AsyncSession, *, team_id: str, programme_id: int, user_ids: list[str]) -> None:
    """Make exactly these people the programme's admins."""
    wanted = set(user_ids)
    result = await session.exec(
        select(ProgrammeAdmin).where(ProgrammeAdmin.team_id == team_id, ProgrammeAdmin.programme_id == programme_id)
    )
    existing = {admin.user_id: admin for admin in result.all()}
    for user_id, admin in existing.items():
        if user_id not in wanted:
            await session.delete(admin)
    for user_id in sorted(wanted - set(existing)):
        session.add(ProgrammeAdmin(team_id=team_id, programme_id=programme_id, user_id=user_id))
    await session.flush()


async def close_programme(session: AsyncSession, *, programme: Programme) -> None:
    """Mark a programme closed (its final report sent, or an admin starting a new cohort); its pairs and history stay."""
    programme.status = ProgrammeStatus.CLOSED
    session.add(programme)
    await session.flush()


async def running_in_workspace(session: AsyncSession, *, team_id: str) -> list[Programme]:
    """One workspace's programmes not closed, oldest first (the roll-up's rows; `programme_close.running_programmes` is every workspace's, for the sweep)."""
    result = await session.exec(
        select(Programme).where(Programme.team_id == team_id, Programme.status == ProgrammeStatus.ACTIVE).order_by(Programme.id)  # type: ignore[arg-type]
    )
    return list(result.all())


async def running_administered_by(session: AsyncSession, *, team_id: str, user_id: str) -> list[Programme]:
    """The running programmes this person is an admin of, oldest first."""
    result = await session.exec(
        select(Programme)
        .join(ProgrammeAdmin, ProgrammeAdmin.programme_id == Programme.id)  # type: ignore[arg-type]
        .where(Programme.team_id == team_id, Programme.status == ProgrammeStatus.ACTIVE, ProgrammeAdmin.team_id == team_id, ProgrammeAdmin.user_id == user_id)
        .order_by(Programme.id)  # type: ignore[arg-type]
    )
    return list(result.all())


async def admins_of(session: AsyncSession, *, team_id: str, programme_ids: list[int]) -> list[str]:
    """Everyone who is an admin of any of these programmes, once each."""
    result = await session.exec(
        select(ProgrammeAdmin.user_id).where(ProgrammeAdmin.team_id == team_id, col(ProgrammeAdmin.programme_id).in_(programme_ids)).distinct()
    )
    return sorted(result.all())
