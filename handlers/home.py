"""The App Home tab: published when someone opens it, and again whenever their pair changes.

Admins of the running programme see the admin Home; people in a pair see their pair; people enrolled
and waiting to be paired are told so; anyone else sees the welcome. Thin: bot/flows/standing.py reads,
prompts/home.py words. Every handler that changes a pair's state ends with `republish_homes` for both.
"""

from __future__ import annotations

import logging
from typing import Protocol

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.flows.standing import Standing, admin_home_audience, standings
from bot.services import Services, services_of
from handlers import admin_home
from prompts import home as home_prompts
from prompts import programmes as programme_words

logger = logging.getLogger(__name__)


class PairMembers(Protocol):
    """What republishing a pair's Homes reads of it."""

    team_id: str
    mentor_id: str
    mentee_id: str


def participant_home(standing: Standing) -> dict:
    """Someone's own Home: their pair, their enrolment while they wait to be paired, or the welcome;
    headed by the programme it is about when they are in more than one."""
    if standing.pair is not None:
        home = home_prompts.build_participant_home(standing.pair, next_session=standing.next_session)
    elif standing.enrolled is not None:
        home = home_prompts.build_enrolled_home(standing.enrolled.role, programme_name=standing.enrolled.programme_name)
    else:
        return home_prompts.build_welcome_home()
    if standing.programme is not None and standing.others:
        home = programme_words.headed(home, standing.programme, standing.others)
    return home


async def build_participant_homes(services: Services, client: AsyncWebClient, *, team_id: str, user_ids: list[str]) -> dict[str, dict]:
    """Each person's own Home, with a pair's records read once for both."""
    found = await standings(services, client, team_id=team_id, user_ids=user_ids)
    return {user_id: participant_home(found[user_id]) for user_id in user_ids}


async def refresh_homes(services: Services, client: AsyncWebClient, *, team_id: str, user_ids: list[str]) -> None:
    """Publish each person's Home: the admin Home for admins of the running programme, their own
    for everyone else. After a change, the change is already saved and told, so a failure here (Slack
    refusing, a deactivated person, a bug in building the view) is logged and neither undoes it nor
    stops the other person's Home."""
    try:
        admins = await admin_home_audience(services, client, team_id=team_id, user_ids=user_ids)
        participants = [user_id for user_id in user_ids if user_id not in admins]
        homes = await build_participant_homes(services, client, team_id=team_id, user_ids=participants) if participants else {}
    except Exception:
        logger.exception("could not build the Home tab for %s", ", ".join(user_ids))
        return
    for user_id in user_ids:
        try:
            if user_id in admins and await admin_home.publish_admin_home(client, services, team_id=team_id, user_id=user_id):
                continue
            home = homes.get(user_id) or (await build_participant_homes(services, client, team_id=team_id, user_ids=[user_id]))[user_id]
            await client.views_publish(user_id=user_id, view=home)
        except Exception:
            logger.exception("could not refresh the Home tab for %s", user_id)


def republish_homes(services: Services, client: AsyncWebClient, *, team_id: str, user_ids: list[str]) -> None:
    """After a change: these people's Homes, republished in the background once the change's own
    answer has gone, and not twice over while one republishing still waits (bot/background.py)."""
    people = list(dict.fromkeys(user_ids))
    services.background.once(("home", team_id, *people), lambda: refresh_homes(services, client, team_id=team_id, user_ids=people))


def refresh_pair_homes(services: Services, client: AsyncWebClient, pair: PairMembers) -> None:
    """Both members' Home, after a change to their pair (a session, an action, a reflection)."""
    republish_homes(services, client, team_id=pair.team_id, user_ids=[pair.mentor_id, pair.mentee_id])


async def handle_app_home_opened(event: dict, client: AsyncWebClient, context: dict) -> None:
    if event.get("tab") != "home":
        return
    await refresh_homes(services_of(context), client, team_id=context["team_id"], user_ids=[event["user"]])


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(handle_app_home_opened)
