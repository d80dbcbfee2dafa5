"""When a failed post is tried again, and how: Slack's errors that never succeed, those that leave the
outcome unknown, the backoff, and a posting client that never repeats a post blindly."""

from __future__ import annotations

import copy
from datetime import timedelta

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

PERMANENT_ERRORS = frozenset(
    {"user_not_found", "account_inactive", "channel_not_found", "not_in_channel", "user_disabled", "is_archived", "invalid_blocks"}
)
MAX_ATTEMPTS = 8
# Slack's own answers that say the call failed on its side, perhaps after it took the message.
UNSURE_ERRORS = frozenset({"internal_error", "fatal_error", "request_timeout", "service_unavailable"})


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after each failed attempt, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=1))


def outcome_unknown(code: str) -> bool:
    """Whether a failed post may still have reached the conversation: no answer, or not Slack's own
    refusal (a timeout, a dropped connection, a 5xx or a body that is not Slack's answer)."""
    return code in UNSURE_ERRORS or code in {"timeout", "connection_error", "invalid_response"} or code.startswith("http_")


def poster(client: AsyncWebClient) -> AsyncWebClient:
    """The same client, retrying only what Slack refused unread (429): a post is not idempotent, so a
    5xx or a dropped connection is left to the outbox, which checks the DM before posting again."""
    posting = copy.copy(client)
    posting.retry_handlers = [handler for handler in client.retry_handlers if isinstance(handler, AsyncRateLimitErrorRetryHandler)]
    return posting
