"""Enterprise Grid: an org-wide install serves every workspace of the org, by request and for the sweep."""

from __future__ import annotations

from sqlmodel import select

from bot.runtime import Runtime
from bot.tokens import client_for
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import Workspace as WorkspaceRow
from tests.oauth.conftest import Installer, home_opened, initech_org, once_stored, send_event


async def test_an_org_install_is_stored_for_the_enterprise_with_no_team(installer: Installer, bot: Runtime):
    status, _ = await installer.install(initech_org())

    assert status == 200
    installation = await bot.app.installation_store.async_find_installation(
        enterprise_id="E0INITECH", team_id=None, is_enterprise_install=True
    )
    assert installation is not None
    assert (installation.team_id, installation.is_enterprise_install) == (None, True)
    assert installation.bot_token.startswith("xoxb-E0INITECH-")


async def test_a_request_from_a_workspace_of_the_org_is_answered_with_the_org_token(
    installer: Installer, slack: SlackRequests, workspace: Workspace
):
    await installer.install(initech_org())

    await send_event(slack, initech_org(), home_opened("U0MENTOR"), team_id="T0INITECHLONDON")
    publishes = await workspace.wait_for_calls("views.publish", 1)

    assert [call.token.split("-")[1] for call in publishes] == ["E0INITECH"]


async def test_the_sweep_finds_the_org_token_for_a_team_in_that_enterprise(installer: Installer, bot: Runtime):
    await installer.install(initech_org())

    client = await client_for(bot.services, bot.app, team_id="T0INITECHPARIS", enterprise_id="E0INITECH")

    assert client.token.startswith("xoxb-E0INITECH-")


async def test_a_workspace_seen_in_a_request_is_found_by_team_alone(
    installer: Installer, bot: Runtime, slack: SlackRequests, workspace: Workspace
):
    await installer.install(initech_org())
    await send_event(slack, initech_org(), home_opened("U0MENTOR"), team_id="T0INITECHLONDON")
    await workspace.wait_for_calls("views.publish", 1)

    client = await client_for(bot.services, bot.app, team_id="T0INITECHLONDON")

    assert client.token.startswith("xoxb-E0INITECH-")


async def test_uninstalling_the_org_app_marks_each_known_workspace_of_the_org(
    installer: Installer, bot: Runtime, slack: SlackRequests, workspace: Workspace
):
    await installer.install(initech_org())
    await send_event(slack, initech_org(), home_opened("U0MENTOR"), team_id="T0INITECHLONDON")
    await workspace.wait_for_calls("views.publish", 1)

    await send_event(slack, initech_org(), {"type": "app_uninstalled"}, team_id="T0INITECHLONDON")

    async def london_uninstalled() -> bool:
        async with bot.services.sessions() as session:
            row = (await session.exec(select(WorkspaceRow).where(WorkspaceRow.team_id == "T0INITECHLONDON"))).one()
        return row.uninstalled_at is not None

    assert await once_stored(london_uninstalled)
    assert (
        await bot.app.installation_store.async_find_installation(enterprise_id="E0INITECH", team_id=None, is_enterprise_install=True)
        is None
    )
