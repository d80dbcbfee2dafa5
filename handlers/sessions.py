"""`/mentor schedule`, `/mentor sessions`, `/mentor log`, `/mentor settings`, the session buttons and
their modals. Thin: parse, call bot.bookings, render with prompts, deliver the notices at once.

Commands and buttons acknowledge first and answer afterwards (response_url, chat.postEphemeral,
views.open with the trigger): their work reads the store and may call Slack, and Slack drops a
request not acknowledged within 3 seconds. Modal submissions answer in the ack, as field errors
must (`response_action`), so their work stays short: one transaction, notices delivered after."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import bookings
from bot.bookings import Outcome, Refusal
from bot.clients import fixed_client
from bot.commands import arguments, subcommand
from bot.delivery import deliver_due
from bot.directory import known_person
from bot.nudges import OPTIONAL_KINDS
from bot.quiet_hours import parse_muted
from bot.scheduling import default_start, is_late_cancellation, parse_when
from bot.services import Services
from domain.statuses import SessionStatus
from handlers.home import refresh_pair_homes
from prompts import nudges as nudge_prompts
from prompts import sessions as prompts
from store import events
from store.nudge_settings import save_nudge_settings

logger = logging.getLogger(__name__)


def _services(context: dict) -> Services:
    return context["services"]


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
    if outcome.refusal is Refusal.NO_PAIR:
        return prompts.NO_PAIR
    if outcome.refusal is Refusal.NOT_YOURS:
        return prompts.NOT_YOURS
    if outcome.refusal is Refusal.GONE:
        return prompts.build_session_gone()["text"]
    if outcome.refusal is Refusal.IN_THE_PAST:
        return prompts.PICKED_PAST
    if outcome.refusal is Refusal.IN_THE_FUTURE:
        return prompts.PICKED_FUTURE
    if outcome.refusal is Refusal.OVERLAP and outcome.clash is not None:
        tz = outcome.context.tz(user_id) if outcome.context is not None else "UTC"
        return prompts.overlap_text(outcome.clash, tz)
    return prompts.SOMETHING_WRONG


def _ephemeral(text_or_message: str | dict[str, Any]) -> dict[str, Any]:
    body = prompts.build_refusal(text_or_message) if isinstance(text_or_message, str) else text_or_message
    return {"response_type": "ephemeral", **body}


async def _tell(client: AsyncWebClient, body: dict, message: dict[str, Any]) -> None:
    """An answer to a button: ephemeral where the button was, or a DM from the Home tab."""
    user_id = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    if channel:
        await client.chat_postEphemeral(channel=channel, user=user_id, text=message["text"], blocks=message.get("blocks"))
    else:
        await client.chat_postMessage(channel=user_id, text=message["text"], blocks=message.get("blocks"))


# --- /mentor schedule and /mentor log -------------------------------------------------------------


async def _form_for(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, log: bool) -> dict[str, Any] | None:
    """The booking (or logging) form with the pair's defaults; None when the person has no active pair."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        pair = await bookings.load_pair_context(session, client, team_id=team_id, user_id=user_id, now=now)
    if pair is None:
        return None
    tz = pair.tz(user_id)
    if log:
        initial = (now - timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        return prompts.build_log_modal(initial=initial, minutes=pair.default_minutes, topics=pair.topics(),
                                       topic_key=pair.default_topic(), metadata=str(pair.pair.id))
    return prompts.build_schedule_modal(initial=default_start(now, tz), minutes=pair.default_minutes, topics=pair.topics(),
                                        topic_key=pair.default_topic(), metadata=str(pair.pair.id))


async def _open_form(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict, *, log: bool) -> None:
    await ack()
    view = await _form_for(_services(context), client, team_id=command["team_id"], user_id=command["user_id"], log=log)
    if view is None:
        await respond(**_ephemeral(prompts.NO_PAIR))
        return
    await client.views_open(trigger_id=command["trigger_id"], view=view)


async def handle_book_button(ack: AsyncAck, body: dict, client: AsyncWebClient, context: dict) -> None:
    """"Book a session" on Home: the same form as `/mentor schedule`."""
    await ack()
    view = await _form_for(_services(context), client, team_id=_team(body), user_id=body["user"]["id"], log=False)
    if view is None:
        await _tell(client, body, prompts.build_refusal(prompts.NO_PAIR))
        return
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def _typed(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict, typed: str, *, log: bool) -> None:
    await ack()
    services = _services(context)
    now = services.clock.now()
    team_id, user_id = command["team_id"], command["user_id"]
    async with services.sessions.begin() as session:
        pair = await bookings.load_pair_context(session, client, team_id=team_id, user_id=user_id, now=now)
    if pair is None:
        await respond(**_ephemeral(prompts.NO_PAIR))
        return
    parsed = parse_when(typed, tz=pair.tz(user_id), now=now, past=log)
    if parsed.when is None:
        assert parsed.problem is not None
        await respond(**_ephemeral(prompts.time_problem_text(parsed.problem, typed)))
        return
    if log:
        outcome = await bookings.log_held(services, client, team_id=team_id, user_id=user_id, starts_at=parsed.when,
                                          minutes=0, topic_key=None, now=now)
    else:
        outcome = await bookings.book(services, client, team_id=team_id, user_id=user_id, starts_at=parsed.when,
                                      minutes=0, topic_key=None, location="", now=now)
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        await respond(**_ephemeral(_refusal_text(outcome, user_id)))
        return
    view = outcome.context.view(outcome.session, user_id)
    if log:
        await respond(**_ephemeral(prompts.build_logged_ack(view)))
    else:
        await respond(**_ephemeral(prompts.build_booked_ack(view, after_programme_end=outcome.context.after_programme_end(parsed.when))))
    await _after_change(services, client, outcome)


async def handle_schedule_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    typed = arguments(command.get("text"), "schedule")
    if typed:
        await _typed(ack, respond, command, client, context, typed, log=False)
    else:
        await _open_form(ack, respond, command, client, context, log=False)


async def handle_log_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    typed = arguments(command.get("text"), "log")
    if typed:
        await _typed(ack, respond, command, client, context, typed, log=True)
    else:
        await _open_form(ack, respond, command, client, context, log=True)


def _value(view: dict, block_id: str) -> dict[str, Any]:
    return ((view.get("state") or {}).get("values") or {}).get(block_id, {}).get(prompts.VALUE) or {}


def _picked_time(view: dict) -> datetime | None:
    epoch = _value(view, prompts.WHEN_BLOCK).get("selected_date_time")
    return datetime.fromtimestamp(int(epoch), UTC) if epoch is not None else None


def _selected(view: dict, block_id: str) -> str | None:
    option = _value(view, block_id).get("selected_option")
    return option.get("value") if option else None


def _text(view: dict, block_id: str) -> str:
    return (_value(view, block_id).get("value") or "").strip()


async def handle_schedule_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    await _submit_form(ack, body, view, client, context, log=False)


async def handle_log_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    await _submit_form(ack, body, view, client, context, log=True)


async def _submit_form(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict, *, log: bool) -> None:
    services = _services(context)
    now = services.clock.now()
    user_id, team_id = body["user"]["id"], _team(body)
    when = _picked_time(view)
    if when is None:
        await ack(response_action="errors", errors={prompts.WHEN_BLOCK: prompts.PICK_A_TIME})
        return
    minutes = int(_selected(view, prompts.LENGTH_BLOCK) or 0)
    topic = _selected(view, prompts.TOPIC_BLOCK)
    if log:
        outcome = await bookings.log_held(services, client, team_id=team_id, user_id=user_id, starts_at=when,
                                          minutes=minutes, topic_key=topic, now=now, view_id=view.get("id", ""))
    else:
        outcome = await bookings.book(services, client, team_id=team_id, user_id=user_id, starts_at=when, minutes=minutes,
                                      topic_key=topic, location=_text(view, prompts.WHERE_BLOCK), now=now, view_id=view.get("id", ""))
    if outcome.repeat:
        await ack()  # Submit pressed again: booked and told already
        return
    if outcome.refusal is not None:
        await ack(response_action="errors", errors={prompts.WHEN_BLOCK: _refusal_text(outcome, user_id)})
        return
    await ack()
    await _after_change(services, client, outcome)


# --- /mentor sessions -------------------------------------------------------------------------------


async def handle_sessions_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = _services(context)
    now = services.clock.now()
    user_id = command["user_id"]
    pair, rows = await bookings.list_sessions(services, client, team_id=command["team_id"], user_id=user_id, now=now)
    if pair is None:
        await respond(**_ephemeral(prompts.NO_PAIR))
        return
    upcoming = [pair.view(row, user_id) for row in rows if row.status == SessionStatus.BOOKED and row.starts_at > now]
    past = [pair.view(row, user_id) for row in reversed(rows) if not (row.status == SessionStatus.BOOKED and row.starts_at > now)]
    await respond(**_ephemeral(prompts.build_sessions_list(upcoming, past)))


# --- the buttons ------------------------------------------------------------------------------------


def _session_id(action: dict) -> int | None:
    try:
        return int(str(action.get("value", "")).split(":")[0])
    except ValueError:
        return None


async def handle_confirm(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = _services(context)
    user_id = body["user"]["id"]
    session_id = _session_id(action)
    if session_id is None:
        return
    outcome = await bookings.confirm(services, client, team_id=_team(body), user_id=user_id, session_id=session_id,
                                     now=services.clock.now())
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        await _tell(client, body, prompts.build_refusal(_refusal_text(outcome, user_id)))
        return
    await _tell(client, body, prompts.build_confirmed_ack(outcome.context.view(outcome.session, user_id)))
    await _after_change(services, client, outcome)


async def _open_session_modal(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict, *, cancel: bool) -> None:
    await ack()
    services = _services(context)
    now = services.clock.now()
    user_id = body["user"]["id"]
    session_id = _session_id(action)
    if session_id is None:
        return
    outcome = await bookings.session_for(services, client, team_id=_team(body), user_id=user_id, session_id=session_id, now=now)
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        await _tell(client, body, prompts.build_refusal(_refusal_text(outcome, user_id)))
        return
    view = outcome.context.view(outcome.session, user_id)
    if cancel:
        modal = prompts.build_cancel_modal(view, late=is_late_cancellation(outcome.session.starts_at, now))
    else:
        modal = prompts.build_reschedule_modal(view, initial=outcome.session.starts_at)
    await client.views_open(trigger_id=body["trigger_id"], view=modal)


async def handle_reschedule_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await _open_session_modal(ack, body, action, client, context, cancel=False)


async def handle_cancel_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await _open_session_modal(ack, body, action, client, context, cancel=True)


async def handle_reschedule_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = _services(context)
    user_id = body["user"]["id"]
    when = _picked_time(view)
    if when is None:
        await ack(response_action="errors", errors={prompts.WHEN_BLOCK: prompts.PICK_A_TIME})
        return
    outcome = await bookings.reschedule(services, client, team_id=_team(body), user_id=user_id, session_id=int(view["private_metadata"]),
                                        starts_at=when, reason=_text(view, prompts.REASON_BLOCK), now=services.clock.now(),
                                        view_id=view.get("id", ""))
    if outcome.repeat:
        await ack()
        return
    if outcome.refusal is not None:
        await ack(response_action="errors", errors={prompts.WHEN_BLOCK: _refusal_text(outcome, user_id)})
        return
    await ack()
    await _after_change(services, client, outcome)


async def handle_cancel_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = _services(context)
    user_id = body["user"]["id"]
    outcome = await bookings.cancel(services, client, team_id=_team(body), user_id=user_id, session_id=int(view["private_metadata"]),
                                    reason=_text(view, prompts.REASON_BLOCK), now=services.clock.now(), view_id=view.get("id", ""))
    if outcome.repeat:
        await ack()
        return
    if outcome.refusal is not None:
        await ack(response_action="errors", errors={prompts.REASON_BLOCK: _refusal_text(outcome, user_id)})
        return
    await ack()
    await _after_change(services, client, outcome)


# --- /mentor settings -------------------------------------------------------------------------------


async def handle_settings_command(ack: AsyncAck, command: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = _services(context)
    async with services.sessions.begin() as session:
        person = await known_person(session, client, team_id=command["team_id"], user_id=command["user_id"], now=services.clock.now())
    modal = nudge_prompts.build_settings_modal(muted=parse_muted(person.muted_nudges), away_until=person.away_until)
    await client.views_open(trigger_id=command["trigger_id"], view=modal)


async def handle_settings_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = _services(context)
    values = (view.get("state") or {}).get("values") or {}
    chosen = values.get(nudge_prompts.KINDS_BLOCK, {}).get(nudge_prompts.VALUE) or {}
    enabled = {option["value"] for option in chosen.get("selected_options") or []}
    away_raw = (values.get(nudge_prompts.AWAY_BLOCK, {}).get(nudge_prompts.VALUE) or {}).get("selected_date")
    away = date.fromisoformat(away_raw) if away_raw else None
    await ack()
    muted = {kind for kind in OPTIONAL_KINDS if kind not in enabled}
    user_id = body["user"]["id"]
    async with services.sessions.begin() as session:
        if not await events.first_submission(session, team_id=_team(body), view_id=view.get("id", ""), now=services.clock.now()):
            return  # Submit pressed again: saved and told already
        await save_nudge_settings(session, team_id=_team(body), user_id=user_id, muted=muted, away_until=away, now=services.clock.now())
    saved = nudge_prompts.build_settings_saved(muted=muted, away_until=away)
    await client.chat_postMessage(channel=user_id, text=saved["text"], blocks=saved["blocks"])


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("schedule")])(handle_schedule_command)
    app.command("/mentor", matchers=[subcommand("sessions")])(handle_sessions_command)
    app.command("/mentor", matchers=[subcommand("log")])(handle_log_command)
    app.command("/mentor", matchers=[subcommand("settings")])(handle_settings_command)
    app.action(prompts.CONFIRM_ACTION)(handle_confirm)
    app.action(prompts.RESCHEDULE_ACTION)(handle_reschedule_button)
    app.action(prompts.CANCEL_ACTION)(handle_cancel_button)
    app.action(prompts.SCHEDULE_OPEN_ACTION)(handle_book_button)
    app.view(prompts.SCHEDULE_CALLBACK)(handle_schedule_submission)
    app.view(prompts.LOG_CALLBACK)(handle_log_submission)
    app.view(prompts.RESCHEDULE_CALLBACK)(handle_reschedule_submission)
    app.view(prompts.CANCEL_CALLBACK)(handle_cancel_submission)
    app.view(nudge_prompts.SETTINGS_CALLBACK)(handle_settings_submission)
