"""The reflection after each session: one question at a time in the DM (buttons or typed replies),
or the whole of it in a form; `/mentor reflect` to start, `/mentor reflections` to read back.
Thin: parse, call the flow (bot/flows/reflection_conversation.py, bot/flows/reflection_form.py,
bot/flows/reflection_read_back.py), render with prompts/reflection_conversation.py,
prompts/reflection_form.py and prompts/reflection_read_back.py, send.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import subcommand
from bot.flows import reflection_conversation as conversation
from bot.flows import reflection_form as form
from bot.flows.reflection_conversation import Outcome, Refusal
from bot.flows.reflection_read_back import read_back
from bot.services import Services, services_of
from bot.views import reflection_view
from domain.reflection import Step
from handlers.home import refresh_pair_homes
from prompts import reflection_conversation as prompts
from prompts import reflection_form, reflection_read_back

logger = logging.getLogger(__name__)

TOOK_PLACE_BUTTON = re.compile(rf"^{prompts.REFLECTION_TOOK_PLACE_ACTION}(_\w+)?$")
ANSWER_BUTTON = re.compile(rf"^{prompts.REFLECTION_ANSWER_ACTION}_(\d)_\w+$")


def _refusal(outcome: Outcome) -> dict[str, Any]:
    """The words for why nothing was asked or saved."""
    if outcome.refusal is Refusal.NOT_YOURS:
        return prompts.build_not_yours()
    if outcome.refusal is Refusal.ALREADY_ANSWERED:
        return prompts.build_already_answered()
    if outcome.refusal is Refusal.NO_PAIR:
        return prompts.build_no_pair()
    if outcome.refusal is Refusal.NO_ENDED_SESSION:
        return prompts.build_no_ended_session()
    assert outcome.refusal is Refusal.ALREADY_REFLECTED and outcome.convo is not None
    return prompts.build_already_reflected(when=outcome.convo.ctx.when, session_id=outcome.convo.ctx.session_id)


async def _send(services: Services, client: AsyncWebClient, user_id: str, outcome: Outcome) -> None:
    """The replies, then both members' Home when an answer changed what it shows."""
    await conversation.deliver(services, client, user_id=user_id, outcome=outcome)
    if outcome.changed_pair is not None:
        refresh_pair_homes(services, client, outcome.changed_pair)


def _split_value(value: str) -> tuple[int, str] | None:
    session_id, _, answer = (value or "").partition(":")
    return (int(session_id), answer) if session_id.isdigit() and answer else None


# --- listeners --------------------------------------------------------------------------------


async def handle_reflection_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict, respond: AsyncRespond) -> None:
    await ack()
    services = services_of(context)
    user_id = body["user"]["id"]
    match = ANSWER_BUTTON.match(action["action_id"])
    step = Step(int(match.group(1))) if match else Step.TOOK_PLACE
    parsed = _split_value(action.get("value", ""))
    if parsed is None:
        return
    session_id, value = parsed
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    clicked = (str(channel), str(ts)) if channel and ts else None
    outcome = await conversation.click(
        services, client, team_id=context["team_id"], user_id=user_id, session_id=session_id, step=step, value=value, clicked=clicked, now=services.clock.now()
    )
    if outcome.refusal is not None:
        await respond(replace_original=False, response_type="ephemeral", **_refusal(outcome))
        return
    await _send(services, client, user_id, outcome)


async def answer_in_dm(event: dict, client: AsyncWebClient, context: dict) -> bool:
    """A DM is an answer when a reflection is waiting on this person; False when none is."""
    services = services_of(context)
    user_id = event.get("user")
    team_id = context.get("team_id") or event.get("team")
    if not user_id or not team_id:
        return False
    now = services.clock.now()
    outcome = await conversation.answer_typed(services, client, team_id=team_id, user_id=user_id, text=event.get("text") or "", now=now)
    if outcome is None:
        return False
    await _send(services, client, user_id, outcome)
    return True


async def handle_reflect_command(ack: AsyncAck, command: dict, client: AsyncWebClient, context: dict, respond: AsyncRespond) -> None:
    await ack()
    services = services_of(context)
    user_id = command["user_id"]
    outcome = await conversation.start(services, client, team_id=command["team_id"], user_id=user_id, now=services.clock.now())
    if outcome.refusal is not None:
        await respond(response_type="ephemeral", **_refusal(outcome))
        return
    assert outcome.convo is not None
    await _send(services, client, user_id, outcome)
    await respond(response_type="ephemeral", **prompts.build_started(outcome.convo.ctx.when))


async def handle_open_form(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = services_of(context)
    user_id = body["user"]["id"]
    value = action.get("value", "")
    if not value.isdigit():
        return
    convo = await form.form_conversation(services, client, team_id=context["team_id"], user_id=user_id, session_id=int(value), now=services.clock.now())
    if convo is None:
        await client.chat_postMessage(channel=user_id, **prompts.build_not_yours())
        return
    await client.views_open(trigger_id=body["trigger_id"], view=reflection_form.build_form_modal(convo.ctx, convo.topics, reflection_view(convo.reflection)))


async def handle_form_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    """Answered in the ack, as field errors must be; saved after, and a failure said in the DM."""
    services = services_of(context)
    user_id = body["user"]["id"]
    team_id = context["team_id"]
    now = services.clock.now()
    metadata = view.get("private_metadata", "")
    if not metadata.isdigit():
        await ack()
        return
    session_id = int(metadata)
    answers = await form.check_form(services, client, team_id=team_id, user_id=user_id, session_id=session_id, values=view["state"]["values"], now=now)
    if answers is None:
        await ack()
        return
    if answers.errors:
        await ack(response_action="errors", errors=answers.errors)
        return
    await ack()
    try:
        outcome = await form.submit_form(
            services, client, team_id=team_id, user_id=user_id, session_id=session_id, view_id=view.get("id", ""), answers=answers, now=now
        )
    except Exception:
        logger.exception("saving a reflection form failed")
        await client.chat_postMessage(channel=user_id, **prompts.build_something_went_wrong())
        return
    if outcome is None:
        return  # Submit pressed again: the reflection is saved already
    await _send(services, client, user_id, outcome)


async def handle_reflections_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    """Read back: your own reflections, and what your partner shared once you have reflected too.

    Acknowledged first: who may see what can mean asking Slack (users.info)."""
    await ack()
    services = services_of(context)
    shown = await read_back(services, client, team_id=command["team_id"], user_id=command["user_id"], now=services.clock.now())
    message = reflection_read_back.build_reflections_list(shown.entries, viewer_role=shown.viewer_role, topic_titles=shown.topic_titles, admin=shown.admin)
    await respond(response_type="ephemeral", **message)


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("reflections")])(handle_reflections_command)
    app.command("/mentor", matchers=[subcommand("reflect")])(handle_reflect_command)
    app.action(TOOK_PLACE_BUTTON)(handle_reflection_button)
    app.action(ANSWER_BUTTON)(handle_reflection_button)
    app.action(prompts.REFLECTION_OPEN_FORM_ACTION)(handle_open_form)
    app.view(reflection_form.REFLECTION_FORM_CALLBACK)(handle_form_submission)
