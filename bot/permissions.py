"""Who may run admin commands: the programme's admins, and Slack workspace admins and owners."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.directory import SlackUsers, fetch_user
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
    return user is not None and user.runs_workspace


async def admin_home_viewers(
    session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_ids: Sequence[str], users: SlackUsers, now: datetime
) -> set[str]:
    """Who among these people sees the admin Home: while a programme runs, its admins and the
    workspace's admins and owners (none between cohorts). The programme and its admins are read once
    for all of them, and Slack's word on workspace admins comes from `users` (minutes old at most):
    it only chooses a view, and every admin action still asks `is_programme_admin`."""
    programme = await programmes.current_programme(session, team_id=team_id)
    if programme is None or programme.id is None:
        return set()
    admins = set(await programmes.admin_ids(session, team_id=team_id, programme_id=programme.id))
    viewers = {user_id for user_id in user_ids if user_id in admins}
    for user_id in user_ids:
        if user_id not in viewers:
            user = await users.fetch(client, user_id, now=now)
            if user is not None and user.runs_workspace:
                viewers.add(user_id)
    return viewers
