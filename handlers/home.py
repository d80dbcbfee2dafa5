"""The App Home tab: published when someone opens it, and again whenever their pair changes.

Admins of the running programme see the admin Home; people in a pair see their pair; anyone else
sees the welcome. Every handler that changes a pair's state ends with `refresh_homes` for both.
"""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.bookings import session_view
from bot.directory import known_person
from bot.overview import load_overview
from bot.services import Services
from handlers import admin_home
from prompts import home as home_prompts
from store.models import Pair

logger = logging.getLogger(__name__)


async def build_home_for(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> dict:
    now = services.clock.now()
    async with services.sessions.begin() as session:
        overview = await load_overview(session, team_id=team_id, user_id=user_id, now=now)
        if overview is None:
            return home_prompts.build_welcome_home()
        # Times on Home are in the viewer's own zone, as in every message (users.info, cached a day).
        person = await known_person(session, client, team_id=team_id, user_id=user_id, now=now)
    upcoming = overview.next_session
    shown = session_view(upcoming, pair=overview.pair, reader=user_id, tz=person.tz) if upcoming is not None else None
    return home_prompts.build_participant_home(overview, next_session=shown)


async def publish_home(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> None:
    if await admin_home.publish_admin_home(client, services, team_id=team_id, user_id=user_id):
        return
    await client.views_publish(user_id=user_id, view=await build_home_for(services, client, team_id=team_id, user_id=user_id))


async def refresh_homes(services: Services, client: AsyncWebClient, *, team_id: str, user_ids: list[str]) -> None:
    """Republish Home for each person after a change. The change is already saved and told, so a
    failure here (Slack refusing, a deactivated person, a bug in building the view) is logged and
    neither undoes it nor stops the other person's Home."""
    for user_id in user_ids:
        try:
            await publish_home(services, client, team_id=team_id, user_id=user_id)
        except Exception:
            logger.exception("could not refresh the Home tab for %s", user_id)


async def refresh_pair_homes(services: Services, client: AsyncWebClient, pair: Pair) -> None:
    """Both members' Home, after a change to their pair (a session, an action, a reflection)."""
    await refresh_homes(services, client, team_id=pair.team_id, user_ids=[pair.mentor_id, pair.mentee_id])


async def handle_app_home_opened(event: dict, client: AsyncWebClient, context: dict) -> None:
    if event.get("tab") != "home":
        return
    await publish_home(context["services"], client, team_id=context["team_id"], user_id=event["user"])


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(handle_app_home_opened)
