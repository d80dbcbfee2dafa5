"""Programmes and who runs them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import ProgrammeStatus
from store.insert import insert_once
from store.models import Programme, ProgrammeAdmin, ProgrammeChoice


async def running(session: AsyncSession, *, team_id: str) -> list[Programme]:
    """The workspace's running programmes (not closed), newest first: several may run side by side."""
    result = await session.exec(
        select(Programme).where(Programme.team_id == team_id, Programme.status == ProgrammeStatus.ACTIVE).order_by(Programme.id.desc())  # type: ignore[union-attr]
    )
    return list(result.all())


async def last_programme(session: AsyncSession, *, team_id: str) -> Programme | None:
    """The newest programme, running or closed: between cohorts, the one that ran last (whose admins still hold the keys)."""
    result = await session.exec(select(Programme).where(Programme.team_id == team_id).order_by(Programme.id.desc()))  # type: ignore[union-attr]
    return result.first()


async def administered_ids(session: AsyncSession, *, team_id: str, user_id: str) -> set[int]:
    """The programmes (running or closed) this person is an admin of."""
    result = await session.exec(select(ProgrammeAdmin.programme_id).where(ProgrammeAdmin.team_id == team_id, ProgrammeAdmin.user_id == user_id))
    return set(result.all())


async def chosen_programme_id(session: AsyncSession, *, team_id: str, user_id: str) -> int | None:
    result = await session.exec(select(ProgrammeChoice.programme_id).where(ProgrammeChoice.team_id == team_id, ProgrammeChoice.user_id == user_id))
    return result.first()


async def choose_programme(session: AsyncSession, *, team_id: str, user_id: str, programme_id: int) -> None:
    """Remember the programme this person's commands are about (one row per person, replaced; two
    clicks at once both land on the one row)."""
    values = {"team_id": team_id, "user_id": user_id, "programme_id": programme_id}
    if not await insert_once(session, ProgrammeChoice, unique=("team_id", "user_id"), values=values):
        await session.exec(
            update(ProgrammeChoice).where(col(ProgrammeChoice.team_id) == team_id, col(ProgrammeChoice.user_id) == user_id).values(programme_id=programme_id)
        )


async def with_peer_channel(session: AsyncSession, *, team_id: str, channel_id: str) -> list[int]:
    """The programmes (running or closed) whose cohort channel this is."""
    result = await session.exec(select(Programme.id).where(Programme.team_id == team_id, Programme.peer_channel_id == channel_id))
    return [programme_id for programme_id in result.all() if programme_id is not None]


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


async def admins_of(session: AsyncSession, *, team_id: str, programme_ids: list[int]) -> list[str]:
    """Everyone who is an admin of any of these programmes, once each."""
    result = await session.exec(
        select(ProgrammeAdmin.user_id).where(ProgrammeAdmin.team_id == team_id, col(ProgrammeAdmin.programme_id).in_(programme_ids)).distinct()
    )
    return sorted(result.all())
