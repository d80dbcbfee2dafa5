"""The workspace's org chart: replaced whole by each import, read by matching."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, text
from sqlmodel import col, delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.org_chart import OrgPlace
from store.models import OrgChartEntry


@dataclass(frozen=True)
class NewEntry:
    user_id: str
    email: str
    manager_id: str = ""
    department: str = ""
    location: str = ""
    employee_id: str = ""


def _lock_key(team_id: str) -> int:
    """A signed 64-bit advisory-lock key for one workspace's chart, the same in every process."""
    return int.from_bytes(hashlib.sha256(f"flipside-org-chart:{team_id}".encode()).digest()[:8], "big", signed=True)


async def replace_chart(session: AsyncSession, *, team_id: str, entries: Sequence[NewEntry], now: datetime) -> int:
    """The chart becomes exactly `entries`, in the caller's transaction; the number of rows.

    Two imports at once must end with one whole chart, not a mix: on PostgreSQL the second waits on an
    advisory lock held until the first commits; on SQLite the DELETE takes the database's write lock
    first (nothing is read before it), so the second writer waits (busy_timeout) the same way.
    """
    if session.bind.dialect.name == "postgresql":
        await session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_lock_key(team_id)))  # type: ignore[call-overload]
    await session.exec(delete(OrgChartEntry).where(col(OrgChartEntry.team_id) == team_id))
    rows = [
        {
            "team_id": team_id, "user_id": entry.user_id, "email": entry.email, "manager_id": entry.manager_id,
            "department": entry.department, "location": entry.location, "employee_id": entry.employee_id, "imported_at": now,
        }
        for entry in entries
    ]
    if rows:
        await session.exec(insert(OrgChartEntry), params=rows)  # type: ignore[call-overload]
    await session.flush()
    return len(rows)


async def chart_entries(session: AsyncSession, *, team_id: str) -> list[OrgChartEntry]:
    result = await session.exec(select(OrgChartEntry).where(col(OrgChartEntry.team_id) == team_id).order_by(col(OrgChartEntry.email)))
    return list(result.all())


async def places(session: AsyncSession, *, team_id: str) -> dict[str, OrgPlace]:
    """Everyone's manager and department, by Slack user id (the whole chart: chains run through people
    who are not in the programme)."""
    result = await session.exec(
        select(OrgChartEntry.user_id, OrgChartEntry.manager_id, OrgChartEntry.department).where(col(OrgChartEntry.team_id) == team_id)
    )
    return {user_id: OrgPlace(user_id, manager_id, department) for user_id, manager_id, department in result.all()}


async def chart_size(session: AsyncSession, *, team_id: str) -> int:
    result = await session.exec(select(func.count()).select_from(OrgChartEntry).where(col(OrgChartEntry.team_id) == team_id))
    return int(result.one())
