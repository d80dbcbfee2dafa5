"""The scale path on a real PostgreSQL server: replicas that start together migrate once, safely."""

import asyncio
import uuid

import asyncpg
import pytest
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url

from store.db import make_engine, migrate

pytestmark = pytest.mark.postgres


@pytest.fixture
async def fresh_postgres(postgres_url):
    url = make_url(postgres_url)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"flipside_replicas_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    yield url.set(database=name).render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin)
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.close()


async def test_three_replicas_starting_at_once_all_come_up_at_head(fresh_postgres):
    engines = [make_engine(fresh_postgres) for _ in range(3)]
    try:
        await asyncio.gather(*(migrate(engine) for engine in engines))
        for engine in engines:
            async with engine.connect() as connection:
                revision = await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())
            assert revision is not None
    finally:
        for engine in engines:
            await engine.dispose()
