from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import SlackUsers
from bot.flows.permissions import admin_home_viewers, is_programme_admin
from tests.conftest import START
from tests.factories import make_programme


async def test_admins_are_the_programmes_admins_and_workspace_owners(db, workspace, slack_api):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    async with db.begin() as session:
        # No programme yet: the first set-up is for a workspace owner or admin, or someone named in the settings.
        assert not await is_programme_admin(session, client, team_id="T0FLIPSIDE", user_id="U0MENTOR")
        assert await is_programme_admin(session, client, team_id="T0FLIPSIDE", user_id="U0OWNER")
        assert await is_programme_admin(session, client, team_id="T0FLIPSIDE", user_id="U0ADMIN", setup_admins=("U0ADMIN",))
        assert not await is_programme_admin(session, client, team_id="T0FLIPSIDE", user_id="U0ADMIN")
        await make_programme(session, now=START, admin_id="U0ADMIN")
        assert await is_programme_admin(session, client, team_id="T0FLIPSIDE", user_id="U0ADMIN")
        assert await is_programme_admin(session, client, team_id="T0FLIPSIDE", user_id="U0OWNER")
        assert not await is_programme_admin(session, client, team_id="T0FLIPSIDE", user_id="U0MENTOR")


async def test_the_admin_home_is_for_the_running_programmes_admins_and_workspace_owners(db, workspace, slack_api):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    people = ["U0ADMIN", "U0OWNER", "U0MENTOR"]
    async with db.begin() as session:
        assert await admin_home_viewers(session, client, team_id="T0FLIPSIDE", user_ids=people, users=SlackUsers(), now=START) == set()
        await make_programme(session, now=START, admin_id="U0ADMIN")
        users = SlackUsers()
        assert await admin_home_viewers(session, client, team_id="T0FLIPSIDE", user_ids=people, users=users, now=START) == {"U0ADMIN", "U0OWNER"}
        asked = sorted(call.args["user"] for call in workspace.calls_to("users.info"))
        assert asked == ["U0MENTOR", "U0OWNER"]  # the programme's own admin is not asked about
        await admin_home_viewers(session, client, team_id="T0FLIPSIDE", user_ids=people, users=users, now=START)
        assert len(workspace.calls_to("users.info")) == 2  # minutes later, Slack is not asked again
