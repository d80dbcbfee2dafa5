"""users.info is asked once a day per person, and its zone is what times are shown in."""

from datetime import timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import SlackUser, SlackUsers, fetch_user, known_person, valid_zone
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


async def test_slack_users_asks_slack_once_within_its_time_then_again(workspace: Workspace, slack_api: str):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    users = SlackUsers(keep_for=timedelta(minutes=5))
    first = await users.fetch(client, "U0OWNER", now=START)
    again = await users.fetch(client, "U0OWNER", now=START + timedelta(minutes=4, seconds=59))
    assert first is not None and first.is_owner and again == first
    assert len(workspace.calls_to("users.info")) == 1
    workspace.members["U0OWNER"].is_owner = False
    later = await users.fetch(client, "U0OWNER", now=START + timedelta(minutes=5))
    assert later is not None and not later.is_owner
    assert len(workspace.calls_to("users.info")) == 2


async def test_slack_users_keeps_unknown_people_too_and_forgets_the_oldest_past_its_size(workspace: Workspace, slack_api: str):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    users = SlackUsers(size=2)
    assert await users.fetch(client, "U0NOBODY", now=START) is None
    assert await users.fetch(client, "U0NOBODY", now=START) is None
    assert len(workspace.calls_to("users.info")) == 1
    await users.fetch(client, "U0MENTOR", now=START)
    await users.fetch(client, "U0MENTEE", now=START)  # the third: U0NOBODY, the oldest, is forgotten
    await users.fetch(client, "U0NOBODY", now=START)
    assert len(workspace.calls_to("users.info")) == 4
