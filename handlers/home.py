"""The App Home tab, published whenever someone opens it."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from handlers import admin_home
from prompts import home as home_prompts

logger = logging.getLogger(__name__)


async def handle_app_home_opened(event: dict, client: AsyncWebClient, context: dict) -> None:
    if event.get("tab") != "home":
        return
    if await admin_home.publish_admin_home(client, context["services"], team_id=context["team_id"], user_id=event["user"]):
        return
    await client.views_publish(user_id=event["user"], view=home_prompts.build_welcome_home())


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(handle_app_home_opened)
