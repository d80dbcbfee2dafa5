"""The OAuth install over HTTP: the install page, Slack's redirect, the installation stored with its tokens encrypted."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from sqlalchemy import text

from bot.runtime import Runtime
from sandbox.oauth import SlackOAuth
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import workspaces
from tests.oauth.conftest import Installer, acme, globex, home_opened, send_event


async def test_install_page_links_to_slacks_authorize_page_with_a_state_and_the_bot_scopes(installer: Installer, oauth: SlackOAuth):
    page = await installer.open_install_page()

    assert page.status == 200
    url = urlparse(page.authorize_url)
    assert (url.netloc, url.path) == ("slack.com", "/oauth/v2/authorize")
    query = parse_qs(url.query)
    assert query["client_id"] == [oauth.client_id]
    assert set(query["scope"][0].split(",")) >= {"commands", "chat:write", "im:history", "users:read"}
    assert page.state and page.cookie == page.state


async def test_redirect_with_code_and_state_stores_the_installation(installer: Installer, bot: Runtime):
    status, _ = await installer.install(acme())

    assert status == 200
    installation = await bot.app.installation_store.async_find_installation(enterprise_id=None, team_id="T0ACME")
    assert installation is not None
    assert installation.bot_token.startswith("xoxb-T0ACME-")
    assert installation.bot_user_id == "U0BOT"
    async with bot.services.sessions() as session:
        assert await workspaces.enterprise_of(session, team_id="T0ACME") is None
        assert [w.team_id for w in await workspaces.due_for_deletion(session, uninstalled_before=bot.clock.now())] == []


async def test_stored_tokens_are_encrypted_in_the_database(installer: Installer, bot: Runtime, oauth: SlackOAuth):
    oauth.rotation = True  # so there is a refresh token to keep safe as well
    await installer.install(acme())

    async with bot.engine.connect() as connection:
        installations = (await connection.execute(text("SELECT bot_token, bot_refresh_token FROM slack_installations"))).all()
        bots = (await connection.execute(text("SELECT bot_token, bot_refresh_token FROM slack_bots"))).all()

    stored = [value for row in installations + bots for value in row]
    assert len(stored) == 4
    assert all(value.startswith("fernet:") for value in stored)
    assert not any("xox" in value for value in stored)


async def test_redirect_with_a_state_not_issued_here_stores_nothing(installer: Installer, bot: Runtime, oauth: SlackOAuth):
    await installer.open_install_page()  # a real state exists, but the redirect brings another

    status, _ = await installer.redirect(code=oauth.approve(acme()), state="forged-state", cookie="forged-state")

    assert status == 401  # Bolt: invalid_state
    assert await bot.app.installation_store.async_find_installation(enterprise_id=None, team_id="T0ACME") is None


async def test_a_state_works_once(installer: Installer, bot: Runtime, oauth: SlackOAuth):
    page = await installer.open_install_page()
    first, _ = await installer.redirect(code=oauth.approve(acme()), state=page.state, cookie=page.cookie)

    second, _ = await installer.redirect(code=oauth.approve(globex()), state=page.state, cookie=page.cookie)

    assert (first, second) == (200, 401)
    assert await bot.app.installation_store.async_find_installation(enterprise_id=None, team_id="T0GLOBEX") is None


async def test_each_workspace_is_answered_with_its_own_token(installer: Installer, slack: SlackRequests, workspace: Workspace):
    await installer.install(acme())
    await installer.install(globex())
    workspace.calls.clear()

    await send_event(slack, acme(), home_opened("U0MENTOR"))
    await workspace.wait_for_calls("views.publish", 1)
    await send_event(slack, globex(), home_opened("U0MENTEE"))
    publishes = await workspace.wait_for_calls("views.publish", 2)

    tokens = {call.args["user_id"]: call.token for call in publishes}
    assert tokens["U0MENTOR"].startswith("xoxb-T0ACME-")
    assert tokens["U0MENTEE"].startswith("xoxb-T0GLOBEX-")
    assert {call.token.split("-")[1] for call in workspace.calls_to("auth.test")} == {"T0ACME", "T0GLOBEX"}


async def test_a_workspace_that_never_installed_gets_nothing_done(installer: Installer, slack: SlackRequests, workspace: Workspace):
    await installer.install(acme())
    workspace.calls.clear()

    await send_event(slack, globex(), home_opened("U0MENTEE"))
    await send_event(slack, acme(), home_opened("U0MENTOR"))  # a marker: once it lands, the first was handled

    publishes = await workspace.wait_for_calls("views.publish", 1)
    assert [call.args["user_id"] for call in publishes] == ["U0MENTOR"]
