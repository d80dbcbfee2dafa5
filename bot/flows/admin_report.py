"""The admin's report, through the disclosure gate, for an admin of the current programme only."""

from __future__ import annotations

from enum import StrEnum

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.disclosure import released_report
from bot.flows.permissions import is_programme_admin
from bot.services import Services
from domain.health import HealthReport
from store import programmes, reports
from store.models import Programme


class ReportRefusal(StrEnum):
    NO_PROGRAMME = "no_programme"
    NOT_ADMIN = "not_admin"


async def _admins_programme(session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str) -> Programme | ReportRefusal:
    """The current programme when this person is its admin; otherwise why not (no programme comes first)."""
    programme = await programmes.current_programme(session, team_id=team_id)
    if programme is None:
        return ReportRefusal.NO_PROGRAMME
    if not await is_programme_admin(session, client, team_id=team_id, user_id=user_id):
        return ReportRefusal.NOT_ADMIN
    return programme


async def admin_report(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> HealthReport | ReportRefusal:
    """The current programme's report as released to an admin, or why this person gets none."""
    async with services.sessions.begin() as session:
        programme = await _admins_programme(session, client, team_id=team_id, user_id=user_id)
        if isinstance(programme, ReportRefusal):
            return programme
        history = await reports.load_history(session, team_id=team_id, programme=programme)
        return await released_report(session, history, services.clock.now())
