"""`/mentor schedule suggest`: three times that suit both people, each with "Book this", which books it
through the same flow as any booking (its checks, its messages, once however often it is clicked).
Registered before handlers/sessions.py, whose `/mentor schedule <when>` would read "suggest" as a time."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import subcommand
from bot.flows.suggestions import suggested_times
from bot.services import services_of
from handlers.sessions import book_clicked_time
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
    """"Book this": the suggested time, through the same checks as any booking."""
    await book_clicked_time(ack, body, action, client, respond, context, choice="suggested", anyway=False)


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("schedule", "suggest")])(handle_suggest_command)
    app.action(words.SUGGESTED_BOOK_ACTION)(handle_book_suggested)
