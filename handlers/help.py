"""`/mentor` and `/mentor help`, and the answer to any subcommand the bot does not know."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.commands import words
from prompts import help as help_prompts


async def handle_help_command(ack: AsyncAck, command: dict) -> None:
    given = words(command.get("text"))
    unknown = " ".join(given) if given and given[0].lower() != "help" else None
    await ack(response_type="ephemeral", **help_prompts.build_help_message(unknown=unknown))


def register(app: AsyncApp) -> None:
    app.command("/mentor")(handle_help_command)
