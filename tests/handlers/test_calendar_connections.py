"""`/mentor calendar`: connect Google or Microsoft through the provider's consent page and back, see the
status, disconnect."""
# ruff: noqa: F811  (the calendar fixtures are imported, then requested by name)

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import text

from bot.clock import ManualClock
from bot.runtime import Runtime
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import calendars
from tests.calendar_standins import StandIns, allow, bot, bot_port, settings, standins  # noqa: F401
from tests.factories import TEAM
from tests.handlers.pairing_support import buttons, text_of

MENTOR = "U0MENTOR"  # Priya, priya@example.com


async def connect_buttons(slack: SlackRequests, user_id: str = MENTOR) -> dict[str, str]:
    reply = await slack.command_reply(user_id, "calendar")
    return {action_id: button["url"] for action_id, button in buttons(reply["blocks"]).items()}


@pytest.mark.parametrize("provider", ["google", "microsoft"])
async def test_connecting_a_calendar_stores_its_tokens_encrypted_and_says_so_in_the_dm(
    slack: SlackRequests, workspace: Workspace, bot: Runtime, standins: StandIns, provider: str
):
    links = await connect_buttons(slack)
    assert set(links) == {"calendar_connect_google", "calendar_connect_microsoft"}
    async with aiohttp.ClientSession() as browser:
        status, page = await allow(browser, links[f"calendar_connect_{provider}"])

    assert status == 200 and "Calendar connected" in page
    await workspace.wait_for_calls("chat.postMessage", 1)
    [notice] = workspace.calls_to("chat.postMessage")
    assert notice.args["channel"] == MENTOR and "calendar is connected" in notice.args["text"]
    async with bot.services.sessions() as session:
        row = await calendars.get_connection(session, team_id=TEAM, user_id=MENTOR)
        connection = await session.connection()
        stored = (await connection.execute(text("SELECT access_token, refresh_token FROM calendar_connection"))).one()
    assert row is not None and row.provider == provider and row.access_token in standins.of(provider).access
    assert all(value.startswith("fernet:") for value in stored)  # encrypted at rest, like Slack's tokens
    assert standins.of(provider).calls_to("token")[0].body["redirect_uri"] == f"{bot.settings.calendars.redirect_uri}"
    again = await slack.command_reply(MENTOR, "calendar")
    assert "is connected" in text_of(again["blocks"])


async def test_the_consent_page_is_asked_for_the_persons_own_slack_address(slack: SlackRequests, bot: Runtime, standins: StandIns):
    links = await connect_buttons(slack)
    async with aiohttp.ClientSession() as browser:
        await allow(browser, links["calendar_connect_google"])
    assert "priya@example.com" in standins.google.accounts


async def test_a_forged_or_expired_state_connects_nobody(slack: SlackRequests, bot: Runtime, clock: ManualClock, bot_port: int):
    links = await connect_buttons(slack)
    clock.advance(timedelta(minutes=11))  # the link works for 10 minutes
    async with aiohttp.ClientSession() as browser:
        status, page = await allow(browser, links["calendar_connect_google"])
        forged = await browser.get(f"http://127.0.0.1:{bot_port}/calendar/oauth/callback?code=x&state=U0MENTOR")
        assert forged.status == 400
    assert status == 400 and "expired" in page
    async with bot.services.sessions() as session:
        assert await calendars.get_connection(session, team_id=TEAM, user_id=MENTOR) is None


async def test_refusing_on_the_consent_page_saves_nothing(slack: SlackRequests, bot: Runtime):
    links = await connect_buttons(slack)
    async with aiohttp.ClientSession() as browser:
        async with browser.get(links["calendar_connect_microsoft"]) as page:
            body = await page.text()
        deny = body.split("id='deny' href='", 1)[1].split("'", 1)[0].replace("&amp;", "&")
        async with browser.get(deny) as answer:
            assert "chose not to connect" in await answer.text()
    async with bot.services.sessions() as session:
        assert await calendars.get_connection(session, team_id=TEAM, user_id=MENTOR) is None


async def test_disconnecting_revokes_the_token_and_deletes_the_connection(slack: SlackRequests, bot: Runtime, standins: StandIns):
    links = await connect_buttons(slack)
    async with aiohttp.ClientSession() as browser:
        await allow(browser, links["calendar_connect_google"])

    reply = await slack.command_reply(MENTOR, "calendar disconnect")

    assert "Disconnected your Google Calendar" in reply["text"]
    assert standins.google.calls_to("revoke") and not standins.google.refresh  # Google was asked to revoke it
    async with bot.services.sessions() as session:
        assert await calendars.get_connection(session, team_id=TEAM, user_id=MENTOR) is None
    assert "nothing to disconnect" in (await slack.command_reply(MENTOR, "calendar disconnect"))["text"]
