"""The validated measures: a statement's 1-7 or Skip button in the DM, the form instead, and
`/mentor progress`. Thin: parse, call bot/flows/measures.py, render with prompts/measures.py, send."""

from __future__ import annotations

import logging
import re

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import subcommand, team_of
from bot.flows import measures as flow
from bot.flows.reflection_conversation import show_answered
from bot.services import services_of
from prompts import measures as words

logger = logging.getLogger(__name__)

ANSWER_BUTTON = re.compile(rf"^{words.MEASURE_ANSWER}_(\d|{words.SKIP})$")


async def handle_measure_answer(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict, respond: AsyncRespond) -> None:
    await ack()
    services = services_of(context)
    parsed = words.parse_answer_value(action.get("value", ""))
    if parsed is None:
        return
    wave, pair_id, item_key, value = parsed
    user_id = body["user"]["id"]
    answered = await flow.answer(
        services, team_id=team_of(body, context), user_id=user_id, wave=wave, pair_id=pair_id, item_key=item_key, value=value, now=services.clock.now()
    )
    if answered is None:
        await respond(replace_original=False, response_type="ephemeral", **words.build_not_asked())
        return
    total = len(answered.asked.items)
    container = body.get("container") or {}
    if container.get("channel_id") and container.get("message_ts"):
        shown = words.build_answered(item=answered.item, position=answered.position - 1, total=total, value=value)
        await show_answered(client, container["channel_id"], container["message_ts"], shown)
    if not answered.changed:
        return  # a second click: the next statement is in the DM already
    if answered.next_item is None:
        await client.chat_postMessage(channel=user_id, **words.build_done(wave=wave, answered=answered.answered, total=total))
        return
    await client.chat_postMessage(
        channel=user_id,
        **words.build_item_message(
            wave=wave, pair_id=pair_id, item=answered.next_item, position=answered.position, total=total,
            programme_name=answered.asked.programme_name, k=answered.asked.k, first=False,
        ),
    )


async def handle_open_form(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict, respond: AsyncRespond) -> None:
    await ack()
    services = services_of(context)
    parsed = words.parse_form_value(action.get("value", ""))
    if parsed is None:
        return
    wave, pair_id = parsed
    form = await flow.open_form(services, team_id=team_of(body, context), user_id=body["user"]["id"], wave=wave, pair_id=pair_id)
    if form is None:
        await respond(replace_original=False, response_type="ephemeral", **words.build_not_asked())
        return
    await client.views_open(trigger_id=body["trigger_id"], view=words.build_form(wave=wave, pair_id=pair_id, items=form.asked.items, answers=form.answers, k=form.asked.k))


async def handle_form_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    parsed = words.parse_form_value(view.get("private_metadata", ""))
    if parsed is None:
        await ack()
        return
    wave, pair_id = parsed
    answers = words.read_form(view["state"]["values"])
    user_id = body["user"]["id"]
    form = await flow.submit_form(
        services, team_id=team_of(body, context), user_id=user_id, wave=wave, pair_id=pair_id, view_id=view.get("id", ""), answers=answers, now=services.clock.now()
    )
    await ack()
    if form is not None:
        await client.chat_postMessage(channel=user_id, **words.build_done(wave=wave, answered=flow.answered_count(form.answers), total=len(form.asked.items)))


async def handle_progress_command(ack: AsyncAck, command: dict, context: dict, respond: AsyncRespond) -> None:
    await ack()
    services = services_of(context)
    found = await flow.progress(services, team_id=team_of(command, context), user_id=command["user_id"])
    await respond(response_type="ephemeral", **words.build_progress(found))


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("progress")])(handle_progress_command)
    app.action(ANSWER_BUTTON)(handle_measure_answer)
    app.action(words.MEASURE_OPEN_FORM)(handle_open_form)
    app.view(words.MEASURE_FORM_SUBMIT)(handle_form_submission)
