"""How the Web API stand-in reads a method's arguments, and refuses them as Slack does."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sandbox.workspace import SlackApiError, Workspace

Method = Callable[[Workspace, dict[str, Any]], dict[str, Any]]


def json_arg(args: dict[str, Any], name: str) -> Any:
    value = args.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise SlackApiError(f"invalid_{name}") from error
    return value


def required_arg(args: dict[str, Any], name: str) -> Any:
    if not args.get(name):
        raise SlackApiError(f"missing_{name}" if name != "channel" else "channel_not_found")
    return args[name]


def channel_arg(workspace: Workspace, args: dict[str, Any]) -> str:
    """Slack lets a bot post to a user id (its DM with them) or to a DM channel id."""
    channel = required_arg(args, "channel")
    if channel in workspace.members:
        member = workspace.member(channel)
        if member.deleted:
            raise SlackApiError("account_inactive")
        return workspace.dm_channel(channel)
    if workspace.user_for_dm(channel) is not None:
        return channel
    found = workspace.channel(channel)  # channel_not_found for one that is gone or hidden from the bot
    if found.is_archived:
        raise SlackApiError("is_archived")
    if not found.bot_is_member:
        raise SlackApiError("not_in_channel")
    return channel


def flag_arg(args: dict[str, Any], name: str) -> bool:
    """A boolean argument as Slack reads it from a form or JSON body: true, "true" or "1"."""
    return str(args.get(name, "")).lower() in ("true", "1")


def timestamp_arg(args: dict[str, Any], name: str) -> float | None:
    value = args.get(name)
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise SlackApiError("invalid_ts_" + name) from error
