"""Each provider against its stand-in, in the provider's own request and response shapes: connect
(code for tokens), free/busy (an all-day block too), an event created, moved and cancelled with the
partner invited, and the provider's error answers as our errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from bot.calendars.provider import (
    CalendarProvider,
    EventDraft,
    GrantRevoked,
    RateLimited,
    TokenInvalid,
    Unavailable,
)
from bot.calendars.registry import providers_of
from bot.http import SharedHttp
from domain.busy import BusyBlock
from sandbox.calendar_accounts import Fault
from tests.calendar_standins import StandIns, calendar_standins

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
REDIRECT = "http://127.0.0.1:9/calendar/oauth/callback"
PROVIDERS = ("google", "microsoft")


@pytest.fixture
async def standins() -> AsyncIterator[StandIns]:
    async with calendar_standins() as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[SharedHttp]:
    shared = SharedHttp()
    yield shared
    await shared.close()


def provider_of(standins: StandIns, http: SharedHttp, name: str) -> CalendarProvider:
    return providers_of(standins.settings("http://127.0.0.1:9"), http)[name]


async def consent(http: SharedHttp, provider: CalendarProvider, address: str) -> str:
    """Open the authorize URL as the person's browser would, press Allow; the code sent back."""
    url = provider.authorize_url(state="s1", redirect_uri=REDIRECT, login_hint=address)
    async with http.session.get(url) as page:
        text = await page.text()
    allow = text.split("id='allow' href='", 1)[1].split("'", 1)[0].replace("&amp;", "&")
    query = parse_qs(urlparse(allow).query)
    assert allow.startswith(REDIRECT) and query["state"] == ["s1"]
    return query["code"][0]


async def connected(standins: StandIns, http: SharedHttp, name: str, address: str = "priya@example.com", tz: str = "UTC"):
    standins.of(name).account(address, tz)
    provider = provider_of(standins, http, name)
    tokens = await provider.exchange_code(code=await consent(http, provider, address), redirect_uri=REDIRECT, now=NOW)
    return provider, tokens


def draft(start: datetime, *, attendee: str = "tom@example.com") -> EventDraft:
    return EventDraft(summary="Mentoring with Tom Becker", description="Flipside session", location="Zoom", starts_at=start,
                      ends_at=start + timedelta(minutes=45), tz="Asia/Kolkata", attendee_email=attendee, attendee_name="Tom Becker")


@pytest.mark.parametrize("name", PROVIDERS)
async def test_the_consent_code_is_exchanged_for_tokens_that_refresh(standins: StandIns, http: SharedHttp, name: str):
    provider, tokens = await connected(standins, http, name)

    assert tokens.access_token and tokens.refresh_token and tokens.expires_at == NOW + timedelta(seconds=3599)
    fresh = await provider.refresh(refresh_token=tokens.refresh_token, now=NOW)
    assert fresh.access_token != tokens.access_token
    [exchange, refresh] = standins.of(name).calls_to("token")
    assert exchange.body["grant_type"] == "authorization_code" and exchange.body["redirect_uri"] == REDIRECT
    assert refresh.body["grant_type"] == "refresh_token"


@pytest.mark.parametrize("name", PROVIDERS)
async def test_free_busy_reads_busy_blocks_and_a_whole_day_away(standins: StandIns, http: SharedHttp, name: str):
    provider, tokens = await connected(standins, http, name, tz="Asia/Kolkata")
    account = standins.of(name).account("priya@example.com")
    account.add_busy(NOW + timedelta(hours=2), NOW + timedelta(hours=3))
    account.add_all_day(date(2026, 3, 6))
    account.add_busy(NOW + timedelta(days=20), NOW + timedelta(days=20, hours=1))  # outside the window

    address = await provider.account(access_token=tokens.access_token) or "priya@example.com"
    blocks = await provider.busy(access_token=tokens.access_token, account=address, start=NOW, end=NOW + timedelta(days=7), tz="Asia/Kolkata")

    assert sorted(blocks, key=lambda block: block.start) == [
        BusyBlock(NOW + timedelta(hours=2), NOW + timedelta(hours=3)),
        BusyBlock(datetime(2026, 3, 5, 18, 30, tzinfo=UTC), datetime(2026, 3, 6, 18, 30, tzinfo=UTC)),  # 6 March in Kolkata
    ]


@pytest.mark.parametrize("name", PROVIDERS)
async def test_an_event_is_created_with_the_partner_invited_then_moved_then_cancelled(standins: StandIns, http: SharedHttp, name: str):
    provider, tokens = await connected(standins, http, name)
    start = NOW + timedelta(days=2)

    event_id = await provider.create_event(access_token=tokens.access_token, draft=draft(start))
    await provider.update_event(access_token=tokens.access_token, event_id=event_id, draft=draft(start + timedelta(hours=1)))
    account = standins.of(name).account("priya@example.com")
    event = account.events[event_id]
    await provider.cancel_event(access_token=tokens.access_token, event_id=event_id)

    if name == "google":
        assert event["attendees"] == [{"email": "tom@example.com", "displayName": "Tom Becker"}]
        assert datetime.fromisoformat(event["start"]["dateTime"]) == start + timedelta(hours=1)
        assert standins.google.calls_to("cancel")[0].body == {"sendUpdates": "all"}
    else:
        assert event["attendees"] == [{"emailAddress": {"address": "tom@example.com", "name": "Tom Becker"}, "type": "required"}]
        assert event["start"] == {"dateTime": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"}
    assert event_id in account.cancelled and not account.events


@pytest.mark.parametrize("name", PROVIDERS)
async def test_the_providers_error_answers_are_ours(standins: StandIns, http: SharedHttp, name: str):
    provider, tokens = await connected(standins, http, name)
    accounts = standins.of(name)
    accounts.faults["insert"] = [Fault(429, retry_after=7), Fault(503)]

    with pytest.raises(RateLimited) as limited:
        await provider.create_event(access_token=tokens.access_token, draft=draft(NOW + timedelta(days=1)))
    assert limited.value.retry_after == 7
    with pytest.raises(Unavailable):
        await provider.create_event(access_token=tokens.access_token, draft=draft(NOW + timedelta(days=1)))
    accounts.expire("priya@example.com")
    with pytest.raises(TokenInvalid):
        await provider.create_event(access_token=tokens.access_token, draft=draft(NOW + timedelta(days=1)))
    accounts.revoke("priya@example.com")
    with pytest.raises(GrantRevoked):
        await provider.refresh(refresh_token=tokens.refresh_token, now=NOW)


async def test_a_provider_that_does_not_answer_is_unavailable(http: SharedHttp):
    async with calendar_standins() as gone:
        provider = provider_of(gone, http, "microsoft")
    with pytest.raises(Unavailable):  # its port is closed now
        await provider.busy(access_token="at", account="a@example.com", start=NOW, end=NOW + timedelta(days=1), tz="UTC")
    async with calendar_standins() as gone:
        google = provider_of(gone, http, "google")
    with pytest.raises(Unavailable):
        await google.busy(access_token="at", account="", start=NOW, end=NOW + timedelta(days=1), tz="UTC")
