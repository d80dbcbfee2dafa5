"""The Web API stand-in's `chat.*` methods: messages posted, ephemeral and updated, blocks and metadata checked."""

from __future__ import annotations

import logging
import re
from typing import Any

from sandbox.block_checks import block_problems
from sandbox.slack_api_arguments import Method, channel_arg, json_arg, required_arg
from sandbox.workspace import Message, SlackApiError, Workspace

logger = logging.getLogger(__name__)

EVENT_TYPE = re.compile(r"[A-Za-z0-9_]{1,255}")  # Slack: a short alphanumeric name, words joined by underscores


def _blocks(args: dict[str, Any]) -> list[dict[str, Any]]:
    """The message's blocks, refused as Slack refuses them (`invalid_blocks`, the reasons logged)."""
    blocks = json_arg(args, "blocks") or []
    problems = block_problems(blocks, view=False)
    if problems:
        logger.warning("invalid_blocks: %s", "; ".join(problems))
        raise SlackApiError("invalid_blocks")
    return blocks


def _metadata(args: dict[str, Any]) -> dict[str, Any] | None:
    """A message's metadata, refused as Slack refuses it: an event_type and an object event_payload."""
    metadata = json_arg(args, "metadata")
    if metadata is None:
        return None
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not EVENT_TYPE.fullmatch(metadata["event_type"])
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise SlackApiError("invalid_metadata_format")
    return {"event_type": metadata["event_type"], "event_payload": metadata["event_payload"]}


def chat_post_message(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = channel_arg(workspace, args)
    blocks = _blocks(args)
    if not args.get("text") and not blocks:
        raise SlackApiError("no_text")
    message = Message(
        channel=channel, ts=workspace.next_ts(), user=workspace.bot_user_id, text=args.get("text", ""), blocks=blocks,
        metadata=_metadata(args),
    )
    workspace.messages.append(message)
    workspace.notify("message", {"channel": channel, "ts": message.ts})
    return {"channel": channel, "ts": message.ts, "message": message.as_slack()}


def chat_post_ephemeral(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = channel_arg(workspace, args)
    user = workspace.member(required_arg(args, "user")).id
    message = Message(
        channel=channel,
        ts=workspace.next_ts(),
        user=workspace.bot_user_id,
        text=args.get("text", ""),
        blocks=_blocks(args),
        ephemeral_to=user,
    )
    workspace.messages.append(message)
    workspace.notify("message", {"channel": channel, "ts": message.ts})
    return {"message_ts": message.ts}


def chat_update(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = channel_arg(workspace, args)
    ts = required_arg(args, "ts")
    blocks = _blocks(args)
    for message in workspace.messages:
        if message.channel == channel and message.ts == ts and message.ephemeral_to is None:
            if "text" in args:
                message.text = args["text"]
            if "blocks" in args:
                message.blocks = blocks
            message.edited = True
            workspace.notify("message", {"channel": channel, "ts": ts})
            return {"channel": channel, "ts": ts, "text": message.text, "message": message.as_slack()}
    raise SlackApiError("message_not_found")


METHODS: dict[str, Method] = {
    "chat.postMessage": chat_post_message,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.update": chat_update,
}
