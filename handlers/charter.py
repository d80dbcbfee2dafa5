"""`/mentor charter`, the charter modal, and agreeing it: in force once both agree the current version."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import subcommand
from bot.rules.pair_access import Refusal, view_refusal
from bot.services import services_of
from domain.statuses import PairStatus
from handlers.home import republish_homes
from handlers.pair_support import (
    dm,
    editable_pair,
    number,
    open_pair_modal,
    replace_clicked_message,
    team_of,
    tell,
)
from prompts import charter as charter_prompts
from prompts import pairing as pairing_prompts
from store import charters, events, pairs, programmes
from store.models import Pair

logger = logging.getLogger(__name__)


async def _charter_modal(session: AsyncSession, *, pair: Pair, user_id: str) -> dict[str, Any]:
    assert pair.id is not None
    charter = await charters.get_charter(session, team_id=pair.team_id, pair_id=pair.id)
    if charter is None:
        programme = await programmes.get_programme(session, team_id=pair.team_id, programme_id=pair.programme_id)
        terms = charter_prompts.new_charter_terms(
            cadence_days=programme.cadence_days if programme else 30, session_minutes=programme.session_minutes if programme else 60
        )
        version = None
    else:
        terms = {name: getattr(charter, name) for name in charters.TERMS}
        version = charter.version
    return charter_prompts.build_charter_modal(pair_id=pair.id, terms=terms, partner_id=pairs.partner_of(pair, user_id), version=version)


async def handle_charter_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    # Acknowledge first and answer through response_url: reading the store may be slow.
    await ack()
    services, user_id = services_of(context), command["user_id"]
    team_id = command.get("team_id") or context.get("team_id") or ""
    reply: dict[str, Any] | None = None
    async with services.sessions.begin() as session:
        pair = await pairs.current_pair(session, team_id=team_id, user_id=user_id)
        refusal = view_refusal(pair, user_id)
        if refusal is not None:
            reply = pairing_prompts.refusal(refusal)
        elif pair is not None and pair.status == PairStatus.PAUSED:
            charter = await charters.get_charter(session, team_id=team_id, pair_id=pair.id)
            reply = charter_prompts.build_paused_charter_view(charter, viewer_role=pairs.role_in(pair, user_id))
        else:
            assert pair is not None
            modal = await _charter_modal(session, pair=pair, user_id=user_id)
    if reply is not None:
        await respond(response_type="ephemeral", **reply)
        return
    await client.views_open(trigger_id=command["trigger_id"], view=modal)


async def handle_charter_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    """"Start your charter" (welcome DM), "Suggest changes" and "Edit the charter": open the modal."""
    await ack()

    async def build(session: AsyncSession, pair: Pair, user_id: str) -> dict[str, Any]:
        return await _charter_modal(session, pair=pair, user_id=user_id)

    await open_pair_modal(body, action, client, context, build)


async def handle_charter_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    terms, errors = charter_prompts.parse_charter_submission(view["state"]["values"])
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    pair_id = number(view.get("private_metadata"))
    now = services.clock.now()
    repeat = False
    async with services.sessions.begin() as session:
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        if refusal is None and pair is not None:
            repeat = not await events.first_submission(session, team_id=team_id, view_id=view.get("id", ""), now=now)
        if refusal is None and pair is not None and not repeat:
            saved = await charters.save_charter(
                session, team_id=team_id, pair_id=pair.id, role=pairs.role_in(pair, user_id), user_id=user_id, terms=terms, now=now
            )
            in_force = charters.in_force(saved.charter)
    if refusal is not None or pair is None:
        notice = pairing_prompts.refusal(refusal or Refusal.NOT_IN_PAIR)
        await ack(response_action="update", view=pairing_prompts.build_notice_modal(charter_prompts.MODAL_TITLE, notice))
        return
    await ack()
    if repeat:  # Submit pressed again: saved and told already
        return
    partner_id = pairs.partner_of(pair, user_id)
    charter = saved.charter
    if saved.changed:
        changes = charter_prompts.charter_changes(saved.previous, charter) if saved.previous is not None else None
        await dm(client, partner_id, charter_prompts.build_agreement_request(charter, pair_id=pair.id, from_id=user_id, changes=changes))
    elif in_force and saved.newly_agreed:
        await dm(client, partner_id, charter_prompts.build_charter_now_in_force(charter, partner_id=user_id))
    await dm(client, user_id, charter_prompts.build_charter_saved(charter, partner_id=partner_id, in_force=in_force))
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, partner_id])


def _parse_agreement(value: str | None) -> tuple[int | None, int | None]:
    charter_id, _, version = str(value or "").partition(":")
    return number(charter_id), number(version)


async def handle_charter_agree(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    charter_id, version = _parse_agreement(action.get("value"))
    outcome = ""
    async with services.sessions.begin() as session:
        charter = await charters.get_charter_by_id(session, team_id=team_id, charter_id=charter_id) if charter_id is not None else None
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=charter.pair_id if charter is not None else None)
        if refusal is None and pair is not None and charter is not None:
            role = pairs.role_in(pair, user_id)
            if charter.version != version:
                outcome = "stale"
            elif charters.agreed_by(charter, role):
                outcome = "already"
            elif await charters.agree_charter(session, charter=charter, role=role, now=services.clock.now()):
                outcome = "agreed"
            else:
                outcome = "stale" if charter.version != version else "already"  # changed, or agreed, a moment ago
    if refusal is not None or pair is None or charter is None:
        await tell(client, body, pairing_prompts.refusal(refusal or Refusal.NOT_IN_PAIR))
        return
    if outcome == "stale":
        await replace_clicked_message(client, body, respond, charter_prompts.build_stale_request(charter, pair_id=pair.id))
        return
    if outcome == "already":
        await tell(client, body, charter_prompts.build_already_agreed(charter))
        return
    await replace_clicked_message(client, body, respond, charter_prompts.build_agreed_message(charter))
    partner_id = pairs.partner_of(pair, user_id)
    if charters.in_force(charter):
        await dm(client, partner_id, charter_prompts.build_charter_now_in_force(charter, partner_id=user_id))
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, partner_id])


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("charter")])(handle_charter_command)
    app.action(charter_prompts.CHARTER_OPEN_ACTION)(handle_charter_button)
    app.action(charter_prompts.CHARTER_EDIT_ACTION)(handle_charter_button)
    app.action(charter_prompts.CHARTER_AGREE_ACTION)(handle_charter_agree)
    app.view(charter_prompts.CHARTER_CALLBACK)(handle_charter_submission)
