"""Insert-or-ignore on a unique column, in the dialect at hand: how the store makes writes idempotent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


async def insert_once(session: AsyncSession, model: type[SQLModel], *, unique: str | Sequence[str], values: dict[str, Any]) -> bool:
    """Insert a row unless one with the same `unique` value (or values) exists; True when this call inserted it."""
    insert = postgres_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    columns = [unique] if isinstance(unique, str) else list(unique)
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=columns)
    result = await session.exec(statement)
    return result.rowcount == 1
