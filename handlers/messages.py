"""Direct messages to the bot. Until a conversation is waiting on an answer, `help` gets the help and
anything else a pointer to it; a file shared in the DM goes to the org chart's import."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp, AsyncSay
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import asks_for_help
from handlers import admin_org, reflections
from handlers.help import help_message
from prompts import help as help_prompts


async def handle_direct_message(event: dict, say: AsyncSay, client: AsyncWebClient, context: dict) -> None:
    if event.get("subtype") == "file_share" and not event.get("bot_id"):
        await admin_org.file_shared_in_dm(event, client, context)  # an org chart as a .csv, from an admin
        return
    # Edits, joins and bot posts arrive as subtypes: only a person's own new message gets a reply.
    if event.get("subtype") or event.get("bot_id"):
        return
    if await reflections.answer_in_dm(event, client, context):
        return
    team_id, user_id = context.get("team_id") or event.get("team"), event.get("user")
    if asks_for_help(event.get("text")) and team_id and user_id:
        await say(**await help_message(client, context, team_id=team_id, user_id=user_id))
        return
    await say(**help_prompts.build_dm_pointer())


def register(app: AsyncApp) -> None:
    app.event({"type": "message", "channel_type": "im"})(handle_direct_message)
