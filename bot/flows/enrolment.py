"""Enrolling people as an admin asks: by command, by the enrol form, and by the bulk form (which pairs
them too). Each use case writes in one transaction; the rules are `bot.flows.pairing`'s."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.flows import pairing
from bot.services import Services
from bot.views import programme_view
from domain.roles import Role
from prompts import profile as profile_prompts
from store import events
from store.models import Programme


async def enrol(services: Services, client: AsyncWebClient, *, programme: Programme, role: Role, user_ids: list[str]) -> pairing.EnrolResult:
    async with services.sessions.begin() as session:
        return await pairing.enrol_people(session, client, programme=programme, role=role, user_ids=user_ids, now=services.clock.now())


async def enrol_from_form(
    services: Services, client: AsyncWebClient, *, programme: Programme, chosen: dict[Role, list[str]], view_id: str
) -> pairing.EnrolResult | None:
    """Everyone chosen, in their role; None when Submit was pressed again (enrolled and reported already)."""
    result = pairing.EnrolResult(enrolled={}, already={}, refused=[])
    async with services.sessions.begin() as session:
        if not await events.first_submission(session, team_id=programme.team_id, view_id=view_id, now=services.clock.now()):
            return None
        for role, user_ids in chosen.items():
            one = await pairing.enrol_people(session, client, programme=programme, role=role, user_ids=user_ids, now=services.clock.now())
            result.enrolled[role] = one.enrolled[role]
            result.already[role] = one.already[role]
            result.refused.extend(one.refused)
    return result


async def enrol_and_pair_from_form(
    services: Services, client: AsyncWebClient, *, programme: Programme, text: str, view_id: str
) -> pairing.BulkResult | None:
    """The bulk form's lines; None when Submit was pressed again (paired and reported already)."""
    async with services.sessions.begin() as session:
        if not await events.first_submission(session, team_id=programme.team_id, view_id=view_id, now=services.clock.now()):
            return None
        return await pairing.enrol_and_pair_lines(session, client, programme=programme, text=text, now=services.clock.now())


async def invite_enrolled(client: AsyncWebClient, result: pairing.EnrolResult, programme: Programme) -> None:
    """Each person newly enrolled is asked, in a DM, to fill in their profile."""
    view = programme_view(programme)
    for role, user_ids in result.enrolled.items():
        for enrolled_id in user_ids:
            await pairing.send_dm(client, enrolled_id, profile_prompts.build_enrolled_invite(role, programme=view))
