"""`/mentor privacy`: what Flipside keeps and who sees it, with Export my data and Delete my data."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import subcommand
from bot.flows.pairing import send_dm
from bot.flows.privacy import delete_my_data, export_my_data, open_partners, promising_programme
from bot.repeats import first_click
from bot.services import services_of
from bot.view_state import read_state
from domain.anonymity import effective_k
from handlers.home import refresh_homes
from prompts import privacy as words

logger = logging.getLogger(__name__)


async def handle_privacy_command(ack: AsyncAck, respond: AsyncRespond, command: dict, context: dict) -> None:
    # Acknowledge first and answer through response_url: reading the store may be slow.
    await ack()
    programme = await promising_programme(services_of(context), team_id=command["team_id"], user_id=command["user_id"])
    if programme is None:
        await respond(**words.build_privacy_menu())
        return
    await respond(**words.build_privacy_menu(k=effective_k(programme.k_anonymity), retention_days=programme.retention_days))


async def handle_export_button(ack: AsyncAck, body: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    if not await first_click(services_of(context), body):
        return  # the second of a double-click: the export is already on its way
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    try:
        await export_my_data(services_of(context), client, team_id=team_id, user_id=user_id)
    except SlackApiError:
        logger.exception("could not upload a personal data export")
        await send_dm(client, user_id, words.plain_message(words.EXPORT_FAILED))


async def handle_delete_button(ack: AsyncAck, body: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    partners = await open_partners(services_of(context), team_id=team_id, user_id=user_id)
    await client.views_open(trigger_id=body["trigger_id"], view=words.build_delete_modal(partner_ids=partners))


async def handle_delete_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    errors = words.confirm_errors(read_state(view).get(words.CONFIRM_BLOCK))
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    await ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    services = services_of(context)
    try:
        erasure = await delete_my_data(services, client, team_id=team_id, user_id=user_id, view_id=view.get("id", ""))
    except Exception:
        logger.exception("a personal data erasure failed; its transaction was rolled back")
        await send_dm(client, user_id, words.plain_message(words.DELETE_FAILED))
        return
    if erasure is not None and erasure.anything:  # their Home tab still shows what was deleted, and their partner's shows the pair
        people = [user_id, *erasure.partners_left]

        async def republish_then_forget() -> None:
            # Republishing asks Slack who they are (admin Home or not): forget that answer again afterwards.
            await refresh_homes(services, client, team_id=team_id, user_ids=people)
            services.users.forget(user_id)

        services.background.once(("home", team_id, *people), republish_then_forget)


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("privacy")])(handle_privacy_command)
    app.action(words.EXPORT_ACTION)(handle_export_button)
    app.action(words.DELETE_ACTION)(handle_delete_button)
    app.view(words.DELETE_CALLBACK)(handle_delete_submission)
