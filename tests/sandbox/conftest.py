"""A whole sandbox (page API, Web API, the real bot) started in-process on free ports, on a tmp SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from sandbox.server import Sandbox, start_sandbox


@pytest.fixture
def sandbox_settings(tmp_path) -> Settings:
    return Settings(mode="sandbox", database_url=f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}", port=0)


@pytest.fixture
async def sandbox(sandbox_settings: Settings, clock: ManualClock) -> AsyncIterator[Sandbox]:
    # No scheduler: the tests move the clock and sweep explicitly.
    running = await start_sandbox(sandbox_settings, port=0, clock=clock, scheduler=False)
    yield running
    await running.stop()


@pytest.fixture
async def demo_sandbox(sandbox_settings: Settings, clock: ManualClock) -> AsyncIterator[Sandbox]:
    """The sandbox with `--demo`'s programme seeded, ten weeks in at the test clock's start."""
    running = await start_sandbox(sandbox_settings, port=0, clock=clock, demo=True, scheduler=False)
    yield running
    await running.stop()
