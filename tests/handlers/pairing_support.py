"""Shared set-up for the pair tests: a seeded pair in the bot's database, and modal state as Slack sends it."""

from __future__ import annotations

from typing import Any

from bot.clock import ManualClock
from bot.runtime import Runtime
from sandbox.slack_requests import SlackRequests
from store.models import Pair
from tests.factories import make_pair, make_programme


async def seed_pair(bot: Runtime, clock: ManualClock, *, programme_fields: dict[str, Any] | None = None, **pair_fields: Any) -> Pair:
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now(), **(programme_fields or {}))
        return await make_pair(session, programme=programme, now=clock.now(), **pair_fields)


def initial_values(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The modal's `state.values` as Slack would send them if the person changed nothing."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind = element["type"]
        state: dict[str, Any] = {"type": kind}
        if kind == "plain_text_input":
            state["value"] = element.get("initial_value")
        elif kind in ("static_select", "radio_buttons"):
            state["selected_option"] = element.get("initial_option")
        elif kind in ("checkboxes", "multi_static_select"):
            state["selected_options"] = list(element.get("initial_options") or [])
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def option(value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": value}, "value": value}


def text_of(blocks: list[dict[str, Any]]) -> str:
    """All visible text in blocks, for assertions on wording."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"].get("text", ""))
        for element in block.get("elements", []) + block.get("fields", []):
            if isinstance(element, dict):
                text = element.get("text")
                parts.append(text.get("text", "") if isinstance(text, dict) else str(text or ""))
    return "\n".join(parts)


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Buttons by action_id, from actions blocks and section accessories."""
    found: dict[str, dict[str, Any]] = {}
    for block in blocks:
        for element in block.get("elements", []) + ([block["accessory"]] if "accessory" in block else []):
            if isinstance(element, dict) and element.get("type") == "button":
                found[element["action_id"]] = element
    return found


async def click_in_ephemeral(slack: SlackRequests, user_id: str, action: dict[str, Any]) -> None:
    """A click on a message only this person sees (a slash command's reply), which Slack marks ephemeral."""
    channel = slack.workspace.dm_channel(user_id)
    await slack.interaction(
        {
            "type": "block_actions",
            "team": {"id": slack.workspace.team_id, "domain": slack.workspace.team_id.lower()},
            "user": {"id": user_id, "username": user_id, "team_id": slack.workspace.team_id},
            "api_app_id": "A0FLIPSIDE",
            "trigger_id": slack.workspace.new_trigger(user_id),
            "container": {"type": "message", "message_ts": "1.1", "channel_id": channel, "is_ephemeral": True},
            "channel": {"id": channel, "name": "directmessage"},
            "response_url": f"{slack.response_base_url}/ephemeral",
            "actions": [{"action_ts": "1.2", **action}],
        }
    )
