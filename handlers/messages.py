"""Direct messages to the bot. Until a conversation is waiting on an answer, point people to help."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp, AsyncSay
from slack_sdk.web.async_client import AsyncWebClient

from handlers import reflections
from prompts import help as help_prompts


async def handle_direct_message(event: dict, say: AsyncSay, client: AsyncWebClient, context: dict) -> None:
    # Edits, joins and bot posts arrive as subtypes: only a person's own new message gets a reply.
    if event.get("subtype") or event.get("bot_id"):
        return
    if await reflections.answer_in_dm(event, client, context):
        return
    await say(**help_prompts.build_dm_pointer())


def register(app: AsyncApp) -> None:
    app.event({"type": "message", "channel_type": "im"})(handle_direct_message)
