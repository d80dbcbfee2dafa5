"""`/mentor profile`: someone's department and interests for matching, read for the form and saved
from it (once, however often Submit is pressed)."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import known_person
from bot.services import Services
from bot.views import person_view
from domain.views import PersonView
from store import events, people


async def current_profile(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> PersonView:
    async with services.sessions.begin() as session:
        person = await known_person(session, client, team_id=team_id, user_id=user_id, now=services.clock.now())
    return person_view(person)


async def save_profile(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, view_id: str, department: str, interests: list[str]
) -> PersonView | None:
    """The profile as saved, or None when this form was saved before."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return None  # Submit pressed again: saved and told already
        person = await known_person(session, client, team_id=team_id, user_id=user_id, now=now)
        person = await people.set_profile(session, person=person, department=department, interests=interests)
    return person_view(person)
