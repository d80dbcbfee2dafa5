"""One pool of HTTP connections per process, for Slack's Web API and for response_url posts.

Unless handed a session, slack_sdk's clients and Bolt's `respond` open a new aiohttp session (so a new
TCP connection, and a TLS handshake with real Slack) for every single call: under load that was a tenth
of the bot's CPU per command. Created on first use, inside the running event loop; closed at stop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk.webhook import WebhookResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

# slack_sdk's own per-call limit: a session handed to its clients replaces their timeout with its own.
CALL_TIMEOUT_SECONDS = 30.0


class SharedHttp:
    def __init__(self, *, timeout_seconds: float = CALL_TIMEOUT_SECONDS) -> None:
        self._session: aiohttp.ClientSession | None = None
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class PooledRespond(AsyncRespond):
    """Bolt's `respond`, sending over the shared connections."""

    def __init__(self, *, response_url: str, http: SharedHttp, amend: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]] | None = None) -> None:
        super().__init__(response_url=response_url)
        self.http = http
        self.amend = amend  # a last change to every reply (handlers/programmes.py names the programme)

    async def __call__(self, text: str | dict = "", **fields: Any) -> WebhookResponse:  # type: ignore[override]
        message = _build_message(**text) if isinstance(text, dict) else _build_message(text=text, **fields)
        if self.amend is not None:
            message = await self.amend(message)
        return await AsyncWebhookClient(url=self.response_url or "", session=self.http.session).send_dict(message)
