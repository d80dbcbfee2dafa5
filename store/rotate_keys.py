"""Re-encrypt every stored text with the newest key: `python -m store.rotate_keys`.

Run it after putting a new key first in FLIPSIDE_ENCRYPTION_KEY (keeping the old ones after it);
when it has finished, the old keys can be removed.
"""

from __future__ import annotations

import asyncio
import os
import sys

from sqlalchemy import Text, bindparam, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import store.models  # noqa: F401  (registers the tables)
from store.crypto import EncryptedText, _keys, rotate_token
from store.db import make_engine, normalise_database_url

BATCH = 500


def encrypted_columns() -> list[tuple[str, str]]:
    return [
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText)
    ]


async def rotate_all(engine: AsyncEngine) -> int:
    """Rotate each encrypted value to the newest key; returns how many values were rewritten."""
    keys = _keys(engine.sync_engine.dialect)
    rewritten = 0
    for table_name, column_name in encrypted_columns():
        table = SQLModel.metadata.tables[table_name]
        # Read and write the stored tokens as plain Text, so EncryptedText neither decrypts nor re-encrypts.
        column = type_coerce(table.c[column_name], Text)
        last_id = 0
        while True:
            async with engine.begin() as connection:
                rows = (
                    await connection.execute(
                        select(table.c.id, column).where(table.c.id > last_id).order_by(table.c.id).limit(BATCH)
                    )
                ).all()
                for row_id, stored in rows:
                    rotated = rotate_token(keys, stored)
                    if rotated != stored:
                        await connection.execute(
                            update(table).where(table.c.id == row_id).values({column_name: bindparam(None, rotated, type_=Text)})
                        )
                        rewritten += 1
            if len(rows) < BATCH:
                break
            last_id = rows[-1][0]
    return rewritten


async def main() -> int:
    url = normalise_database_url(os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///flipside.db"))
    engine = make_engine(url, encryption_keys=os.environ["FLIPSIDE_ENCRYPTION_KEY"])
    try:
        count = await rotate_all(engine)
    finally:
        await engine.dispose()
    print(f"re-encrypted {count} values with the newest key")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
