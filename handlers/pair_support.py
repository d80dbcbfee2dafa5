"""What the pair handlers (charter, goals, topics, sessions) share: replying to a click, and reading ids safely.

Not a capability of its own, so it has no `register` and is not in `handlers.MODULES`.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_errors import SLACK_FAILURES

logger = logging.getLogger(__name__)


def number(text: str | None) -> int | None:
    """An id from a button value or private_metadata; None when it is not a number (a forged payload)."""
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


async def dm(client: AsyncWebClient, user_id: str, message: dict[str, Any]) -> bool:
    """Tell someone by DM after a change is saved. A failure (a deactivated partner, say) is logged
    and does not undo the change or stop the rest of the replies."""
    try:
        # Posting to a user id lands in their DM with the app.
        await client.chat_postMessage(channel=user_id, **message)
    except SLACK_FAILURES:
        logger.exception("could not send a DM to %s", user_id)
        return False
    return True


async def tell(client: AsyncWebClient, body: dict, message: dict[str, Any]) -> None:
    """Answer the person who clicked, only to them: in the conversation they clicked in, else by DM."""
    user_id = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    if channel:
        await client.chat_postEphemeral(channel=channel, user=user_id, **message)
    else:
        await dm(client, user_id, message)


async def replace_clicked_message(client: AsyncWebClient, body: dict, respond: AsyncRespond, message: dict[str, Any]) -> None:
    """Replace the message whose button was clicked (an ephemeral one through its response_url);
    from Home or a modal there is no message, so tell the person instead."""
    container = body.get("container") or {}
    if container.get("type") != "message":
        await tell(client, body, message)
    elif container.get("is_ephemeral"):
        await respond(replace_original=True, **message)
    else:
        await client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **message)
