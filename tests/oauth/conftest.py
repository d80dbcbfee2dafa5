"""The bot in OAuth mode (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, no bot token), and Slack's side of the install.

`slack_api` and `settings` override the suite's fixtures for the tests in this folder, so `bot` and
`slack` are the real app in OAuth mode against a Web API stand-in that also plays `oauth.v2.access`.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from itertools import count
from urllib.parse import parse_qs, urlparse

import aiohttp
import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.runtime import Runtime
from sandbox.oauth import Grant, SlackOAuth
from sandbox.processes import serve
from sandbox.slack_api import build_slack_api
from sandbox.slack_requests import BotResponse, SlackRequests
from sandbox.workspace import Workspace
from tests.conftest import ENCRYPTION_KEY, SIGNING_SECRET


def acme() -> Grant:
    return Grant(team_id="T0ACME", team_name="Acme")


def globex() -> Grant:
    return Grant(team_id="T0GLOBEX", team_name="Globex", bot_user_id="U0GLOBEXBOT")


def initech_org() -> Grant:
    """An Enterprise Grid org-wide install: no one workspace, every workspace of the org."""
    return Grant(team_id=None, enterprise_id="E0INITECH", enterprise_name="Initech", is_enterprise_install=True)


@pytest.fixture
def oauth() -> SlackOAuth:
    return SlackOAuth()


@pytest.fixture
async def slack_api(workspace: Workspace, oauth: SlackOAuth) -> AsyncIterator[str]:
    runner, port = await serve(build_slack_api(workspace, oauth))
    workspace.api_base_url = f"http://127.0.0.1:{port}/api/"
    yield workspace.api_base_url
    await runner.cleanup()


@pytest.fixture
def settings(slack_api: str, database_url: str, oauth: SlackOAuth) -> Settings:
    return Settings(
        mode="http",
        signing_secret=SIGNING_SECRET,
        slack_api_url=slack_api,
        database_url=database_url,
        port=0,
        encryption_key=ENCRYPTION_KEY,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
    )


@dataclass
class InstallPage:
    status: int
    authorize_url: str
    state: str
    cookie: str


@dataclass
class Installer:
    """A person's browser going through the install: /slack/install, Slack's page, the redirect."""

    bot: Runtime
    oauth: SlackOAuth

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.bot.port}"

    async def open_install_page(self) -> InstallPage:
        async with aiohttp.ClientSession() as http, http.get(f"{self.base_url}/slack/install", allow_redirects=False) as response:
            body = await response.text()
            cookie = SimpleCookie(response.headers.get("Set-Cookie", ""))
        match = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', body)
        authorize_url = match.group(1).replace("&amp;", "&") if match else ""
        state = parse_qs(urlparse(authorize_url).query).get("state", [""])[0]
        morsel = cookie.get("slack-app-oauth-state")
        return InstallPage(response.status, authorize_url, state, morsel.value if morsel else "")

    async def redirect(self, *, code: str, state: str, cookie: str) -> tuple[int, str]:
        """Slack sends the browser back with `code` and `state`; the browser brings its state cookie."""
        headers = {"Cookie": f"slack-app-oauth-state={cookie}"} if cookie else {}
        async with aiohttp.ClientSession() as http, http.get(
            f"{self.base_url}/slack/oauth_redirect", params={"code": code, "state": state}, headers=headers, allow_redirects=False
        ) as response:
            return response.status, await response.text()

    async def install(self, grant: Grant) -> tuple[int, str]:
        page = await self.open_install_page()
        return await self.redirect(code=self.oauth.approve(grant), state=page.state, cookie=page.cookie)


@pytest.fixture
def installer(bot: Runtime, oauth: SlackOAuth) -> Installer:
    return Installer(bot=bot, oauth=oauth)


_event_ids = count(1)


async def send_event(slack: SlackRequests, grant: Grant, event: dict, *, team_id: str | None = None) -> BotResponse:
    """An Events API envelope from the workspace of `grant` (or, for an org install, from `team_id` in it)."""
    team = team_id or grant.team_id
    body = {
        "token": "legacy-verification-token-unused",
        "team_id": team,
        "enterprise_id": grant.enterprise_id,
        "api_app_id": "A0FLIPSIDE",
        "event": event,
        "type": "event_callback",
        "event_id": f"EvOAUTH{next(_event_ids):06d}",
        "event_time": int(time.time()),
        "is_enterprise_install": grant.is_enterprise_install,
        "authorizations": [
            {
                "enterprise_id": grant.enterprise_id,
                "team_id": None if grant.is_enterprise_install else team,
                "user_id": grant.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": grant.is_enterprise_install,
            }
        ],
    }
    return await slack.post(json.dumps(body), "application/json")


def home_opened(user_id: str) -> dict:
    return {"type": "app_home_opened", "user": user_id, "channel": "D" + user_id[1:], "tab": "home", "event_ts": "1.000001"}


async def once_stored(check: Callable[[], Awaitable[bool]], within: float = 5.0) -> bool:
    """Events are handled after their ack: wait until `check` holds, checking again after each commit
    of a session (the app's units of work)."""
    committed = asyncio.Event()

    def on_commit(_session: object) -> None:
        committed.set()

    event.listen(Session, "after_commit", on_commit)
    try:
        async with asyncio.timeout(within):
            while True:
                committed.clear()
                if await check():
                    return True
                await committed.wait()
    except TimeoutError:
        return False
    finally:
        event.remove(Session, "after_commit", on_commit)
