"""Does this database's text open with our keys? Checked once at start (bot/runtime.py).

The first bot to start on a database writes a known value with its newest key; every later start
reads it back. A bot given only a key the data was not written under (valid Fernet, wrong key) finds
out here, before it writes anything nobody else can read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, type_coerce
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.crypto import KeyRingError, decrypt_stored
from store.insert import insert_once
from store.models import KeyCheck

KNOWN_VALUE = "flipside key check"
ROW_ID = 1


async def keys_open_this_database(session: AsyncSession, *, now: datetime) -> bool:
    """True when our keys read the database's check value (written now, with our newest key, if it has none)."""
    await insert_once(session, KeyCheck, unique="id", values={"id": ROW_ID, "value": KNOWN_VALUE, "created_at": now})
    stored = (await session.exec(select(type_coerce(col(KeyCheck.value), Text)).where(KeyCheck.id == ROW_ID))).one()
    try:
        return decrypt_stored(session.sync_session.get_bind().dialect, stored) == KNOWN_VALUE
    except KeyRingError:
        return False
