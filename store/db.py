"""The async engine, the session factory, and migrations to head at start."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

# new_key is public here (a key for `make_engine`), so callers outside the store need not reach into the cipher.
from store.crypto import attach_keys, parse_keys
from store.crypto import new_key as new_key

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number will do: replicas that start together take this lock, so one migrates and the
# others wait and then find the database already at head.
MIGRATION_LOCK_ID = 7_051_993


def normalise_database_url(url: str) -> str:
    """Accept the plain driver names people paste (postgres://, sqlite:///) and pick the async driver."""
    for plain, async_ in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return async_ + url[len(plain) :]
    return url


def make_engine(database_url: str, *, encryption_keys: str | None = None) -> AsyncEngine:
    """An engine for the URL; with keys, it can read and write the encrypted text columns."""
    engine = create_async_engine(database_url, pool_pre_ping=not database_url.startswith("sqlite"))
    if encryption_keys:
        attach_keys(engine, parse_keys(encryption_keys))
    if engine.dialect.name == "sqlite":
        # SQLite leaves foreign keys off by default and locks eagerly; WAL lets readers and one
        # writer share the file, and busy_timeout makes a second writer wait instead of failing.
        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL's recommended durability: a commit is safe from a crash of the process, and only a
            # power cut can lose the last commits; it saves an fsync on every commit.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(engine: AsyncEngine) -> None:
    """Bring the database to the newest schema; safe when several replicas start at once."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
    logger.info("database at head", extra={"dialect": engine.dialect.name})
