"""The Web API stand-in's `conversations.*` methods: opening a DM, reading its history, and a channel's info."""

from __future__ import annotations

from typing import Any

from sandbox.slack_api_arguments import Method, flag_arg, required_arg, timestamp_arg
from sandbox.workspace import SlackApiError, Workspace


def conversations_open(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    users = str(required_arg(args, "users")).split(",")
    if len(users) != 1:
        raise SlackApiError("not_implemented")  # the bot only opens 1:1 DMs
    member = workspace.member(users[0].strip())
    if member.deleted:
        raise SlackApiError("user_disabled")
    return {"channel": {"id": workspace.dm_channel(member.id), "is_im": True, "user": member.id}}


def conversations_info(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """A channel the bot can see, in Slack's shape; channel_not_found for one it cannot (gone, or private
    without it)."""
    return {"channel": workspace.channel(required_arg(args, "channel")).as_slack(workspace.now())}


def conversations_history(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """A conversation's messages, newest first, between `oldest` and `latest` (exclusive unless
    `inclusive`), `limit` a page (default 100, at most 999) with a cursor for the next; metadata
    only with `include_all_metadata`."""
    channel = required_arg(args, "channel")
    if workspace.user_for_dm(channel) is None:
        workspace.channel(channel)  # channel_not_found for one the bot cannot see
    oldest, latest = timestamp_arg(args, "oldest"), timestamp_arg(args, "latest")
    inclusive = flag_arg(args, "inclusive")

    def within(ts: float) -> bool:
        after = oldest is None or ts > oldest or (inclusive and ts == oldest)
        before = latest is None or ts < latest or (inclusive and ts == latest)
        return after and before

    messages = [message for message in workspace.history(channel) if within(float(message.ts))]
    try:
        limit = min(max(int(args.get("limit") or 100), 1), 999)
        start = int(args.get("cursor") or 0)
    except ValueError as error:
        raise SlackApiError("invalid_cursor") from error
    page = messages[start : start + limit]
    more = start + limit < len(messages)
    with_metadata = flag_arg(args, "include_all_metadata")
    return {
        "messages": [message.as_slack(with_metadata=with_metadata) for message in page],
        "has_more": more,
        "pin_count": 0,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


METHODS: dict[str, Method] = {
    "conversations.open": conversations_open,
    "conversations.history": conversations_history,
    "conversations.info": conversations_info,
}
