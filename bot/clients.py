"""Web API clients: the one client every part builds (retries as Slack asks), and a provider of the
client that acts in a workspace, so work outside a request can reach each one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from bot.slack_errors import SlackClient

ClientProvider = Callable[[str], Awaitable[AsyncWebClient]]


class NotInstalled(LookupError):
    """No usable bot token for the workspace: never installed, or uninstalled since."""


def fixed_client(client: AsyncWebClient) -> ClientProvider:
    """A provider that always gives this client (one workspace, or a handler's own request client)."""

    async def provide(_team_id: str) -> AsyncWebClient:
        return client

    return provide


def create_client(services: Services, token: str | None = None) -> AsyncWebClient:
    """A Web API client for `SLACK_API_URL` that waits out 429s and retries server errors, as Slack asks.

    `token` is a workspace's own bot token in OAuth mode (bot.tokens.client_for); else SLACK_BOT_TOKEN.
    """
    settings = services.settings
    return SlackClient(
        token=token or settings.bot_token,
        base_url=settings.slack_api_url,
        session=services.http.session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )
