"""Workspaces the app is installed in: when, when uninstalled, and the deletion of their data after that."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import SQLModel, col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from store.insert import insert_once
from store.models import Workspace


async def record_install(
    session: AsyncSession, *, team_id: str | None, enterprise_id: str | None, name: str, now: datetime
) -> None:
    """A (re)install: the workspace (team_id None: every known one of the org) is live again."""
    if team_id is None:
        if enterprise_id is None:
            return
        await session.exec(
            update(Workspace)
            .where(col(Workspace.enterprise_id) == enterprise_id)
            .values(installed_at=now, uninstalled_at=None, data_deleted_at=None)
        )
        return
    await insert_once(
        session, Workspace, unique="team_id", values={"team_id": team_id, "enterprise_id": enterprise_id, "name": name, "installed_at": now}
    )
    await session.exec(
        update(Workspace)
        .where(col(Workspace.team_id) == team_id)
        .values(enterprise_id=enterprise_id, name=name, installed_at=now, uninstalled_at=None, data_deleted_at=None)
    )


async def note_workspace(session: AsyncSession, *, team_id: str, enterprise_id: str | None, now: datetime) -> bool:
    """Remember a workspace of an Enterprise Grid org install the first time it is seen; True if new."""
    return await insert_once(
        session, Workspace, unique="team_id", values={"team_id": team_id, "enterprise_id": enterprise_id, "installed_at": now}
    )


async def enterprise_of(session: AsyncSession, *, team_id: str) -> str | None:
    result = await session.exec(select(Workspace.enterprise_id).where(col(Workspace.team_id) == team_id))
    return result.first()


async def mark_uninstalled(
    session: AsyncSession, *, team_id: str | None, enterprise_id: str | None, now: datetime
) -> int:
    """Start the retention clock for one workspace, or (team_id None) every workspace of an org install."""
    if team_id is not None:
        await insert_once(
            session, Workspace, unique="team_id", values={"team_id": team_id, "enterprise_id": enterprise_id, "installed_at": now}
        )
        where = col(Workspace.team_id) == team_id
    elif enterprise_id is not None:
        where = col(Workspace.enterprise_id) == enterprise_id
    else:
        return 0
    result = await session.exec(
        update(Workspace).where(where, col(Workspace.uninstalled_at).is_(None)).values(uninstalled_at=now)
    )
    return result.rowcount


async def due_for_deletion(session: AsyncSession, *, uninstalled_before: datetime) -> list[Workspace]:
    result = await session.exec(
        select(Workspace)
        .where(col(Workspace.uninstalled_at) <= uninstalled_before, col(Workspace.data_deleted_at).is_(None))
        .order_by(col(Workspace.uninstalled_at))
    )
    return list(result.all())


async def delete_workspace_data(session: AsyncSession, *, team_id: str, now: datetime) -> int | None:
    """Delete every row carrying this team_id, children before parents; keep the Workspace row, marked.

    The mark is taken first, so of two replicas sweeping at once only one deletes (the other gets
    None). Walks all tables on the metadata, so tables added later are covered without a change here.
    """
    claimed = await session.exec(
        update(Workspace)
        .where(col(Workspace.team_id) == team_id, col(Workspace.data_deleted_at).is_(None))
        .values(data_deleted_at=now)
    )
    if claimed.rowcount != 1:
        return None
    deleted = 0
    for table in reversed(SQLModel.metadata.sorted_tables):
        if table.name == Workspace.__tablename__ or "team_id" not in table.c:
            continue
        result = await session.exec(delete(table).where(table.c.team_id == team_id))
        deleted += result.rowcount
    return deleted
