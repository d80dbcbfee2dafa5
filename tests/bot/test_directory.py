"""users.info is asked once a day per person, and its zone is what times are shown in."""

from datetime import timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import SlackUser, fetch_user, known_person, valid_zone
from sandbox.workspace import Workspace
from tests.conftest import START


async def test_known_person_caches_users_info_for_a_day(db, workspace: Workspace, slack_api: str):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    async with db.begin() as session:
        person = await known_person(session, client, team_id="T0FLIPSIDE", user_id="U0MENTEE", now=START)
        again = await known_person(session, client, team_id="T0FLIPSIDE", user_id="U0MENTEE", now=START + timedelta(hours=23))
    assert (person.tz, again.tz) == ("America/New_York", "America/New_York")
    assert len(workspace.calls_to("users.info")) == 1
    workspace.members["U0MENTEE"].tz = "Europe/Berlin"
    async with db.begin() as session:
        moved = await known_person(session, client, team_id="T0FLIPSIDE", user_id="U0MENTEE", now=START + timedelta(days=1, minutes=1))
    assert moved.tz == "Europe/Berlin"
    assert len(workspace.calls_to("users.info")) == 2


async def test_fetch_user_reports_bots_and_deactivated_people(workspace: Workspace, slack_api: str):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    assert (await fetch_user(client, "U0BOT")).is_bot
    assert (await fetch_user(client, "U0GONE")).deleted
    assert await fetch_user(client, "U0NOBODY") is None


def test_unknown_zone_falls_back_to_utc():
    assert valid_zone("Mars/Olympus_Mons") == "UTC"
    assert valid_zone(None) == "UTC"
    assert SlackUser.from_slack({"id": "U1", "tz": "Asia/Kolkata", "profile": {"display_name": "P"}}).tz == "Asia/Kolkata"
