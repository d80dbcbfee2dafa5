"""`/mentor` and `/mentor help`, and the answer to any subcommand the bot does not know."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.commands import words
from bot.flows.overview import load_overview
from bot.services import services_of
from prompts import help as help_prompts


async def handle_help_command(ack: AsyncAck, respond: AsyncRespond, command: dict, context: dict) -> None:
    # Acknowledge first and answer through response_url: reading the store may be slow.
    await ack()
    given = words(command.get("text"))
    unknown = " ".join(given) if given and given[0].lower() != "help" else None
    services = services_of(context)
    async with services.sessions.begin() as session:
        overview = await load_overview(
            session, team_id=command.get("team_id") or context.get("team_id") or "", user_id=command["user_id"], now=services.clock.now()
        )
    await respond(response_type="ephemeral", **help_prompts.build_help_message(unknown=unknown, overview=overview))


def register(app: AsyncApp) -> None:
    app.command("/mentor")(handle_help_command)
