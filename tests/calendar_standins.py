"""The Google and Microsoft stand-ins started for a test, and the settings that point the bot at them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

from bot.calendar_config import GOOGLE_DEFAULTS, MICROSOFT_DEFAULTS, CalendarSettings, ProviderSettings
from sandbox.calendar_accounts import CalendarAccounts
from sandbox.google_calendar import build_google_app
from sandbox.microsoft_calendar import build_microsoft_app
from sandbox.processes import serve

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
