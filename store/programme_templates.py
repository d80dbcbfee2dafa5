"""Programme templates an admin saved: one workspace's named settings (JSON the rules read and write)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import ProgrammeTemplate


def name_key(name: str) -> str:
    """How names compare: case and surrounding spaces do not make two templates different."""
    return name.strip().casefold()


async def list_templates(session: AsyncSession, *, team_id: str) -> list[ProgrammeTemplate]:
    result = await session.exec(
        select(ProgrammeTemplate).where(ProgrammeTemplate.team_id == team_id).order_by(ProgrammeTemplate.name_key)
    )
    return list(result.all())


async def get_template(session: AsyncSession, *, team_id: str, name: str) -> ProgrammeTemplate | None:
    result = await session.exec(
        select(ProgrammeTemplate).where(ProgrammeTemplate.team_id == team_id, ProgrammeTemplate.name_key == name_key(name))
    )
    return result.first()


async def add_template(
    session: AsyncSession, *, team_id: str, name: str, settings: str, created_by: str, now: datetime
) -> ProgrammeTemplate | None:
    """Save a template; None when the workspace has one of that name already (two admins at once included)."""
    if await get_template(session, team_id=team_id, name=name) is not None:
        return None
    template = ProgrammeTemplate(
        team_id=team_id, name=name.strip(), name_key=name_key(name), settings=settings, created_by=created_by, created_at=now
    )
    try:
        async with session.begin_nested():  # a savepoint: losing the race leaves the caller's transaction usable
            session.add(template)
            await session.flush()
    except IntegrityError:
        return None
    return template


async def delete_template(session: AsyncSession, *, team_id: str, name: str) -> bool:
    """Delete the workspace's template of this name; False when there is none."""
    template = await get_template(session, team_id=team_id, name=name)
    if template is None:
        return False
    await session.delete(template)
    await session.flush()
    return True
