"""`/mentor settings`: which optional nudges a person gets and when they are away, in a modal.
Thin: parse, call bot.flows.nudge_settings, render with prompts.nudges."""

from __future__ import annotations

from datetime import date

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import subcommand, team_of
from bot.flows import nudge_settings
from bot.services import services_of
from prompts import nudges as nudge_prompts


async def handle_settings_command(ack: AsyncAck, command: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    muted, away_until = await nudge_settings.current_settings(services_of(context), client, team_id=command["team_id"],
                                                              user_id=command["user_id"])
    await client.views_open(trigger_id=command["trigger_id"], view=nudge_prompts.build_settings_modal(muted=muted, away_until=away_until))


async def handle_settings_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    values = (view.get("state") or {}).get("values") or {}
    chosen = values.get(nudge_prompts.KINDS_BLOCK, {}).get(nudge_prompts.VALUE) or {}
    enabled = {option["value"] for option in chosen.get("selected_options") or []}
    away_raw = (values.get(nudge_prompts.AWAY_BLOCK, {}).get(nudge_prompts.VALUE) or {}).get("selected_date")
    away = date.fromisoformat(away_raw) if away_raw else None
    await ack()
    user_id = body["user"]["id"]
    muted = await nudge_settings.save_settings(services_of(context), team_id=team_of(body, context), user_id=user_id,
                                               view_id=view.get("id", ""), enabled=enabled, away_until=away)
    if muted is None:
        return  # Submit pressed again: saved and told already
    saved = nudge_prompts.build_settings_saved(muted=muted, away_until=away)
    await client.chat_postMessage(channel=user_id, text=saved["text"], blocks=saved["blocks"])


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("settings")])(handle_settings_command)
    app.view(nudge_prompts.SETTINGS_CALLBACK)(handle_settings_submission)
