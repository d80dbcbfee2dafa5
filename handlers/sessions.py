"""`/mentor schedule`, `/mentor sessions`, `/mentor log`, their forms, and the "book anyway" choice for a
time outside someone's working hours. Thin: parse, call a flow (bot.flows.bookings), render with prompts,
deliver the notices at once. Confirming, moving and cancelling a session are handlers/session_changes.py,
which shares the helpers here.

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
from bot.commands import arguments, subcommand, team_of
from bot.flows import bookings
from bot.flows.booking_form import booking_form
from bot.flows.bookings import Outcome
from bot.services import Services, services_of
from bot.sweep.delivery import deliver_due
from handlers.home import refresh_pair_homes
from handlers.pair_support import replace_clicked_message, tell
from prompts import booking_hours, session_list
from prompts import sessions as prompts

logger = logging.getLogger(__name__)


async def after_change(services: Services, client: AsyncWebClient, outcome: Outcome) -> None:
    """Once a session is booked, logged, confirmed, moved or cancelled: send the notices due now,
    then republish both members' Home (their next session, or that there is none)."""
    if outcome.deliver_now:
        await deliver_due(services, fixed_client(client), services.clock.now(), keys=outcome.deliver_now)
    if outcome.context is not None:
        refresh_pair_homes(services, client, outcome.context.pair)


def refusal_text(outcome: Outcome, user_id: str) -> str:
    if outcome.context is None:
        return prompts.refusal_text(outcome.refusal or "", clash=outcome.clash, tz="UTC")
    return prompts.refusal_text(outcome.refusal or "", clash=outcome.clash, tz=outcome.context.tz(user_id), since=outcome.since,
                                partner_id=outcome.context.partner(user_id))


async def answer_submission(ack: AsyncAck, services: Services, client: AsyncWebClient, outcome: Outcome, *, user_id: str,
                            block: str) -> None:
    """A form's answer in its ack: closed when done (or done before), open with the refusal under `block`."""
    if outcome.refusal is not None and not outcome.repeat:
        await ack(response_action="errors", errors={block: refusal_text(outcome, user_id)})
        return
    await ack()  # done, or Submit pressed again: done and told already
    if not outcome.repeat:
        await after_change(services, client, outcome)


def _ephemeral(text_or_message: str | dict[str, Any]) -> dict[str, Any]:
    body = prompts.build_refusal(text_or_message) if isinstance(text_or_message, str) else text_or_message
    return {"response_type": "ephemeral", **body}


# --- /mentor schedule and /mentor log -------------------------------------------------------------


async def _open_form(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict, *, log: bool) -> None:
    await ack()
    services = services_of(context)
    view = await booking_form(services, client, team_id=command["team_id"], user_id=command["user_id"],
                                       now=services.clock.now(), log=log)
    if view is None:
        await respond(**_ephemeral(prompts.NO_PAIR))
        return
    await client.views_open(trigger_id=command["trigger_id"], view=view)


