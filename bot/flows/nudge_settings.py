"""`/mentor settings`: which optional nudges a person gets and when they are away, read for the form
and saved from it (once, however often Submit is pressed)."""

from __future__ import annotations

from datetime import date

from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import known_person
from bot.rules.nudges import OPTIONAL_KINDS
from bot.rules.quiet_hours import parse_muted
from bot.services import Services
from store import events
from store.nudge_settings import save_nudge_settings


async def current_settings(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> tuple[set[str], date | None]:
    """The nudge kinds the person has muted, and the day they are away until (None when not away)."""
    async with services.sessions.begin() as session:
        person = await known_person(session, client, team_id=team_id, user_id=user_id, now=services.clock.now())
    return parse_muted(person.muted_nudges), person.away_until


async def save_settings(
    services: Services, *, team_id: str, user_id: str, view_id: str, enabled: set[str], away_until: date | None
) -> set[str] | None:
    """Mute every optional kind not ticked; the kinds now muted, or None when this form was saved before."""
    muted = {kind for kind in OPTIONAL_KINDS if kind not in enabled}
    now = services.clock.now()
    async with services.sessions.begin() as session:
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return None  # Submit pressed again: saved and told already
        await save_nudge_settings(session, team_id=team_id, user_id=user_id, muted=muted, away_until=away_until, now=now)
    return muted
