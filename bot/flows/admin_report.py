"""The admin's report, through the disclosure gate, for an admin of the current programme only."""

from __future__ import annotations

from enum import StrEnum

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.disclosure import released_report
from bot.flows.permissions import admin_door
from bot.services import Services
from domain.health import HealthReport
from store import programmes, reports
from store.models import Programme


class ReportRefusal(StrEnum):
    NO_PROGRAMME = "no_programme"
    NOT_ADMIN = "not_admin"


async def _admins_programme(session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str) -> Programme | ReportRefusal:
    """The admin's programme in scope; otherwise why not (no programme running comes first)."""
    if not await programmes.running(session, team_id=team_id):
        return ReportRefusal.NO_PROGRAMME
    door = await admin_door(session, client, team_id=team_id, user_id=user_id)
    return door.programme if door.ask is None and door.programme is not None else ReportRefusal.NOT_ADMIN


async def admin_report(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> HealthReport | ReportRefusal:
    """The current programme's report as released to an admin, or why this person gets none."""
    async with services.sessions.begin() as session:
        programme = await _admins_programme(session, client, team_id=team_id, user_id=user_id)
        if isinstance(programme, ReportRefusal):
            return programme
        history = await reports.load_history(session, team_id=team_id, programme=programme)
        return await released_report(session, history, services.clock.now())
