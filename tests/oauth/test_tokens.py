"""Tokens per workspace for work outside a request (the sweep), and rotating tokens refreshed once."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from sqlalchemy import text

from bot.app import create_app
from bot.runtime import Runtime
from bot.services import Services
from bot.tokens import NotInstalled, client_for
from sandbox.oauth import SlackOAuth
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Channel, Workspace
from store.db import make_engine, make_session_factory
from tests.conftest import ENCRYPTION_KEY
from tests.oauth.conftest import Installer, acme, globex, home_opened, send_event

SHORT_LIVED = 600  # seconds: inside the refresh margin, so the next use refreshes


async def test_client_for_acts_with_that_workspaces_own_token(installer: Installer, bot: Runtime, workspace: Workspace):
    await installer.install(acme())
    await installer.install(globex())

    acme_client = await client_for(bot.services, bot.app, team_id="T0ACME")
    globex_client = await client_for(bot.services, bot.app, team_id="T0GLOBEX")
    await acme_client.chat_postMessage(channel="U0MENTOR", text="hello from Acme")
    await globex_client.chat_postMessage(channel="U0MENTEE", text="hello from Globex")

    posts = {call.args["channel"]: call.token for call in workspace.calls_to("chat.postMessage")}
    assert posts["U0MENTOR"].startswith("xoxb-T0ACME-")
    assert posts["U0MENTEE"].startswith("xoxb-T0GLOBEX-")


async def test_client_for_a_workspace_without_an_installation_raises_not_installed(installer: Installer, bot: Runtime):
    await installer.install(acme())

    with pytest.raises(NotInstalled):
        await client_for(bot.services, bot.app, team_id="T0GLOBEX")


async def test_single_workspace_mode_uses_the_apps_own_client(bot: Runtime):
    single = dataclasses.replace(bot.settings, client_id=None, client_secret=None, bot_token="xoxb-sandbox-token")
    services = dataclasses.replace(bot.services, settings=single)
    app = create_app(services)

    assert await client_for(services, app, team_id="T0FLIPSIDE") is app.client


async def test_an_expiring_token_is_refreshed_and_the_new_one_stored_encrypted(installer: Installer, bot: Runtime, oauth: SlackOAuth):
    oauth.rotation, oauth.expires_in = True, SHORT_LIVED
    await installer.install(acme())
    first = await bot.app.installation_store.async_find_installation(enterprise_id=None, team_id="T0ACME")
    oauth.expires_in = 43_200

    client = await client_for(bot.services, bot.app, team_id="T0ACME")

    assert oauth.refreshes == 1
    assert client.token != first.bot_token
    stored = await bot.app.installation_store.async_find_installation(enterprise_id=None, team_id="T0ACME")
    assert stored.bot_token == client.token
    assert stored.bot_refresh_token != first.bot_refresh_token
    async with bot.engine.connect() as connection:
        raw = (await connection.execute(text("SELECT bot_token FROM slack_installations"))).scalar_one()
    assert raw.startswith("fernet:") and "xox" not in raw


async def test_a_token_far_from_expiry_is_not_refreshed(installer: Installer, bot: Runtime, oauth: SlackOAuth):
    oauth.rotation = True  # 12 hours, well outside the two-hour margin
    await installer.install(acme())

    await client_for(bot.services, bot.app, team_id="T0ACME")

    assert oauth.refreshes == 0


async def test_two_racing_refreshes_in_one_process_refresh_once(installer: Installer, bot: Runtime, oauth: SlackOAuth):
    oauth.rotation, oauth.expires_in = True, SHORT_LIVED
    await installer.install(acme())
    oauth.expires_in = 43_200

    clients = await asyncio.gather(*(client_for(bot.services, bot.app, team_id="T0ACME") for _ in range(2)))

    assert oauth.refreshes == 1
    assert clients[0].token == clients[1].token


async def test_two_replicas_racing_to_refresh_refresh_once(installer: Installer, bot: Runtime, oauth: SlackOAuth, database_url: str):
    """A second app on its own engine, as another replica on the same database would be."""
    oauth.rotation, oauth.expires_in = True, SHORT_LIVED
    await installer.install(acme())
    oauth.expires_in = 43_200
    engine = make_engine(database_url, encryption_keys=ENCRYPTION_KEY)
    try:
        replica = Services(settings=bot.settings, clock=bot.clock, sessions=make_session_factory(engine))
        replica_app = create_app(replica)

        clients = await asyncio.gather(
            client_for(bot.services, bot.app, team_id="T0ACME"), client_for(replica, replica_app, team_id="T0ACME")
        )
    finally:
        await engine.dispose()

    assert oauth.refreshes == 1
    assert clients[0].token == clients[1].token


async def test_a_request_refreshes_an_expiring_token_before_using_it(
    installer: Installer, bot: Runtime, oauth: SlackOAuth, slack: SlackRequests, workspace: Workspace
):
    oauth.rotation, oauth.expires_in = True, SHORT_LIVED
    await installer.install(acme())
    oauth.expires_in = 43_200

    await send_event(slack, acme(), home_opened("U0MENTOR"))
    publishes = await workspace.wait_for_calls("views.publish", 1)

    assert oauth.refreshes == 1
    stored = await bot.app.installation_store.async_find_installation(enterprise_id=None, team_id="T0ACME")
    assert [call.token for call in publishes] == [stored.bot_token]


async def _enqueue_nudge(bot: Runtime, *, team_id: str, recipient: str, key: str) -> None:
    from store import outbox

    async with bot.services.sessions.begin() as session:
        await outbox.enqueue(
            session, team_id=team_id, key=key, kind="final_report", recipient_id=recipient,
            message={"text": f"for {team_id}"}, due_at=bot.clock.now(), now=bot.clock.now(),
        )


async def test_the_sweep_delivers_each_workspaces_nudges_with_its_own_token(installer: Installer, bot: Runtime, workspace: Workspace):
    await installer.install(acme())
    await installer.install(globex())
    for channel_id in ("C0ACMEPEERS", "C0GLOBEXPEERS"):  # one stand-in serves both workspaces
        workspace.add_channel(Channel(id=channel_id, name=channel_id.lower()))
    await _enqueue_nudge(bot, team_id="T0ACME", recipient="C0ACMEPEERS", key="test:acme")
    await _enqueue_nudge(bot, team_id="T0GLOBEX", recipient="C0GLOBEXPEERS", key="test:globex")
    await _enqueue_nudge(bot, team_id="T0NEVERINSTALLED", recipient="C0NOBODY", key="test:nobody")

    report = await bot.sweep_now()

    posts = {call.args["channel"]: call.token for call in workspace.calls_to("chat.postMessage")}
    assert posts["C0ACMEPEERS"].startswith("xoxb-T0ACME-")
    assert posts["C0GLOBEXPEERS"].startswith("xoxb-T0GLOBEX-")
    assert "C0NOBODY" not in posts
    assert report.counts["outbox_dead"] == 1  # no installation: marked dead, never retried for ever
