"""Migrations bring a fresh and an existing database to head, and match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

import store.models  # noqa: F401
from store.db import alembic_config, make_engine, migrate


def _head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def _current(engine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())


async def test_fresh_database_comes_up_at_head_with_every_table(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine)
        assert await _current(engine) == _head()
        async with engine.connect() as connection:
            tables = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
        assert set(SQLModel.metadata.tables) <= tables
    finally:
        await engine.dispose()


async def test_existing_database_at_head_migrates_again_without_change(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine)
        await migrate(engine)
        assert await _current(engine) == _head()
    finally:
        await engine.dispose()


async def test_migrations_match_the_models(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine)
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), SQLModel.metadata)
            )
        assert diff == [], f"models and migrations differ; autogenerate a migration: {diff}"
    finally:
        await engine.dispose()
