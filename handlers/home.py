"""The App Home tab: published when someone opens it, and again whenever their pair's set-up changes.

Admins of the running programme see the admin Home; people in a pair see their pair; anyone else
sees the welcome.
"""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.overview import load_overview
from bot.services import Services
from handlers import admin_home
from prompts import home as home_prompts

logger = logging.getLogger(__name__)


async def build_home_for(services: Services, *, team_id: str, user_id: str) -> dict:
    async with services.sessions.begin() as session:
        overview = await load_overview(session, team_id=team_id, user_id=user_id)
    if overview is None:
        return home_prompts.build_welcome_home()
    return home_prompts.build_participant_home(overview)


async def publish_home(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> None:
    if await admin_home.publish_admin_home(client, services, team_id=team_id, user_id=user_id):
        return
    await client.views_publish(user_id=user_id, view=await build_home_for(services, team_id=team_id, user_id=user_id))


async def refresh_homes(services: Services, client: AsyncWebClient, *, team_id: str, user_ids: list[str]) -> None:
    """Republish Home for each person after a change; one failure doesn't stop the others."""
    for user_id in user_ids:
        try:
            await publish_home(services, client, team_id=team_id, user_id=user_id)
        except SlackApiError:
            logger.exception("could not refresh the Home tab for %s", user_id)


async def handle_app_home_opened(event: dict, client: AsyncWebClient, context: dict) -> None:
    if event.get("tab") != "home":
        return
    await publish_home(context["services"], client, team_id=context["team_id"], user_id=event["user"])


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(handle_app_home_opened)
