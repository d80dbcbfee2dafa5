"""The OAuth 2 token endpoint calls both providers answer alike (RFC 6749 section 5), over aiohttp, and
the mapping of an HTTP answer to our errors. Nothing here logs a token or a body."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp

from bot.calendars.provider import CalendarError, GrantRevoked, RateLimited, TokenInvalid, Tokens, Unavailable

DEFAULT_RETRY_AFTER_SECONDS = 60.0


def retry_after(header: str | None, now: datetime | None = None) -> float:
    """Retry-After as seconds, from delta-seconds or an HTTP date (RFC 9110 section 10.2.3)."""
    if not header:
        return DEFAULT_RETRY_AFTER_SECONDS
    try:
        return max(float(header), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER_SECONDS
    return max((when - now).total_seconds(), 0.0) if now is not None else DEFAULT_RETRY_AFTER_SECONDS


def error_for(status: int, *, retry_after_header: str | None, code: str, prefix: str) -> CalendarError:
    if status == 429:
        return RateLimited(f"{prefix}_429", retry_after(retry_after_header))
    if status == 401:
        return TokenInvalid(f"{prefix}_401")
    if status >= 500:
        return Unavailable(f"{prefix}_{status}")
    return CalendarError(f"{prefix}_{status}_{code}"[:80])


async def call_json(
    http: aiohttp.ClientSession, method: str, url: str, *, prefix: str, **kwargs: Any
) -> tuple[int, dict[str, Any]]:
    """One HTTP call; its status and JSON body (empty when none). A 429, 401 or 5xx, a timeout or a
    dropped connection raise our error; other 4xx come back for the caller to read."""
    try:
        async with http.request(method, url, **kwargs) as response:
            try:
                body = await response.json(content_type=None) if response.status != 204 else {}
            except ValueError:
                body = {}
            if response.status in (401, 429) or response.status >= 500:
                raise error_for(response.status, retry_after_header=response.headers.get("Retry-After"), code="", prefix=prefix)
            return response.status, body if isinstance(body, dict) else {}
    except (TimeoutError, aiohttp.ClientError) as error:
        raise Unavailable(f"{prefix}_{type(error).__name__}") from error


async def token_request(http: aiohttp.ClientSession, url: str, form: dict[str, str], *, prefix: str, now: datetime) -> Tokens:
    """The token endpoint: an authorization_code or refresh_token grant. invalid_grant is GrantRevoked."""
    status, body = await call_json(http, "POST", url, data=form, prefix=prefix)
    if status != 200 or "access_token" not in body:
        error = str(body.get("error", "no_token"))
        if error == "invalid_grant":
            raise GrantRevoked(f"{prefix}_invalid_grant")
        raise CalendarError(f"{prefix}_token_{error}"[:80])
    return Tokens(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token", "")),
        expires_at=now + timedelta(seconds=int(body.get("expires_in", 3600))),
    )
