"""What went wrong with a Web API call, as one short code, whatever shape the failure took.

Slack answers `{"ok": false, "error": "..."}`, but its edge and the network do not always: an HTML
502 page, an empty 503, a 200 whose body is not JSON, a JSON body with no `error`, a dropped
connection, a timeout. Code that reads `error.response["error"]` trips over those (the response may
be a string, None, or aiohttp's own response object); `error_code` never does.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

# Failures of a Web API call that a caller handles (retry, tell the person) rather than a bug of ours.
SLACK_FAILURES: tuple[type[BaseException], ...] = (SlackApiError, aiohttp.ClientError, TimeoutError)


def error_code(error: BaseException) -> str:
    """Slack's own error code; else `http_<status>` for an HTTP failure with no readable code;
    `invalid_response` for a 200 whose body is not Slack's answer; `timeout`, `connection_error`."""
    if isinstance(error, SlackApiError):
        response = error.response
        data = getattr(response, "data", None)
        if isinstance(data, dict) and isinstance(data.get("error"), str) and data["error"]:
            return data["error"]
        # slack_sdk's response has status_code; for a body it could not parse it passes aiohttp's (status).
        status = getattr(response, "status_code", None)
        if not isinstance(status, int):
            status = getattr(response, "status", None)
        if isinstance(status, int) and status >= 300:
            return f"http_{status}"
        return "invalid_response"
    if isinstance(error, TimeoutError):  # asyncio's, and aiohttp's ServerTimeoutError
        return "timeout"
    if isinstance(error, aiohttp.ClientError | ConnectionError):
        return "connection_error"
    return type(error).__name__


class SlackClient(AsyncWebClient):
    """The Web API client whose failures are always SlackApiError: a body that is not a JSON object
    (plain text, a bare string or list) is read as an empty answer, which slack_sdk then refuses with
    SlackApiError instead of raising AttributeError from inside its own check."""

    async def _request(self, *, http_verb: str, api_url: str, req_args: dict[str, Any]) -> dict[str, Any]:
        response = await super()._request(http_verb=http_verb, api_url=api_url, req_args=req_args)
        if not isinstance(response.get("data"), dict | bytes):  # bytes: admin.analytics.getFile's gzip
            response["data"] = {}
        return response


def as_slack_client(client: AsyncWebClient) -> SlackClient:
    """Bolt makes each request's client a plain AsyncWebClient; the same client as a SlackClient."""
    if isinstance(client, SlackClient):
        return client
    return SlackClient(
        token=client.token, base_url=client.base_url, timeout=client.timeout, ssl=client.ssl, proxy=client.proxy,
        session=client.session, trust_env_in_session=client.trust_env_in_session, headers=client.headers,
        team_id=client.default_params.get("team_id"), logger=client.logger, retry_handlers=client.retry_handlers,
    )
