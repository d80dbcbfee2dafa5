"""The admin's Home tab: published when a programme admin opens Home, re-published page by page,
and its Export button (the other buttons belong to the admin setup module)."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.flows.programme_scope import read_scope
from bot.repeats import first_click
from bot.services import Services, services_of
from handlers.report import load_admin_report, load_rollup, send_chart, send_export
from prompts import admin_home as home_words
from prompts import programmes as programme_words
from prompts import report as words

logger = logging.getLogger(__name__)

async def publish_admin_home(client: AsyncWebClient, services: Services, *, team_id: str, user_id: str, page: int = 0) -> bool:
    """Publish the admin Home when this person runs the current programme; False otherwise."""
    report, _ = await load_admin_report(services, client, team_id=team_id, user_id=user_id)
    if report is None:
        return False
    await client.views_publish(user_id=user_id, view=await _headed(services, client, home_words.build_admin_home(report, page=page), team_id=team_id, user_id=user_id))
    return True


async def _headed(services: Services, client: AsyncWebClient, home: dict, *, team_id: str, user_id: str) -> dict:
    """The admin Home headed by the programme it shows, with a switch, for an admin of several."""
    scope = await read_scope(services, client, team_id=team_id, user_id=user_id, admin=True)
    if scope.programme is None or not scope.several:
        return home
    return programme_words.headed(home, scope.programme.name, scope.switches)


async def handle_admin_home_page(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    value = str(action.get("value") or "0")
    page = int(value) if value.isdigit() else 0
    user_id = body["user"]["id"]
    report, refusal = await load_admin_report(services_of(context), client, team_id=body["team"]["id"], user_id=user_id)
    if report is None:
        # A stale admin Home (someone no longer an admin, or the programme closed): say why nothing moves.
        await client.chat_postMessage(channel=user_id, **words.plain_message(refusal or words.REFUSAL))
        return
    await client.views_publish(user_id=user_id, view=await _headed(services_of(context), client, home_words.build_admin_home(report, page=page), team_id=body["team"]["id"], user_id=user_id))


async def handle_admin_export_button(ack: AsyncAck, body: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    if not await first_click(services_of(context), body):
        return  # the second of a double-click: the export is already on its way
    user_id = body["user"]["id"]
    report, refusal = await load_admin_report(services_of(context), client, team_id=body["team"]["id"], user_id=user_id, command="export")
    if report is None:
        await client.chat_postMessage(channel=user_id, **words.plain_message(refusal or words.refusal("export")))
        return
    try:
        await send_export(client, report, user_id)
    except SlackApiError:
        logger.exception("could not upload the CSV export from the Home tab")
        await client.chat_postMessage(channel=user_id, **words.plain_message(words.UPLOAD_FAILED))


async def handle_admin_rollup_button(ack: AsyncAck, body: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    if not await first_click(services_of(context), body):
        return  # the second of a double-click: the roll-up is already on its way
    user_id = body["user"]["id"]
    reply, single = await load_rollup(services_of(context), client, team_id=body["team"]["id"], user_id=user_id)
    await client.chat_postMessage(channel=user_id, **reply)
    if single is not None:
        try:
            await send_chart(client, single, user_id)
        except SlackApiError:
            logger.exception("could not upload the health chart from the Home tab")
            await client.chat_postMessage(channel=user_id, **words.plain_message(words.UPLOAD_FAILED))


def register(app: AsyncApp) -> None:
    app.action(home_words.ADMIN_HOME_PREVIOUS)(handle_admin_home_page)
    app.action(home_words.ADMIN_HOME_NEXT)(handle_admin_home_page)
    app.action(home_words.ADMIN_EXPORT)(handle_admin_export_button)
    app.action(home_words.ADMIN_ROLLUP)(handle_admin_rollup_button)
