"""Small helpers for the admin tests: modal state in Slack's shape, and reading what was sent."""

from __future__ import annotations

from typing import Any

from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace


def text_of(body: dict[str, Any]) -> str:
    """Every piece of text in a message or view's blocks, joined."""
    parts = [body.get("text", "")] if isinstance(body.get("text"), str) else []
    for block in body.get("blocks", []):
        if isinstance(block.get("text"), dict):
            parts.append(block["text"].get("text", ""))
        for element in block.get("elements", []) + block.get("fields", []):
            if isinstance(element.get("text"), str):
                parts.append(element["text"])
            elif isinstance(element.get("text"), dict):
                parts.append(element["text"].get("text", ""))
    return "\n".join(parts)


def initial_state(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The `state.values` Slack would send if the person submitted the form as it opened."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind = element["type"]
        state: dict[str, Any] = {"type": kind}
        if kind in ("plain_text_input", "number_input"):
            state["value"] = element.get("initial_value")
        elif kind == "datepicker":
            state["selected_date"] = element.get("initial_date")
        elif kind == "static_select":
            state["selected_option"] = element.get("initial_option")
        elif kind == "multi_static_select":
            state["selected_options"] = element.get("initial_options", [])
        elif kind == "multi_users_select":
            state["selected_users"] = element.get("initial_users", [])
        elif kind == "users_select":
            state["selected_user"] = element.get("initial_user")
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def with_values(view: dict[str, Any], **changes: Any) -> dict[str, dict[str, Any]]:
    """The form's initial state with some fields changed (by block id), in each element's own shape."""
    values = initial_state(view)
    for block_id, value in changes.items():
        (action_id, state), = values[block_id].items()
        kind = state["type"]
        if kind in ("plain_text_input", "number_input"):
            state["value"] = value
        elif kind == "datepicker":
            state["selected_date"] = value
        elif kind == "static_select":
            state["selected_option"] = {"text": {"type": "plain_text", "text": str(value)}, "value": str(value)}
        elif kind == "multi_static_select":
            state["selected_options"] = [{"text": {"type": "plain_text", "text": item}, "value": item} for item in value]
        elif kind == "multi_users_select":
            state["selected_users"] = list(value)
        elif kind == "users_select":
            state["selected_user"] = value
        values[block_id] = {action_id: state}
    return values


async def command_reply(slack: SlackRequests, workspace: Workspace, user_id: str, text: str) -> dict[str, Any]:
    """The ephemeral answer to a command: in the HTTP response, or (for slower work) sent to response_url."""
    reply = await slack.command_reply(user_id, text)
    assert reply is not None, f"no answer to /mentor {text}"
    return reply


async def open_modal(slack: SlackRequests, workspace: Workspace, user_id: str, text: str) -> dict[str, Any]:
    """Type a command that opens a modal; the modal as Slack shows it."""
    before = len(workspace.calls_to("views.open"))
    response = await slack.command(user_id, text)
    assert response.status == 200
    await workspace.wait_for_calls("views.open", before + 1)
    return workspace.modal_stacks[user_id][-1]


def dms_to(workspace: Workspace, user_id: str) -> list[str]:
    """The text of the bot's DMs to someone (not ephemerals), oldest first."""
    channel = workspace.dm_channel(user_id)
    return [
        text_of({"text": message.text, "blocks": message.blocks})
        for message in workspace.messages
        if message.channel == channel and message.ephemeral_to is None
    ]


def dm_blocks_to(workspace: Workspace, user_id: str) -> list[list[dict[str, Any]]]:
    channel = workspace.dm_channel(user_id)
    return [message.blocks for message in workspace.messages if message.channel == channel and message.ephemeral_to is None]
