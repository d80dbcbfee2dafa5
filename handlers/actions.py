"""`/mentor actions`: the pair's actions, ticked off, added, edited and dropped in place.
Thin: parse, call a flow (bot.flows.actions), render with prompts/actions.py, send."""

from __future__ import annotations

import json
import logging
from datetime import date

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import subcommand, team_of
from bot.flows import actions as flow
from bot.flows.actions import Saved
from bot.services import services_of
from domain.statuses import ActionStatus
from handlers.home import refresh_pair_homes
from prompts import actions as prompts

logger = logging.getLogger(__name__)


async def handle_actions_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    # Acknowledge first and answer through response_url: reading the store may be slow.
    await ack()
    user_id = command["user_id"]
    listed = await flow.pair_actions(services_of(context), team_id=team_of(command, context), user_id=user_id)
    if listed is None:
        await respond(response_type="ephemeral", **prompts.build_no_pair())
        return
    # A real message (not an ephemeral reply) so that its buttons can update it in place.
    await client.chat_postMessage(channel=user_id, **prompts.build_actions_list(listed, viewer_id=user_id))


async def _change_status(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict, status: ActionStatus) -> None:
    await ack()
    services = services_of(context)
    user_id = body["user"]["id"]
    container = body.get("container") or {}
    changed = await flow.change_status(services, team_id=team_of(body, context), user_id=user_id, value=action.get("value", ""), status=status)
    if changed is None:
        await client.chat_postEphemeral(channel=container.get("channel_id") or user_id, user=user_id, **prompts.build_not_yours())
        return
    if action["action_id"] == prompts.ACTION_DONE_FROM_REMINDER_ACTION:
        updated = prompts.build_reminder_done(changed.action)
    else:
        updated = prompts.build_actions_list(changed.actions, viewer_id=user_id)
    if container.get("message_ts") and container.get("channel_id"):
        await client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **updated)
    refresh_pair_homes(services, client, changed.pair)


async def handle_done(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await _change_status(ack, body, action, client, context, ActionStatus.DONE)


async def handle_drop(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await _change_status(ack, body, action, client, context, ActionStatus.DROPPED)


def _origin(body: dict) -> dict[str, str]:
    container = body.get("container") or {}
    return {"channel": container.get("channel_id", ""), "ts": container.get("message_ts", "")}


async def handle_add(ack: AsyncAck, body: dict, client: AsyncWebClient) -> None:
    await ack()
    await client.views_open(trigger_id=body["trigger_id"], view=prompts.build_action_modal(action=None, origin=_origin(body)))


async def handle_edit(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    user_id = body["user"]["id"]
    found = await flow.action_to_edit(services_of(context), team_id=team_of(body, context), user_id=user_id, value=action.get("value", ""))
    if found is None:
        await client.chat_postMessage(channel=user_id, **prompts.build_not_yours())
        return
    await client.views_open(trigger_id=body["trigger_id"], view=prompts.build_action_modal(action=found, origin=_origin(body)))


def _value(values: dict, block: str) -> dict:
    return (values.get(block) or {}).get(prompts.FORM_ACTION) or {}


async def handle_action_form(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    user_id = body["user"]["id"]
    values = view["state"]["values"]
    due_text = _value(values, "due").get("selected_date")
    metadata = json.loads(view.get("private_metadata") or "{}")
    outcome = await flow.save_action(
        services,
        client,
        team_id=team_of(body, context),
        user_id=user_id,
        view_id=view.get("id", ""),
        action_id=str(metadata["action"]) if metadata.get("action") else None,
        text=(_value(values, "text").get("value") or "").strip(),
        due_on=date.fromisoformat(due_text) if due_text else None,
        scope=(_value(values, "scope").get("selected_option") or {}).get("value") or flow.PERSONAL,
        now=services.clock.now(),
    )
    if outcome.problems:
        await ack(response_action="errors", errors={block: prompts.FORM_ERRORS[key] for block, key in outcome.problems.items()})
        return
    await ack()
    if outcome.saved is Saved.NO_PAIR:
        await client.chat_postMessage(channel=user_id, **prompts.build_no_pair())
        return
    if outcome.pair is None:  # Submit pressed again (saved already), or not this person's action to edit
        return
    listing = prompts.build_actions_list(outcome.actions, viewer_id=user_id)
    if metadata.get("channel") and metadata.get("ts"):
        await client.chat_update(channel=metadata["channel"], ts=metadata["ts"], **listing)
    else:
        await client.chat_postMessage(channel=user_id, **listing)
    refresh_pair_homes(services, client, outcome.pair)


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("actions")])(handle_actions_command)
    app.action(prompts.ACTION_DONE_ACTION)(handle_done)
    app.action(prompts.ACTION_DONE_FROM_REMINDER_ACTION)(handle_done)
    app.action(prompts.ACTION_DROP_ACTION)(handle_drop)
    app.action(prompts.ACTION_EDIT_ACTION)(handle_edit)
    app.action(prompts.ACTION_ADD_ACTION)(handle_add)
    app.view(prompts.ACTION_FORM_CALLBACK)(handle_action_form)
