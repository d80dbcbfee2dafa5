"""`/mentor schedule`, `/mentor sessions`, `/mentor log`, the session buttons and their modals.
Thin: parse, call a flow (bot.flows.bookings, bot.flows.session_changes), render with prompts, deliver the
notices at once.

Commands and buttons acknowledge first and answer afterwards (response_url, chat.postEphemeral,
views.open with the trigger): their work reads the store and may call Slack, and Slack drops a
request not acknowledged within 3 seconds. Modal submissions answer in the ack, as field errors
must (`response_action`), so their work stays short: one transaction, notices delivered after."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.clients import fixed_client
from bot.commands import arguments, subcommand
from bot.flows import bookings, session_changes
from bot.flows.bookings import Outcome
from bot.services import Services, services_of
from bot.sweep.delivery import deliver_due
from handlers.home import refresh_pair_homes
from handlers.pair_support import tell
from prompts import sessions as prompts

logger = logging.getLogger(__name__)


def _team(body: dict) -> str:
    return body.get("team_id") or (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""


async def _after_change(services: Services, client: AsyncWebClient, outcome: Outcome) -> None:
    """Once a session is booked, logged, confirmed, moved or cancelled: send the notices due now,
    then republish both members' Home (their next session, or that there is none)."""
    if outcome.deliver_now:
        await deliver_due(services, fixed_client(client), services.clock.now(), keys=outcome.deliver_now)
    if outcome.context is not None:
        refresh_pair_homes(services, client, outcome.context.pair)


def _refusal_text(outcome: Outcome, user_id: str) -> str:
    if outcome.context is None:
        return prompts.refusal_text(outcome.refusal or "", clash=outcome.clash, tz="UTC")
    return prompts.refusal_text(outcome.refusal or "", clash=outcome.clash, tz=outcome.context.tz(user_id), since=outcome.since,
                                partner_id=outcome.context.partner(user_id))


async def _answer_submission(ack: AsyncAck, services: Services, client: AsyncWebClient, outcome: Outcome, *, user_id: str,
                             block: str) -> None:
    """A form's answer in its ack: closed when done (or done before), open with the refusal under `block`."""
    if outcome.refusal is not None and not outcome.repeat:
        await ack(response_action="errors", errors={block: _refusal_text(outcome, user_id)})
        return
    await ack()  # done, or Submit pressed again: done and told already
    if not outcome.repeat:
        await _after_change(services, client, outcome)


def _ephemeral(text_or_message: str | dict[str, Any]) -> dict[str, Any]:
    body = prompts.build_refusal(text_or_message) if isinstance(text_or_message, str) else text_or_message
    return {"response_type": "ephemeral", **body}


# --- /mentor schedule and /mentor log -------------------------------------------------------------


async def _open_form(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict, *, log: bool) -> None:
    await ack()
    services = services_of(context)
    view = await bookings.booking_form(services, client, team_id=command["team_id"], user_id=command["user_id"],
                                       now=services.clock.now(), log=log)
    if view is None:
        await respond(**_ephemeral(prompts.NO_PAIR))
        return
    await client.views_open(trigger_id=command["trigger_id"], view=view)


async def handle_book_button(ack: AsyncAck, body: dict, client: AsyncWebClient, context: dict) -> None:
    """"Book a session" on Home: the same form as `/mentor schedule`."""
    await ack()
    services = services_of(context)
    view = await bookings.booking_form(services, client, team_id=_team(body), user_id=body["user"]["id"],
                                       now=services.clock.now(), log=False)
    if view is None:
        await tell(client, body, prompts.build_refusal(prompts.NO_PAIR))
        return
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def _typed(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict, typed: str, *, log: bool) -> None:
    await ack()
    services = services_of(context)
    user_id = command["user_id"]
    outcome = await bookings.book_typed(services, client, team_id=command["team_id"], user_id=user_id, typed=typed,
                                        now=services.clock.now(), log=log)
    if outcome.problem is not None:
        await respond(**_ephemeral(prompts.time_problem_text(outcome.problem, typed)))
        return
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        await respond(**_ephemeral(_refusal_text(outcome, user_id)))
        return
    view = outcome.context.view(outcome.session, user_id)
    if log:
        await respond(**_ephemeral(prompts.build_logged_ack(view)))
    else:
        after_end = outcome.context.after_programme_end(outcome.session.starts_at)
        await respond(**_ephemeral(prompts.build_booked_ack(view, after_programme_end=after_end)))
    await _after_change(services, client, outcome)


async def _command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict, *, log: bool) -> None:
    """With a time typed after it, book (or log) straight away; without, open the form."""
    typed = arguments(command.get("text"), "log" if log else "schedule")
    if typed:
        await _typed(ack, respond, command, client, context, typed, log=log)
    else:
        await _open_form(ack, respond, command, client, context, log=log)


async def handle_schedule_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    await _command(ack, respond, command, client, context, log=False)


async def handle_log_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    await _command(ack, respond, command, client, context, log=True)


