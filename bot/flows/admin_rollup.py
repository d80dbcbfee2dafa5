"""The roll-up report (`/mentor admin report all`): each running programme this person may see,
released through the disclosure gate, and their total as the gate allows it."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.flows.disclosure import answer_people, released_report, released_total
from bot.flows.permissions import rollup_door
from bot.services import Services
from domain.rollup import Rollup, RollupRefused
from store import reports


async def admin_rollup(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> Rollup | RollupRefused:
    """Every programme's released report (recording releases as the single report does) and, across
    several, the total; or why this person gets none."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        door = await rollup_door(session, client, team_id=team_id, user_id=user_id)
        if not door.programmes:
            return RollupRefused(no_programme=door.ask is None, ask=door.ask or [])
        rows = []
        for programme in door.programmes:
            history = await reports.load_history(session, team_id=team_id, programme=programme)
            report = await released_report(session, history, now)
            rows.append((report, answer_people(history, report)))
    total = released_total(rows) if len(rows) > 1 else None
    return Rollup(reports=[report for report, _ in rows], total=total, whole_workspace=door.whole_workspace)
