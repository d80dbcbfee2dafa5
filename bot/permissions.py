"""Who may run admin commands: the programme's admins, and Slack workspace admins and owners."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.directory import fetch_user
from store import programmes


async def is_programme_admin(session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str) -> bool:
    """True for an admin of the current programme, or a workspace admin/owner (asked of Slack).

    With no programme yet, anyone may set one up: the first to do so becomes its admin. Between
    cohorts (the last programme closed) the last programme's admins still decide.
    """
    programme = await programmes.latest_programme(session, team_id=team_id)
    if programme is None:
        return True
    if user_id in await programmes.admin_ids(session, team_id=team_id, programme_id=programme.id):
        return True
    user = await fetch_user(client, user_id)
    return user is not None and (user.is_admin or user.is_owner)
