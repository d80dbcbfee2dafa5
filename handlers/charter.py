"""`/mentor charter`, the charter modal, and agreeing it: in force once both agree the current version."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import subcommand, team_of
from bot.flows import charter as flow
from bot.flows.charter import Agreement, CharterForm
from bot.rules.pair_access import Refusal
from bot.services import services_of
from handlers.home import republish_homes
from handlers.pair_support import dm, number, replace_clicked_message, tell
from prompts import charter as charter_prompts
from prompts import pairing as pairing_prompts

logger = logging.getLogger(__name__)


def _modal(form: CharterForm) -> dict:
    return charter_prompts.build_charter_modal(
        pair_id=form.pair_id, terms=form.terms, partner_id=form.partner_id, version=form.version, programme_rules=form.programme_rules
    )


async def handle_charter_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    # Acknowledge first and answer through response_url: reading the store may be slow.
    await ack()
    team_id = command.get("team_id") or context.get("team_id") or ""
    look = await flow.look_at_charter(services_of(context), team_id=team_id, user_id=command["user_id"])
    if look.refusal is not None:
        await respond(response_type="ephemeral", **pairing_prompts.refusal(look.refusal))
    elif look.form is None:  # a paused pair: the charter to read
        await respond(response_type="ephemeral", **charter_prompts.build_paused_charter_view(look.paused, viewer_role=look.viewer_role))
    else:
        await client.views_open(trigger_id=command["trigger_id"], view=_modal(look.form))


async def handle_charter_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    """"Start your charter" (welcome DM), "Suggest changes" and "Edit the charter": open the modal."""
    await ack()
    form = await flow.charter_form(services_of(context), team_id=team_of(body, context), user_id=body["user"]["id"], pair_id=number(action.get("value")))
    if not isinstance(form, CharterForm):
        await tell(client, body, pairing_prompts.refusal(form))
        return
    await client.views_open(trigger_id=body["trigger_id"], view=_modal(form))


async def handle_charter_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    terms, errors = charter_prompts.parse_charter_submission(view["state"]["values"])
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    outcome = await flow.save_charter(
        services, team_id=team_id, user_id=user_id, pair_id=number(view.get("private_metadata")), view_id=view.get("id", ""), terms=terms
    )
    if outcome.refusal is not None:
        notice = pairing_prompts.refusal(outcome.refusal)
        await ack(response_action="update", view=pairing_prompts.build_notice_modal(charter_prompts.MODAL_TITLE, notice))
        return
    await ack()
    charter, partner_id = outcome.charter, outcome.partner_id
    if charter is None:  # Submit pressed again: saved and told already
        return
    if outcome.changed:
        changes = charter_prompts.charter_changes(outcome.previous, charter) if outcome.previous is not None else None
        await dm(client, partner_id, charter_prompts.build_agreement_request(charter, pair_id=outcome.pair_id, from_id=user_id, changes=changes))
    elif outcome.in_force and outcome.newly_agreed:
        await dm(client, partner_id, charter_prompts.build_charter_now_in_force(charter, partner_id=user_id))
    await dm(client, user_id, charter_prompts.build_charter_saved(charter, partner_id=partner_id, in_force=outcome.in_force))
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, partner_id])


def _parse_agreement(value: str | None) -> tuple[int | None, int | None]:
    charter_id, _, version = str(value or "").partition(":")
    return number(charter_id), number(version)


async def handle_charter_agree(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    charter_id, version = _parse_agreement(action.get("value"))
    outcome = await flow.agree_to_charter(services, team_id=team_id, user_id=user_id, charter_id=charter_id, version=version)
    charter = outcome.charter
    if outcome.refusal is not None or charter is None:
        await tell(client, body, pairing_prompts.refusal(outcome.refusal or Refusal.NOT_IN_PAIR))
        return
    if outcome.agreement is Agreement.STALE:
        await replace_clicked_message(client, body, respond, charter_prompts.build_stale_request(charter, pair_id=outcome.pair_id))
        return
    if outcome.agreement is Agreement.ALREADY:
        await tell(client, body, charter_prompts.build_already_agreed(charter))
        return
    await replace_clicked_message(client, body, respond, charter_prompts.build_agreed_message(charter))
    if outcome.in_force:
        await dm(client, outcome.partner_id, charter_prompts.build_charter_now_in_force(charter, partner_id=user_id))
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, outcome.partner_id])


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("charter")])(handle_charter_command)
    app.action(charter_prompts.CHARTER_OPEN_ACTION)(handle_charter_button)
    app.action(charter_prompts.CHARTER_EDIT_ACTION)(handle_charter_button)
    app.action(charter_prompts.CHARTER_AGREE_ACTION)(handle_charter_agree)
    app.view(charter_prompts.CHARTER_CALLBACK)(handle_charter_submission)