async def handle_book_button(ack: AsyncAck, body: dict, client: AsyncWebClient, context: dict) -> None:
    """"Book a session" on Home: the same form as `/mentor schedule`."""
    await ack()
    services = services_of(context)
    view = await booking_form(services, client, team_id=team_of(body, context), user_id=body["user"]["id"],
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
    if outcome.outside is not None:
        await respond(**_ephemeral(booking_hours.build_outside_hours_warning(outcome.outside)))
        return
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        await respond(**_ephemeral(refusal_text(outcome, user_id)))
        return
    view = outcome.context.view(outcome.session, user_id)
    if log:
        await respond(**_ephemeral(prompts.build_logged_ack(view)))
    else:
        after_end = outcome.context.after_programme_end(outcome.session.starts_at)
        await respond(**_ephemeral(prompts.build_booked_ack(view, after_programme_end=after_end)))
    await after_change(services, client, outcome)


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
    user_id, team_id, form = body["user"]["id"], team_of(body, context), prompts.read_form(view)
    if form.when is None:
        await ack(response_action="errors", errors={prompts.WHEN_BLOCK: prompts.PICK_A_TIME})
        return
    if log:
        outcome = await bookings.log_held(services, client, team_id=team_id, user_id=user_id, starts_at=form.when,
                                          minutes=form.minutes, topic_key=form.topic_key, now=now, view_id=view.get("id", ""))
    else:
        outcome = await bookings.book(services, client, team_id=team_id, user_id=user_id, starts_at=form.when, minutes=form.minutes,
                                      topic_key=form.topic_key, location=form.location, now=now, view_id=view.get("id", ""),
                                      anyway=form.anyway)
        if outcome.outside is not None and outcome.context is not None:
            # Shown again with what was chosen, the time in both zones and a "book anyway" tick box.
            pair = outcome.context
            await ack(response_action="update", view=prompts.build_schedule_modal(
                initial=form.when, minutes=form.minutes or pair.default_minutes, topics=pair.topics(), topic_key=form.topic_key,
                metadata=view.get("private_metadata", ""), location=form.location, notes=booking_hours.form_warning(outcome.outside)))
            return
    await answer_submission(ack, services, client, outcome, user_id=user_id, block=prompts.WHEN_BLOCK)


# --- /mentor sessions -------------------------------------------------------------------------------


async def handle_sessions_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = services_of(context)
    listed = await bookings.list_sessions(services, client, team_id=command["team_id"], user_id=command["user_id"],
                                          now=services.clock.now())
    if listed is None:
        await respond(**_ephemeral(prompts.NO_PAIR))
        return
    await respond(**_ephemeral(session_list.build_sessions_list(*listed)))


# --- the choice under a typed time outside working hours --------------------------------------------


async def book_clicked_time(
    ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict, *, choice: str, anyway: bool
) -> None:
    """A button whose value is a time ("Book anyway", "Book this"), booked with the pair's defaults; the
    message clicked gives way to the answer. Its key is the choice itself: a double-click books once."""
    await ack()
    services, user_id, value = services_of(context), body["user"]["id"], str(action.get("value", ""))
    starts_at = booking_hours.anyway_time(value)
    if starts_at is None:
        return
    outcome = await bookings.book(services, client, team_id=team_of(body, context), user_id=user_id, starts_at=starts_at, minutes=0,
                                  topic_key=None, location="", now=services.clock.now(), view_id=f"{choice}:{user_id}:{value}", anyway=anyway)
    if outcome.repeat:
        return
    if outcome.outside is not None:  # hours changed since the time was offered: ask, as for a typed time
        await replace_clicked_message(client, body, respond, booking_hours.build_outside_hours_warning(outcome.outside))
        return
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        await replace_clicked_message(client, body, respond, prompts.build_refusal(refusal_text(outcome, user_id)))
        return
    after_end = outcome.context.after_programme_end(outcome.session.starts_at)
    booked = prompts.build_booked_ack(outcome.context.view(outcome.session, user_id), after_programme_end=after_end)
    await replace_clicked_message(client, body, respond, booked)
    await after_change(services, client, outcome)


async def handle_book_anyway(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict) -> None:
    """"Book anyway": the time the warning showed."""
    await book_clicked_time(ack, body, action, client, respond, context, choice="anyway", anyway=True)


async def handle_dont_book(ack: AsyncAck, body: dict, client: AsyncWebClient, respond: AsyncRespond) -> None:
    await ack()
    await replace_clicked_message(client, body, respond, booking_hours.build_not_booked())


# --- the buttons ------------------------------------------------------------------------------------


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("schedule")])(handle_schedule_command)
    app.command("/mentor", matchers=[subcommand("sessions")])(handle_sessions_command)
    app.command("/mentor", matchers=[subcommand("log")])(handle_log_command)
    app.action(prompts.SCHEDULE_OPEN_ACTION)(handle_book_button)
    app.action(booking_hours.BOOK_ANYWAY_ACTION)(handle_book_anyway)
    app.action(booking_hours.DONT_BOOK_ACTION)(handle_dont_book)
    app.view(prompts.SCHEDULE_CALLBACK)(handle_schedule_submission)
    app.view(prompts.LOG_CALLBACK)(handle_log_submission)
