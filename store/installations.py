"""Installations from Slack's OAuth install: slack_sdk's SQLAlchemy stores, in our database, tokens encrypted.

slack_sdk's `AsyncSQLAlchemyInstallationStore` and `AsyncSQLAlchemyOAuthStateStore` keep tokens in
plain text and build their tables on a metadata of their own. Here the same tables are built on the
app's metadata (so Alembic migrates them with everything else) and every token column is
`EncryptedText`, so a copy of the database leaks no token. Rows are keyed by `enterprise_id` and
`team_id`; an Enterprise Grid org-wide install has `team_id` NULL.

Rotating tokens are refreshed under a lock (see `refresh_serialized`): Slack's refresh tokens are
single use, so two replicas refreshing the same workspace at once would lose it its token.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import (
    AsyncSQLAlchemyInstallationStore,
    SQLAlchemyInstallationStore,
)
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    delete,
    desc,
    select,
    text,
    update,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel import SQLModel

from store.crypto import EncryptedText

logger = logging.getLogger(__name__)

TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


def _encrypt_tokens(table: Table) -> Table:
    for name in TOKEN_COLUMNS:
        if name in table.c:
            table.c[name].type = EncryptedText()
    return table


def _build_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    installations = _encrypt_tokens(
        SQLAlchemyInstallationStore.build_installations_table(
            metadata, AsyncSQLAlchemyInstallationStore.default_installations_table_name
        )
    )
    bots = _encrypt_tokens(
        SQLAlchemyInstallationStore.build_bots_table(metadata, AsyncSQLAlchemyInstallationStore.default_bots_table_name)
    )
    # slack_sdk's state table, with each state unique: OAuthStateStore.async_consume deletes it in one statement.
    states = Table(
        AsyncSQLAlchemyOAuthStateStore.default_table_name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("state", String(200), nullable=False, unique=True),
        Column("expire_at", DateTime, nullable=False),
    )
    return installations, bots, states


installations_table, bots_table, oauth_states_table = _build_tables(SQLModel.metadata)


class InstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack_sdk's async SQLAlchemy installation store on the app's tables and engine."""

    def __init__(self, client_id: str, engine: AsyncEngine) -> None:
        super().__init__(client_id=client_id, engine=engine, logger=logging.getLogger(__name__))
        self.metadata = SQLModel.metadata
        self.installations = installations_table
        self.bots = bots_table
        # Tasks of this process queue here first, so they hold one database connection between them.
        self._local_locks: dict[int, asyncio.Lock] = {}

    async def create_tables(self) -> None:
        raise NotImplementedError("the tables are created by the app's migrations (store/migrations)")

    async def refresh_serialized(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        refresh: Callable[[Installation], Awaitable[Installation | None]],
    ) -> Installation | None:
        """Re-read the installation under a lock, let `refresh` renew its tokens if still needed, save.

        Another replica may have refreshed while this one waited for the lock; reading again under
        the lock means `refresh` sees its fresh token and finds nothing to do. Returns the current
        installation (refreshed or not), or None when there is none.
        """
        local_lock = self._local_locks.setdefault(lock_key(enterprise_id, team_id), asyncio.Lock())
        async with local_lock, self.engine.begin() as connection:
            await self._lock(connection, enterprise_id=enterprise_id, team_id=team_id)
            row = await self._latest(connection, self.installations, enterprise_id=enterprise_id, team_id=team_id)
            if row is None:
                return None
            installation = SQLAlchemyInstallationStore.build_installation_entity(row)
            bot = await self._latest(connection, self.bots, enterprise_id=enterprise_id, team_id=team_id)
            if bot is not None and bot["bot_token"] is not None and bot["installed_at"] >= row["installed_at"]:
                # slack_sdk keeps the newest bot token in the bots table too; prefer it, as it does.
                installation.bot_token = bot["bot_token"]
                installation.bot_refresh_token = bot["bot_refresh_token"]
                installation.bot_token_expires_at = _timestamp(bot["bot_token_expires_at"])
            refreshed = await refresh(installation)
            if refreshed is None:
                return installation
            values = {
                "bot_token": refreshed.bot_token,
                "bot_refresh_token": refreshed.bot_refresh_token,
                "bot_token_expires_at": _db_time(refreshed.bot_token_expires_at),
            }
            await connection.execute(update(self.installations).where(self.installations.c.id == row["id"]).values(**values))
            if bot is not None:
                await connection.execute(update(self.bots).where(self.bots.c.id == bot["id"]).values(**values))
            return refreshed

    async def _lock(self, connection: AsyncConnection, *, enterprise_id: str | None, team_id: str | None) -> None:
        if connection.dialect.name == "postgresql":
            # Held until this transaction ends; waiters queue on it. The key must be the same in
            # every process, so it is a digest of the ids, not Python's salted hash().
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(enterprise_id, team_id)})
            return
        # SQLite: a write first takes the database's write lock for the whole transaction, so a second
        # writer waits (busy_timeout, 5 s) until this one commits, then reads what it wrote. The lock
        # spans the refresh call to Slack, which is one short request.
        await connection.execute(
            update(self.installations)
            .where(self._owner(self.installations, enterprise_id=enterprise_id, team_id=team_id))
            .values(client_id=self.installations.c.client_id)
        )

    def _owner(self, table: Table, *, enterprise_id: str | None, team_id: str | None) -> Any:
        c = table.c
        return and_(c.client_id == self.client_id, c.enterprise_id == enterprise_id, c.team_id == team_id)

    async def _latest(
        self, connection: AsyncConnection, table: Table, *, enterprise_id: str | None, team_id: str | None
    ) -> RowMapping | None:
        query = (
            select(table)
            .where(self._owner(table, enterprise_id=enterprise_id, team_id=team_id))
            .order_by(desc(table.c.installed_at))
            .limit(1)
        )
        return (await connection.execute(query)).mappings().first()


class OAuthStateStore(AsyncSQLAlchemyOAuthStateStore):
    """slack_sdk's async SQLAlchemy state store on the app's table: each state is used once, before it expires."""

    def __init__(self, engine: AsyncEngine, *, expiration_seconds: int) -> None:
        super().__init__(expiration_seconds=expiration_seconds, engine=engine, logger=logging.getLogger(__name__))
        self.metadata = SQLModel.metadata
        self.oauth_states = oauth_states_table

    async def create_tables(self) -> None:
        raise NotImplementedError("the tables are created by the app's migrations (store/migrations)")

    async def async_consume(self, state: str) -> bool:
        """One DELETE, so two callbacks racing with the same state cannot both pass (the stock store
        selects, then deletes)."""
        now = normalize_datetime_for_db(datetime.fromtimestamp(time.time(), tz=UTC))
        c = self.oauth_states.c
        async with self.engine.begin() as connection:
            result = await connection.execute(delete(self.oauth_states).where(c.state == state, c.expire_at > now))
        return result.rowcount == 1


def lock_key(enterprise_id: str | None, team_id: str | None) -> int:
    """A signed 64-bit advisory-lock key for one installation, the same in every process."""
    digest = hashlib.sha256(f"flipside-install:{enterprise_id or ''}:{team_id or ''}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _timestamp(value: datetime | None) -> int | None:
    """slack_sdk stores naive UTC datetimes and works in Unix seconds."""
    return None if value is None else int(value.replace(tzinfo=UTC).timestamp())


def _db_time(timestamp: int | None) -> datetime | None:
    return None if timestamp is None else normalize_datetime_for_db(datetime.fromtimestamp(timestamp, tz=UTC))
