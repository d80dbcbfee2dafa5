"""The mid-point check-in and the closing reflection: the button in the DM opens a modal, and its
answers are stored for the admin's aggregate (never shown per person)."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.flows import check_ins
from bot.flows.check_ins import Submitted
from bot.services import services_of
from prompts import check_ins as words

logger = logging.getLogger(__name__)


async def handle_check_in_open(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = services_of(context)
    parsed = words.parse_value(action.get("value", ""))
    if parsed is None:
        return
    kind, pair_id = parsed
    user_id, team_id = body["user"]["id"], body["team"]["id"]
    k = await check_ins.k_for_member(services, team_id=team_id, user_id=user_id, pair_id=pair_id)
    if k is None:
        await client.chat_postMessage(channel=user_id, text=words.NOT_IN_PAIR)
        return
    await client.views_open(trigger_id=body["trigger_id"], view=words.build_check_in_modal(kind=kind, pair_id=pair_id, k=k))


def _selected(values: dict, block_id: str) -> str | None:
    option = (values.get(block_id, {}).get(block_id) or {}).get("selected_option")
    return option.get("value") if option else None


def _typed(values: dict, block_id: str) -> str:
    return ((values.get(block_id, {}).get(block_id) or {}).get("value") or "").strip()


def read_answers(kind: str, values: dict) -> tuple[dict[str, object], dict[str, str]]:
    """The answers as CheckIn fields, and errors by block id for any required answer missing."""
    errors: dict[str, str] = {}
    if kind == words.MIDPOINT:
        working = _selected(values, "working")
        if working not in {value for value, _ in words.WORKING_OPTIONS}:
            errors["working"] = words.ERRORS["working"]
        return {"working": int(working) if working and not errors else None, "change": _typed(values, "change")}, errors
    answers: dict[str, object] = {
        "goals_achieved": _selected(values, "goals_achieved"),
        "what_changed": _typed(values, "what_changed"),
        "organisation_should": _typed(values, "organisation_should"),
        "take_part_again": _selected(values, "take_part_again"),
    }
    recommend = _selected(values, "recommend")
    if recommend is None or not recommend.isdigit() or not 0 <= int(recommend) <= 10:
        errors["recommend"] = words.ERRORS["recommend"]
    else:
        answers["recommend"] = int(recommend)
    if answers["goals_achieved"] not in {value for value, _ in words.GOALS_OPTIONS}:
        errors["goals_achieved"] = words.ERRORS["goals_achieved"]
    if answers["take_part_again"] not in {value for value, _ in words.AGAIN_OPTIONS}:
        errors["take_part_again"] = words.ERRORS["take_part_again"]
    return answers, errors


async def handle_check_in_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    parsed = words.parse_value(view.get("private_metadata", ""))
    if parsed is None:
        await ack()
        return
    kind, pair_id = parsed
    answers, errors = read_answers(kind, view["state"]["values"])
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    user_id, team_id = body["user"]["id"], body["team"]["id"]
    submitted = await check_ins.submit(
        services, team_id=team_id, user_id=user_id, pair_id=pair_id, kind=kind, view_id=view.get("id", ""), answers=answers, now=services.clock.now()
    )
    if submitted is Submitted.NOT_IN_PAIR:
        await ack(response_action="errors", errors={next(iter(view["state"]["values"]), "working"): words.NOT_IN_PAIR})
        return
    if submitted is Submitted.AGAIN:
        await ack()  # Submit pressed again: the answers are saved and thanked for already
        return
    await ack()
    await client.chat_postMessage(channel=user_id, **words.check_in_thanks(kind))


def register(app: AsyncApp) -> None:
    app.action(words.CHECK_IN_OPEN)(handle_check_in_open)
    app.view(words.CHECK_IN_SUBMIT)(handle_check_in_submission)
