"""The disclosure gate's ledger: the figures over people's answers last released to admins, per programme."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import ReleasedFigure


async def ledger(session: AsyncSession, *, team_id: str, programme_id: int, figures: list[str]) -> dict[str, ReleasedFigure]:
    """The ledger rows of these figures, created (with a fresh random salt) where missing and locked for
    the rest of the transaction on PostgreSQL, so two admins asking at once release a figure once."""
    insert = postgres_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    for figure in figures:
        statement = (
            insert(ReleasedFigure)
            .values(team_id=team_id, programme_id=programme_id, figure=figure, value="", salt=secrets.token_hex(16), seen="")
            .on_conflict_do_nothing(index_elements=["programme_id", "figure"])
        )
        await session.exec(statement)
    rows = await session.exec(
        select(ReleasedFigure)
        .where(ReleasedFigure.team_id == team_id, ReleasedFigure.programme_id == programme_id, col(ReleasedFigure.figure).in_(figures))
        .with_for_update()
    )
    return {row.figure: row for row in rows.all()}


def record_release(row: ReleasedFigure, *, value: str, seen: str, now: datetime) -> None:
    """A new value released: what was shown, when, and every digest released in it so far."""
    row.value = value
    row.seen = seen
    row.released_at = now
