"""busy_blocks: busy time from connected calendars for suggestions to avoid, against the stand-ins;
an all-day block covers the person's local day, and a failing provider adds nothing, never raises."""
# ruff: noqa: F811  (the calendar fixtures are imported, then requested by name)

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.flows.busy_time import busy_blocks
from bot.runtime import Runtime
from domain.busy import BusyBlock
from sandbox.calendar_accounts import Fault
from store import calendars
from tests.calendar_standins import StandIns, bot, bot_port, settings, standins  # noqa: F401
from tests.conftest import START
from tests.factories import TEAM, make_person

PRIYA, TOM, LEO = "U0MENTOR", "U0MENTEE", "U0OTHER"
WINDOW = (START, START + timedelta(days=7))


async def _connect(bot: Runtime, standins: StandIns, user_id: str, provider: str, address: str, tz: str) -> None:
    accounts = standins.of(provider)
    accounts.account(address, tz)
    tokens = accounts.issue(address)
    async with bot.services.sessions.begin() as session:
        await make_person(session, user_id=user_id, now=START, tz=tz)
        await calendars.save_connection(session, team_id=TEAM, user_id=user_id, provider=provider, account=address,
                                        access_token=tokens["access_token"], refresh_token=tokens["refresh_token"],
                                        expires_at=START + timedelta(hours=1), now=START)


@pytest.fixture
async def connected(bot: Runtime, standins: StandIns) -> StandIns:
    await _connect(bot, standins, PRIYA, "google", "priya@example.com", "Asia/Kolkata")
    await _connect(bot, standins, TOM, "microsoft", "tom@example.com", "America/New_York")
    standins.google.account("priya@example.com").add_all_day(date(2026, 3, 6))
    standins.google.account("priya@example.com").add_busy(START - timedelta(hours=1), START + timedelta(hours=1))  # straddles the start
    standins.microsoft.account("tom@example.com").add_busy(START + timedelta(days=1), START + timedelta(days=1, hours=2))
    standins.microsoft.account("tom@example.com").add_busy(START + timedelta(days=30), START + timedelta(days=30, hours=1))  # outside
    return standins


async def test_everyones_busy_time_from_both_providers_with_an_all_day_block_as_the_local_day(bot: Runtime, connected: StandIns):
    blocks = await busy_blocks(bot.services, team_id=TEAM, user_ids=[PRIYA, TOM, LEO], start=WINDOW[0], end=WINDOW[1])

    assert blocks == [
        BusyBlock(START, START + timedelta(hours=1)),  # clipped to the window
        BusyBlock(START + timedelta(days=1), START + timedelta(days=1, hours=2)),
        BusyBlock(datetime(2026, 3, 5, 18, 30, tzinfo=UTC), datetime(2026, 3, 6, 18, 30, tzinfo=UTC)),  # 6 March in Kolkata
    ]


async def test_a_failing_or_revoked_calendar_adds_nothing_and_the_others_still_count(bot: Runtime, connected: StandIns, caplog):
    connected.microsoft.faults["freebusy"] = [Fault(503)]

    blocks = await busy_blocks(bot.services, team_id=TEAM, user_ids=[PRIYA, TOM], start=WINDOW[0], end=WINDOW[1])
    assert len(blocks) == 2 and all(block.end - block.start != timedelta(hours=2) for block in blocks)  # Priya's only

    connected.google.revoke("priya@example.com")
    blocks = await busy_blocks(bot.services, team_id=TEAM, user_ids=[PRIYA, TOM], start=WINDOW[0], end=WINDOW[1])
    assert blocks == [BusyBlock(START + timedelta(days=1), START + timedelta(days=1, hours=2))]  # Tom's only
    assert "microsoft_503" in caplog.text and "google_invalid_grant" in caplog.text
    assert "at-" not in caplog.text and "rt-" not in caplog.text  # ids and codes, never a token


async def test_an_expired_token_is_refreshed_for_busy_time(bot: Runtime, connected: StandIns):
    connected.microsoft.expire("tom@example.com")

    blocks = await busy_blocks(bot.services, team_id=TEAM, user_ids=[TOM], start=WINDOW[0], end=WINDOW[1])

    assert blocks == [BusyBlock(START + timedelta(days=1), START + timedelta(days=1, hours=2))]
    assert [call.body["grant_type"] for call in connected.microsoft.calls_to("token")] == ["refresh_token"]


async def test_nobody_connected_or_calendars_off_is_no_busy_time(bot: Runtime):
    assert await busy_blocks(bot.services, team_id=TEAM, user_ids=[LEO], start=WINDOW[0], end=WINDOW[1]) == []
