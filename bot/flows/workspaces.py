"""A workspace seen under an org-wide install, remembered so the sweep can find the org's token from its team_id."""

from __future__ import annotations

from bot.services import Services
from store import workspaces


async def note_org_workspace(services: Services, *, team_id: str, enterprise_id: str) -> bool:
    """Remember a workspace of an Enterprise Grid org install the first time a request comes from it; True if new."""
    async with services.sessions.begin() as session:
        return await workspaces.note_workspace(session, team_id=team_id, enterprise_id=enterprise_id, now=services.clock.now())
