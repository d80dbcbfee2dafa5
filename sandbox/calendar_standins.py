"""The Google and Microsoft stand-ins, started together: for the tests, and in the sandbox, where each
person of the workspace has a calendar with some meetings and a day off in it, so a sandbox user can
connect a calendar (a one-click consent page) and see their sessions land on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.calendar_config import GOOGLE_DEFAULTS, MICROSOFT_DEFAULTS, CalendarSettings, ProviderSettings
from sandbox.calendar_accounts import CalendarAccounts
from sandbox.google_calendar import build_google_app
from sandbox.microsoft_calendar import build_microsoft_app
from sandbox.processes import serve
from sandbox.workspace import Workspace

GOOGLE_CLIENT = ("google-client-id.apps.googleusercontent.com", "google-secret")
MICROSOFT_CLIENT = ("00000000-0000-0000-0000-00000000c0de", "microsoft-secret")
SEEDED_DAYS = 21
MEETINGS = ((time(10, 0), 60), (time(14, 0), 90))  # each weekday, local time: what a suggestion must avoid


@dataclass
class StandIns:
    google: CalendarAccounts
    microsoft: CalendarAccounts
    google_url: str
    microsoft_url: str
    runners: list[web.AppRunner] = field(default_factory=list)

    def settings(self, public_url: str) -> CalendarSettings:
        """The bot's calendar settings, every provider URL pointed here."""
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

    async def stop(self) -> None:
        for runner in self.runners:
            await runner.cleanup()


async def start_standins() -> StandIns:
    google, microsoft = CalendarAccounts(*GOOGLE_CLIENT), CalendarAccounts(*MICROSOFT_CLIENT)
    google_runner, google_port = await serve(build_google_app(google))
    try:
        microsoft_runner, microsoft_port = await serve(build_microsoft_app(microsoft))
    except BaseException:
        await google_runner.cleanup()
        raise
    return StandIns(google, microsoft, f"http://127.0.0.1:{google_port}", f"http://127.0.0.1:{microsoft_port}",
                    [google_runner, microsoft_runner])


@asynccontextmanager
async def calendar_standins() -> AsyncIterator[StandIns]:
    running = await start_standins()
    try:
        yield running
    finally:
        await running.stop()


def seed_calendars(standins: StandIns, workspace: Workspace, *, now: datetime) -> None:
    """Each person with an email, in both providers: two meetings every weekday for three weeks, and
    the second Friday off (an all-day block), in their own zone."""
    for member in workspace.members.values():
        if not member.email or member.deleted or member.is_bot:
            continue
        for accounts in (standins.google, standins.microsoft):
            account = accounts.account(member.email, member.tz)
            zone = ZoneInfo(member.tz)
            today = now.astimezone(zone).date()
            fridays = 0
            for offset in range(SEEDED_DAYS):
                day = today + timedelta(days=offset)
                if day.weekday() == 4:
                    fridays += 1
                    if fridays == 2:
                        account.add_all_day(day)
                        continue
                if day.weekday() < 5:
                    for start, minutes in MEETINGS:
                        begins = datetime.combine(day, start, tzinfo=zone)
                        account.add_busy(begins, begins + timedelta(minutes=minutes))


def first_friday_off(today: date) -> date:
    """The day seed_calendars blocks whole (for the tests and the docs)."""
    days = [today + timedelta(days=offset) for offset in range(SEEDED_DAYS) if (today + timedelta(days=offset)).weekday() == 4]
    return days[1]
