"""The Google and Microsoft stand-ins (sandbox/calendar_standins.py) started for a test, and the bot pointed at them."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from dataclasses import replace

import aiohttp
import pytest

from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from sandbox.calendar_standins import StandIns, calendar_standins
from sandbox.processes import free_port

__all__ = ["StandIns", "allow", "bot", "bot_port", "calendar_standins", "settings", "standins"]

# Fixtures for tests of the bot with calendars on: import them into a test module (`from
# tests.calendar_standins import bot, bot_port, settings, standins`, marked noqa F401). The bot is served on
# a port chosen first, since the providers send the browser back to its own address.


@pytest.fixture
async def standins() -> AsyncIterator[StandIns]:
    async with calendar_standins() as running:
        yield running


@pytest.fixture
def bot_port() -> int:
    return free_port()


@pytest.fixture
def settings(settings: Settings, standins: StandIns, bot_port: int) -> Settings:
    return replace(settings, calendars=standins.settings(f"http://127.0.0.1:{bot_port}"))


@pytest.fixture
async def bot(settings: Settings, clock: ManualClock, bot_port: int) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(settings, clock)
    await runtime.serve_http(host="127.0.0.1", port=bot_port)
    yield runtime
    await runtime.stop()


async def allow(session: aiohttp.ClientSession, authorize_url: str) -> tuple[int, str]:
    """Open a Connect button's URL, press Allow on the provider's page, follow it back to the bot: its page."""
    async with session.get(authorize_url) as page:
        text = await page.text()
    back = html.unescape(text.split("id='allow' href='", 1)[1].split("'", 1)[0])
    async with session.get(back) as answer:
        return answer.status, await answer.text()
