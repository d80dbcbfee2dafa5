"""The scale path on a real PostgreSQL server: replicas that start together migrate once, safely."""

import asyncio

import pytest
from alembic.migration import MigrationContext

from store.db import make_engine, migrate

pytestmark = pytest.mark.postgres


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
