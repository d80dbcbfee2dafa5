"""`/mentor` and `/mentor help`, and the answer to any subcommand the bot does not know."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import did_you_mean, words
from bot.flows.standing import help_standing
from bot.services import services_of
from prompts import help as help_prompts


async def help_message(client: AsyncWebClient, context: dict, *, team_id: str, user_id: str, unknown: str | None = None) -> dict:
    """The help as this person sees it: their pair, and the admin commands when they are theirs."""
    standing = await help_standing(services_of(context), client, team_id=team_id, user_id=user_id)
    enrolled = (standing.enrolled.role, standing.enrolled.programme_name) if standing.enrolled is not None else None
    return help_prompts.build_help_message(unknown=unknown, pair=standing.pair, admin=standing.admin, enrolled=enrolled)


async def handle_help_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    # Acknowledge first and answer through response_url: reading the store may be slow.
    await ack()
    text = command.get("text")
    given = words(text)
    unknown = " ".join(given) if given and given[0].lower() != "help" else None
    meant = did_you_mean(text) if unknown else None
    if unknown and meant:
        await respond(response_type="ephemeral", **help_prompts.build_did_you_mean(unknown, meant))
        return
    team_id = command.get("team_id") or context.get("team_id") or ""
    await respond(response_type="ephemeral", **await help_message(client, context, team_id=team_id, user_id=command["user_id"], unknown=unknown))


def register(app: AsyncApp) -> None:
    app.command("/mentor")(handle_help_command)
