"""Rows in doubt: a post whose outcome is unknown (its claim ran out unsettled, or Slack gave no clear
answer) is looked for in the recipient's DM, by the outbox key its message metadata carries, before it
is posted again, so a restart or a 5xx does not send it twice."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.clients import NotInstalled
from bot.rules.nudges import is_session_bound
from bot.slack_errors import error_code
from bot.sweep.delivery_context import DeliveryReport, PassContext
from bot.sweep.delivery_retries import MAX_ATTEMPTS, backoff
from domain.statuses import OutboxStatus
from store import outbox
from store.models import Outbox

logger = logging.getLogger(__name__)

OUTBOX_EVENT = "flipside_outbox"  # the metadata event_type of every outbox post
HISTORY_PAGE = 200  # messages per conversations.history call when checking a row in doubt
HISTORY_SKEW = timedelta(minutes=5)  # Slack's clock against ours, when reading history since a row was created
# conversations.history errors that no retry will cure: a post in doubt is then sent again.
HISTORY_UNREADABLE = frozenset(
    {"missing_scope", "not_in_channel", "channel_not_found", "user_not_found", "user_disabled", "account_inactive", "not_allowed_token_type"}
)


def outbox_metadata(row: Outbox) -> dict[str, Any]:
    """The message metadata every outbox post carries: its key, by which a post whose claim ran out
    unsettled is found in the conversation before it is sent again (and its kind, for reading)."""
    return {"event_type": OUTBOX_EVENT, "event_payload": {"key": row.key, "kind": row.kind}}


def _carries(message: dict[str, Any], key: str) -> bool:
    metadata = message.get("metadata") or {}
    return metadata.get("event_type") == OUTBOX_EVENT and (metadata.get("event_payload") or {}).get("key") == key


async def _posted_before(client: AsyncWebClient, row: Outbox) -> tuple[str, str] | None:
    """Where this row's message already is (channel, ts), read from the conversation's history since the
    row was created (less Slack's clock skew: no post of it can be older); None when it is not there."""
    channel = (await client.conversations_open(users=row.recipient_id))["channel"]["id"]  # the bot's DM with them
    oldest = f"{(row.created_at - HISTORY_SKEW).timestamp():.6f}"
    cursor = None
    while True:
        page = await client.conversations_history(
            channel=channel, oldest=oldest, limit=HISTORY_PAGE, include_all_metadata=True, cursor=cursor
        )
        for message in page.get("messages") or []:
            if _carries(message, row.key):
                return channel, str(message["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return None


async def settled_from_history(context: PassContext, row: Outbox, *, report: DeliveryReport) -> bool:
    """For a row in doubt (an earlier claim ran out unsettled): settle it as sent when its message is
    already in the conversation, and True; False when it is not there, so it is posted as usual.

    When the history cannot be read for a while (429s past the client's retries, 5xx, the network),
    the row waits and tries again: a lost nudge is worse than a late one, and the check will likely
    work next time. When it can never be read (a missing scope, a conversation the bot cannot see) or
    the row has no attempts left, it is posted: a nudge twice is better than none."""
    if row.recipient_id.startswith(("C", "G")):
        # A channel's history needs channels:history or groups:history, which the bot does not ask
        # for (the least scopes): a channel post in doubt is posted again.
        return False
    try:
        client = await context.client(row.team_id)
        found = await _posted_before(client, row)
    except NotInstalled:
        return False  # the post will fail the same way, and say so
    except Exception as error:  # a Slack error, or the network: which one decides below
        code = error_code(error)
        if code in HISTORY_UNREADABLE or row.attempts + 1 >= MAX_ATTEMPTS:
            logger.warning("outbox %s: could not check whether it was already sent (%s); sending", row.key, code)
            return False
        await context.settle(
            row, OutboxStatus.PENDING, error=f"{outbox.IN_DOUBT}history check failed: {code}",
            due_at=context.now + backoff(row.attempts + 1), count_attempt=True,
        )
        report.retried += 1
        return True
    if found is None:
        return False
    channel, ts = found
    logger.info("outbox %s: already in the conversation (%s); settled without posting again", row.key, ts)
    await context.settle(row, OutboxStatus.SENT, sent_channel=channel, sent_ts=ts)
    if not is_session_bound(row.kind):
        (await context.recent_nudges(row.team_id, row.recipient_id)).append(context.now)
    report.sent += 1
    return True