async def handle_schedule_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    await _submit_form(ack, body, view, client, context, log=False)


async def handle_log_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    await _submit_form(ack, body, view, client, context, log=True)


async def _submit_form(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict, *, log: bool) -> None:
    services = services_of(context)
    now = services.clock.now()
    user_id, team_id, form = body["user"]["id"], _team(body), prompts.read_form(view)
    if form.when is None:
        await ack(response_action="errors", errors={prompts.WHEN_BLOCK: prompts.PICK_A_TIME})
        return
    if log:
        outcome = await bookings.log_held(services, client, team_id=team_id, user_id=user_id, starts_at=form.when,
                                          minutes=form.minutes, topic_key=form.topic_key, now=now, view_id=view.get("id", ""))
    else:
        outcome = await bookings.book(services, client, team_id=team_id, user_id=user_id, starts_at=form.when, minutes=form.minutes,
                                      topic_key=form.topic_key, location=form.location, now=now, view_id=view.get("id", ""))
    await _answer_submission(ack, services, client, outcome, user_id=user_id, block=prompts.WHEN_BLOCK)


# --- /mentor sessions -------------------------------------------------------------------------------


async def handle_sessions_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = services_of(context)
    listed = await bookings.list_sessions(services, client, team_id=command["team_id"], user_id=command["user_id"],
                                          now=services.clock.now())
    if listed is None:
        await respond(**_ephemeral(prompts.NO_PAIR))
        return
    await respond(**_ephemeral(prompts.build_sessions_list(*listed)))


# --- the buttons ------------------------------------------------------------------------------------


async def handle_confirm(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = services_of(context)
    user_id = body["user"]["id"]
    session_id = prompts.session_id_of(action.get("value", ""))
    if session_id is None:
        return
    outcome = await session_changes.confirm(services, client, team_id=_team(body), user_id=user_id, session_id=session_id,
                                            now=services.clock.now())
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        await tell(client, body, prompts.build_refusal(_refusal_text(outcome, user_id)))
        return
    await tell(client, body, prompts.build_confirmed_ack(outcome.context.view(outcome.session, user_id)))
    await _after_change(services, client, outcome)


async def _open_session_modal(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict, *, cancel: bool) -> None:
    await ack()
    services = services_of(context)
    user_id = body["user"]["id"]
    session_id = prompts.session_id_of(action.get("value", ""))
    if session_id is None:
        return
    outcome = await session_changes.session_for(services, client, team_id=_team(body), user_id=user_id, session_id=session_id,
                                                now=services.clock.now())
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        await tell(client, body, prompts.build_refusal(_refusal_text(outcome, user_id)))
        return
    view = outcome.context.view(outcome.session, user_id)
    if cancel:
        modal = prompts.build_cancel_modal(view, late=outcome.late)
    else:
        modal = prompts.build_reschedule_modal(view, initial=outcome.session.starts_at)
    await client.views_open(trigger_id=body["trigger_id"], view=modal)


async def handle_reschedule_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await _open_session_modal(ack, body, action, client, context, cancel=False)


async def handle_cancel_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await _open_session_modal(ack, body, action, client, context, cancel=True)


async def handle_reschedule_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    user_id, form = body["user"]["id"], prompts.read_form(view)
    if form.when is None:
        await ack(response_action="errors", errors={prompts.WHEN_BLOCK: prompts.PICK_A_TIME})
        return
    outcome = await session_changes.reschedule(services, client, team_id=_team(body), user_id=user_id,
                                               session_id=int(view["private_metadata"]), starts_at=form.when, reason=form.reason,
                                               now=services.clock.now(), view_id=view.get("id", ""))
    await _answer_submission(ack, services, client, outcome, user_id=user_id, block=prompts.WHEN_BLOCK)


async def handle_cancel_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    user_id = body["user"]["id"]
    outcome = await session_changes.cancel(services, client, team_id=_team(body), user_id=user_id,
                                           session_id=int(view["private_metadata"]), reason=prompts.read_form(view).reason,
                                           now=services.clock.now(), view_id=view.get("id", ""))
    await _answer_submission(ack, services, client, outcome, user_id=user_id, block=prompts.REASON_BLOCK)


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("schedule")])(handle_schedule_command)
    app.command("/mentor", matchers=[subcommand("sessions")])(handle_sessions_command)
    app.command("/mentor", matchers=[subcommand("log")])(handle_log_command)
    app.action(prompts.CONFIRM_ACTION)(handle_confirm)
    app.action(prompts.RESCHEDULE_ACTION)(handle_reschedule_button)
    app.action(prompts.CANCEL_ACTION)(handle_cancel_button)
    app.action(prompts.SCHEDULE_OPEN_ACTION)(handle_book_button)
    app.view(prompts.SCHEDULE_CALLBACK)(handle_schedule_submission)
    app.view(prompts.LOG_CALLBACK)(handle_log_submission)
    app.view(prompts.RESCHEDULE_CALLBACK)(handle_reschedule_submission)
    app.view(prompts.CANCEL_CALLBACK)(handle_cancel_submission)
