"""`/mentor actions`: the pair's actions, ticked off, added, edited and dropped in place."""

from __future__ import annotations

import json
import logging
from datetime import date
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import subcommand
from bot.directory import known_person
from bot.flows.action_reminders import create_actions, schedule_due_reminder, withdraw_due_reminder
from bot.services import services_of
from bot.views import action_view
from domain.reflection import ActionLine
from domain.statuses import ActionStatus
from handlers.home import refresh_pair_homes
from prompts import actions as prompts
from store import actions as store
from store import events
from store.models import Action, Pair
from store.pairs import current_pair, get_pair

logger = logging.getLogger(__name__)


async def _list_message(session: AsyncSession, *, team_id: str, pair_id: int, viewer_id: str) -> dict:
    items = await store.actions_of_pair(session, team_id=team_id, pair_id=pair_id)
    return prompts.build_actions_list([action_view(item) for item in items], viewer_id=viewer_id)


async def handle_actions_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    # Acknowledge first and answer through response_url: reading the store may be slow.
    await ack()
    services = services_of(context)
    user_id = command["user_id"]
    team_id = command["team_id"]
    async with services.sessions.begin() as session:
        pair = await current_pair(session, team_id=team_id, user_id=user_id)
        if pair is None:
            await respond(response_type="ephemeral", **prompts.build_no_pair())
            return
        listing = await _list_message(session, team_id=team_id, pair_id=pair.id, viewer_id=user_id)
    # A real message (not an ephemeral reply) so that its buttons can update it in place.
    await client.chat_postMessage(channel=user_id, **listing)


async def _own_action(session: AsyncSession, *, team_id: str, user_id: str, value: str) -> tuple[Action, Pair] | None:
    if not value.isdigit():
        return None
    action = await store.get_action(session, team_id=team_id, action_id=int(value))
    if action is None or action.owner_id != user_id:
        return None
    pair = await get_pair(session, team_id=team_id, pair_id=action.pair_id)
    return (action, pair) if pair is not None else None


async def _change_status(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict, status: ActionStatus) -> None:
    await ack()
    services = services_of(context)
    user_id = body["user"]["id"]
    team_id = context["team_id"]
    container = body.get("container") or {}
    async with services.sessions.begin() as session:
        found = await _own_action(session, team_id=team_id, user_id=user_id, value=action.get("value", ""))
        if found is None:
            await client.chat_postEphemeral(channel=container.get("channel_id") or user_id, user=user_id, **prompts.build_not_yours())
            return
        item, pair = found
        if item.status != status:  # a double-click finds it done already, and keeps the time it was done
            await store.set_status(session, action=item, status=status, now=services.clock.now())
            await withdraw_due_reminder(session, action=item)
        if action["action_id"] == prompts.ACTION_DONE_FROM_REMINDER_ACTION:
            updated = prompts.build_reminder_done(action_view(item))
        else:
            updated = await _list_message(session, team_id=team_id, pair_id=pair.id, viewer_id=user_id)
    if container.get("message_ts") and container.get("channel_id"):
        await client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **updated)
    refresh_pair_homes(services, client, pair)


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
    services = services_of(context)
    user_id = body["user"]["id"]
    async with services.sessions.begin() as session:
        found = await _own_action(session, team_id=context["team_id"], user_id=user_id, value=action.get("value", ""))
    if found is None:
        await client.chat_postMessage(channel=user_id, **prompts.build_not_yours())
        return
    await client.views_open(trigger_id=body["trigger_id"], view=prompts.build_action_modal(action=action_view(found[0]), origin=_origin(body)))


def _value(values: dict, block: str) -> dict:
    return (values.get(block) or {}).get(prompts.FORM_ACTION) or {}


async def handle_action_form(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    user_id = body["user"]["id"]
    team_id = context["team_id"]
    now = services.clock.now()
    values = view["state"]["values"]
    text = (_value(values, "text").get("value") or "").strip()
    due_text = _value(values, "due").get("selected_date")
    scope = (_value(values, "scope").get("selected_option") or {}).get("value") or "personal"
    metadata = json.loads(view.get("private_metadata") or "{}")
    async with services.sessions.begin() as session:
        person = await known_person(session, client, team_id=team_id, user_id=user_id, now=now)
    due_on = date.fromisoformat(due_text) if due_text else None
    errors = {}
    if not text:
        errors["text"] = prompts.FORM_ERRORS["text"]
    if due_on is not None and due_on < now.astimezone(ZoneInfo(person.tz)).date():
        errors["due"] = prompts.FORM_ERRORS["due_past"]
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    await ack()
    async with services.sessions.begin() as session:
        if not await events.first_submission(session, team_id=team_id, view_id=view.get("id", ""), now=now):
            return  # Submit pressed again: the action is saved already
        if metadata.get("action"):
            found = await _own_action(session, team_id=team_id, user_id=user_id, value=str(metadata["action"]))
            if found is None:
                return
            item, pair = found
            moved = item.due_on != due_on
            await store.update_action(session, action=item, text=text[:500], due_on=due_on, scope=scope if scope in prompts.SCOPES else "personal")
            if moved:
                await withdraw_due_reminder(session, action=item)
                await schedule_due_reminder(session, action=item, tz=person.tz, now=now)
        else:
            pair = await current_pair(session, team_id=team_id, user_id=user_id)
            if pair is None:
                await client.chat_postMessage(channel=user_id, **prompts.build_no_pair())
                return
            created = await create_actions(
                session, team_id=team_id, pair_id=pair.id, owner_id=user_id, lines=[ActionLine(text, due_on)], tz=person.tz, now=now
            )
            if scope == "organisational":
                await store.update_action(session, action=created[0], text=created[0].text, due_on=due_on, scope=scope)
        listing = await _list_message(session, team_id=team_id, pair_id=pair.id, viewer_id=user_id)
    if metadata.get("channel") and metadata.get("ts"):
        await client.chat_update(channel=metadata["channel"], ts=metadata["ts"], **listing)
    else:
        await client.chat_postMessage(channel=user_id, **listing)
    refresh_pair_homes(services, client, pair)


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("actions")])(handle_actions_command)
    app.action(prompts.ACTION_DONE_ACTION)(handle_done)
    app.action(prompts.ACTION_DONE_FROM_REMINDER_ACTION)(handle_done)
    app.action(prompts.ACTION_DROP_ACTION)(handle_drop)
    app.action(prompts.ACTION_EDIT_ACTION)(handle_edit)
    app.action(prompts.ACTION_ADD_ACTION)(handle_add)
    app.view(prompts.ACTION_FORM_CALLBACK)(handle_action_form)
