"""OAuth mode: Slack's install flow for many workspaces, served by Bolt at /slack/install and /slack/oauth_redirect.

The installation and state stores are slack_sdk's SQLAlchemy ones in the app's own database (see
store/installations.py, where tokens are encrypted); authorization per request is
`bot.tokens.InstallationAuthorize`, which shares the serialized token refresh with the sweep.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse

from bot.services import Services
from bot.tokens import REFRESH_MINUTES_BEFORE_EXPIRY, InstallationAuthorize
from store import workspaces
from store.installations import InstallationStore, OAuthStateStore

logger = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_EXPIRY_SECONDS = 600  # how long a person has between opening /slack/install and approving


def oauth_options(services: Services) -> dict[str, Any]:
    """The AsyncApp arguments for OAuth mode."""
    settings = services.settings
    engine = services.sessions.kw["bind"]
    store = InstallationStore(client_id=settings.client_id or "", engine=engine)

    async def on_success(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        async with services.sessions.begin() as session:
            await workspaces.record_install(
                session,
                team_id=None if installation.is_enterprise_install else installation.team_id,
                enterprise_id=installation.enterprise_id,
                name=installation.team_name or installation.enterprise_name or "",
                now=services.clock.now(),
            )
        logger.info(
            "installed",
            extra={"team_id": installation.team_id, "enterprise_id": installation.enterprise_id, "org_wide": installation.is_enterprise_install},
        )
        return await args.default.success(args)

    async def on_failure(args: AsyncFailureArgs) -> BoltResponse:
        logger.warning("install failed: %s", args.reason)
        return await args.default.failure(args)

    oauth_settings = AsyncOAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(settings.scopes),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=store,
        state_store=OAuthStateStore(engine, expiration_seconds=STATE_EXPIRY_SECONDS),
        state_expiration_seconds=STATE_EXPIRY_SECONDS,
        token_rotation_expiration_minutes=REFRESH_MINUTES_BEFORE_EXPIRY,
        callback_options=AsyncCallbackOptions(success=on_success, failure=on_failure),
        logger=logging.getLogger("flipside.bolt.oauth"),
    )
    return {"oauth_settings": oauth_settings, "authorize": InstallationAuthorize(services, store)}
