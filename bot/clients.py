"""Which Web API client acts in a workspace: a provider, so work outside a request can reach each one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

ClientProvider = Callable[[str], Awaitable[AsyncWebClient]]


class NotInstalled(LookupError):
    """No usable bot token for the workspace: never installed, or uninstalled since."""


def fixed_client(client: AsyncWebClient) -> ClientProvider:
    """A provider that always gives this client (one workspace, or a handler's own request client)."""

    async def provide(_team_id: str) -> AsyncWebClient:
        return client

    return provide
