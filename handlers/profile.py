"""`/mentor profile`: someone's department and the topics they care about, used for matching."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import subcommand
from bot.flows.pairing import send_dm
from bot.flows.profile import current_profile, save_profile
from bot.services import Services, services_of
from bot.view_state import read_state
from prompts import profile as profile_prompts


async def _open_profile(client: AsyncWebClient, services: Services, *, team_id: str, user_id: str, trigger_id: str) -> None:
    profile = await current_profile(services, client, team_id=team_id, user_id=user_id)
    await client.views_open(trigger_id=trigger_id, view=profile_prompts.build_profile_modal(profile))


async def handle_profile_command(ack: AsyncAck, command: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    await _open_profile(client, services_of(context), team_id=command["team_id"], user_id=command["user_id"], trigger_id=command["trigger_id"])


async def handle_profile_button(ack: AsyncAck, body: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    await _open_profile(client, services_of(context), team_id=body["team"]["id"], user_id=body["user"]["id"], trigger_id=body["trigger_id"])


async def handle_profile_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    state = read_state(view)
    department = (state.get("department") or "").strip()
    errors = profile_prompts.build_profile_errors(department)
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    catalogue = profile_prompts.topic_catalogue()
    interests = [key for key in state.get("interests") or [] if key in catalogue]
    await ack()
    profile = await save_profile(
        services_of(context), client, team_id=team_id, user_id=user_id, view_id=view.get("id", ""), department=department, interests=interests
    )
    if profile is None:  # Submit pressed again: saved and told already
        return
    await send_dm(client, user_id, profile_prompts.build_profile_saved(profile))


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("profile")])(handle_profile_command)
    app.action(profile_prompts.PROFILE_OPEN_ACTION)(handle_profile_button)
    app.view(profile_prompts.PROFILE_CALLBACK)(handle_profile_submission)
