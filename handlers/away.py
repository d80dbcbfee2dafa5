"""`/mentor away until <day>`, `/mentor away off` and `/mentor away`: hold someone's nudges while they are away."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import arguments, subcommand
from bot.flows.away import change_away
from bot.services import services_of
from prompts import profile as profile_prompts


async def handle_away_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()  # first: knowing the person's zone may mean asking Slack (users.info)
    outcome = await change_away(
        services_of(context), client, team_id=command["team_id"], user_id=command["user_id"], given=arguments(command.get("text"), "away")
    )
    if outcome.problem is not None:
        reply = profile_prompts.build_away_refused(outcome.typed, outcome.problem)
    elif outcome.back:
        reply = profile_prompts.build_away_off()
    else:
        reply = profile_prompts.build_away_set(outcome.away_until)
    await respond(**reply)


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("away")])(handle_away_command)
