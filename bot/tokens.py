"""The bot token for a workspace: the app's one token, or (OAuth) that workspace's own, refreshed when due.

Bolt refreshes a rotating token only while it handles a request from that workspace; the sweep
posts nudges with no request in sight, so it asks `client_for` here, which refreshes too. Both go
through `InstallationStore.refresh_serialized`, so replicas never spend one refresh token twice.

Token expiry is Slack's wall-clock time (slack_sdk and Bolt compute `expires_at` with time.time()),
not the injected clock of the domain rules.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.clients import ClientProvider, NotInstalled, create_client
from bot.services import Services
from store import workspaces
from store.installations import InstallationStore

logger = logging.getLogger(__name__)

# Refresh a rotating token this long before it expires (Bolt's default); Slack's live 12 hours.
REFRESH_MINUTES_BEFORE_EXPIRY = 120


def clients_of(services: Services, app: AsyncApp) -> ClientProvider:
    """A provider of each workspace's client, for work that runs outside a Slack request (the sweep)."""

    async def provide(team_id: str) -> AsyncWebClient:
        return await client_for(services, app, team_id=team_id)

    return provide


async def client_for(
    services: Services, app: AsyncApp, *, team_id: str, enterprise_id: str | None = None
) -> AsyncWebClient:
    """A Web API client that acts in this workspace; raises NotInstalled when there is no token for it."""
    if not services.settings.oauth:
        return app.client
    store = app.installation_store
    if not isinstance(store, InstallationStore):
        raise TypeError("OAuth mode expects the app's installation store to be store.installations.InstallationStore")
    if enterprise_id is None:
        async with services.sessions() as session:
            enterprise_id = await workspaces.enterprise_of(session, team_id=team_id)
    installation = await current_installation(services, store, enterprise_id=enterprise_id, team_id=team_id)
    if installation is None or installation.bot_token is None:
        raise NotInstalled(f"no bot token for team {team_id}")
    return create_client(services, token=installation.bot_token)


async def current_installation(
    services: Services,
    store: InstallationStore,
    *,
    enterprise_id: str | None,
    team_id: str | None,
    is_enterprise_install: bool = False,
) -> Installation | None:
    """The workspace's installation, or its org's (Enterprise Grid), with a bot token good for a while yet."""
    installation = await store.async_find_installation(
        enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
    )
    if installation is None and enterprise_id is not None and not is_enterprise_install:
        # An org-wide install serves every workspace of the org.
        installation = await store.async_find_installation(
            enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
        )
    if installation is None or not _expiring(installation):
        return installation
    rotator = AsyncTokenRotator(
        client_id=services.settings.client_id or "",
        client_secret=services.settings.client_secret or "",
        client=create_client(services),
    )

    async def refresh(current: Installation) -> Installation | None:
        bot = await rotator.perform_bot_token_rotation(
            bot=current.to_bot(), minutes_before_expiration=REFRESH_MINUTES_BEFORE_EXPIRY
        )
        if bot is None:
            return None  # another replica refreshed it while this one waited
        current.bot_token, current.bot_refresh_token = bot.bot_token, bot.bot_refresh_token
        current.bot_token_expires_at = bot.bot_token_expires_at
        logger.info("bot token refreshed", extra={"team_id": current.team_id, "enterprise_id": current.enterprise_id})
        return current

    return await store.refresh_serialized(
        enterprise_id=installation.enterprise_id,
        team_id=None if installation.is_enterprise_install else installation.team_id,
        refresh=refresh,
    )


def _expiring(installation: Installation) -> bool:
    expires_at = installation.bot_token_expires_at
    return expires_at is not None and expires_at <= time.time() + REFRESH_MINUTES_BEFORE_EXPIRY * 60


class InstallationAuthorize(AsyncAuthorize):
    """Bolt's authorize step in OAuth mode: the request's workspace token, refreshed as `client_for` does.

    Bolt's own `AsyncInstallationStoreAuthorize` refreshes without a lock between replicas; this one
    shares the serialized refresh with the sweep. The app asks for bot scopes only, so no user tokens.
    """

    def __init__(self, services: Services, store: InstallationStore) -> None:
        self.services = services
        self.store = store

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_actor: Any,
    ) -> AuthorizeResult | None:
        is_org = bool(context.is_enterprise_install)
        try:
            installation = await current_installation(
                self.services,
                self.store,
                enterprise_id=enterprise_id,
                team_id=None if is_org else team_id,
                is_enterprise_install=is_org,
            )
        except SlackTokenRotationError:
            logger.exception("could not refresh the bot token", extra={"team_id": team_id, "enterprise_id": enterprise_id})
            return None
        if installation is None or installation.bot_token is None:
            return None
        try:
            auth_test = await context.client.auth_test(token=installation.bot_token)
        except SlackApiError:
            logger.warning("stored bot token refused by auth.test", extra={"team_id": team_id, "enterprise_id": enterprise_id})
            return None
        return AuthorizeResult.from_auth_test_response(
            auth_test_response=auth_test, bot_token=installation.bot_token, bot_scopes=installation.bot_scopes
        )
