from slack_sdk.web.async_client import AsyncWebClient

from bot.permissions import is_programme_admin
from tests.conftest import START
from tests.factories import make_programme


async def test_admins_are_the_programmes_admins_and_workspace_owners(db, workspace, slack_api):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    async with db.begin() as session:
        assert await is_programme_admin(session, client, team_id="T0FLIPSIDE", user_id="U0MENTOR")  # no programme yet
        await make_programme(session, now=START, admin_id="U0ADMIN")
        assert await is_programme_admin(session, client, team_id="T0FLIPSIDE", user_id="U0ADMIN")
        assert await is_programme_admin(session, client, team_id="T0FLIPSIDE", user_id="U0OWNER")
        assert not await is_programme_admin(session, client, team_id="T0FLIPSIDE", user_id="U0MENTOR")
