"""The Google and Microsoft stand-ins started for a test, and the settings that point the bot at them."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

import aiohttp
import pytest
from aiohttp import web

from bot.calendar_config import GOOGLE_DEFAULTS, MICROSOFT_DEFAULTS, CalendarSettings, ProviderSettings
from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from sandbox.calendar_accounts import CalendarAccounts
from sandbox.google_calendar import build_google_app
from sandbox.microsoft_calendar import build_microsoft_app
from sandbox.processes import free_port, serve

GOOGLE_CLIENT = ("google-client-id.apps.googleusercontent.com", "google-secret")
MICROSOFT_CLIENT = ("00000000-0000-0000-0000-00000000c0de", "microsoft-secret")


@dataclass
class StandIns:
    google: CalendarAccounts
    microsoft: CalendarAccounts
    google_url: str
    microsoft_url: str

    def settings(self, public_url: str) -> CalendarSettings:
        google_urls = {
            "GOOGLE_OAUTH_URL": f"{self.google_url}/o/oauth2/v2/auth", "GOOGLE_TOKEN_URL": f"{self.google_url}/token",
            "GOOGLE_REVOKE_URL": f"{self.google_url}/revoke", "GOOGLE_CALENDAR_API_URL": f"{self.google_url}/calendar/v3/",
        }
        microsoft_urls = {"MICROSOFT_LOGIN_URL": f"{self.microsoft_url}/common/oauth2/v2.0", "MICROSOFT_GRAPH_URL": f"{self.microsoft_url}/v1.0"}
        assert set(google_urls) == set(GOOGLE_DEFAULTS) and set(microsoft_urls) == set(MICROSOFT_DEFAULTS)
        return CalendarSettings(
            public_url=public_url,
            google=ProviderSettings(client_id=GOOGLE_CLIENT[0], client_secret=GOOGLE_CLIENT[1], urls=google_urls),
            microsoft=ProviderSettings(client_id=MICROSOFT_CLIENT[0], client_secret=MICROSOFT_CLIENT[1], urls=microsoft_urls),
        )

    def of(self, provider: str) -> CalendarAccounts:
        return self.google if provider == "google" else self.microsoft


@asynccontextmanager
async def calendar_standins() -> AsyncIterator[StandIns]:
    google, microsoft = CalendarAccounts(*GOOGLE_CLIENT), CalendarAccounts(*MICROSOFT_CLIENT)
    runners: list[web.AppRunner] = []
    try:
        google_runner, google_port = await serve(build_google_app(google))
        runners.append(google_runner)
        microsoft_runner, microsoft_port = await serve(build_microsoft_app(microsoft))
        runners.append(microsoft_runner)
        yield StandIns(google, microsoft, f"http://127.0.0.1:{google_port}", f"http://127.0.0.1:{microsoft_port}")
    finally:
        for runner in runners:
            await runner.cleanup()


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
