"""`/mentor schedule suggest`: three times that suit both people, each with "Book this", which books it
through the same flow as any booking (its checks, its messages, once however often it is clicked).
Registered before handlers/sessions.py, whose `/mentor schedule <when>` would read "suggest" as a time."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import subcommand, team_of
from bot.flows import bookings
from bot.flows.suggestions import suggested_times
from bot.services import services_of
from handlers.pair_support import replace_clicked_message
from handlers.sessions import after_change, refusal_text
from prompts import booking_hours
from prompts import sessions as prompts
from prompts import suggestions as words


async def handle_suggest_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    found = await suggested_times(services_of(context), client, team_id=command["team_id"], user_id=command["user_id"])
    if found is None:
        await respond(response_type="ephemeral", **prompts.build_refusal(prompts.NO_PAIR))
        return
    await respond(response_type="ephemeral", **words.build_suggestions(
        found.times, tz=found.tz, partner_id=found.partner_id, partner_tz=found.partner_tz, minutes=found.minutes,
        problem=found.problem, start_hour=found.hours.start_hour, end_hour=found.hours.end_hour,
    ))


async def handle_book_suggested(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict) -> None:
    """"Book this": the suggested time, booked with the pair's defaults; the list gives way to the answer."""
    await ack()
    services, user_id, value = services_of(context), body["user"]["id"], str(action.get("value", ""))
    starts_at = booking_hours.anyway_time(value)
    if starts_at is None:
        return
    # Its key is the choice itself: a double-click books once.
    outcome = await bookings.book(services, client, team_id=team_of(body, context), user_id=user_id, starts_at=starts_at, minutes=0,
                                  topic_key=None, location="", now=services.clock.now(), view_id=f"suggested:{user_id}:{value}")
    if outcome.repeat:
        return
    if outcome.outside is not None:  # the programme's hours changed since the list was shown: ask, as for a typed time
        await replace_clicked_message(client, body, respond, booking_hours.build_outside_hours_warning(outcome.outside))
        return
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        await replace_clicked_message(client, body, respond, prompts.build_refusal(refusal_text(outcome, user_id)))
        return
    after_end = outcome.context.after_programme_end(outcome.session.starts_at)
    booked = prompts.build_booked_ack(outcome.context.view(outcome.session, user_id), after_programme_end=after_end)
    await replace_clicked_message(client, body, respond, booked)
    await after_change(services, client, outcome)


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("schedule", "suggest")])(handle_suggest_command)
    app.action(words.SUGGESTED_BOOK_ACTION)(handle_book_suggested)
