"""Who may run admin commands: the programme's admins, and Slack workspace admins and owners."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.directory import SlackUsers
from bot.flows.programme_scope import admin_scope, runs_workspace
from bot.services import Services
from store import programmes
from store.models import Programme


async def is_programme_admin(
    session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str, setup_admins: Collection[str] = ()
) -> bool:
    """True for an admin of a running programme, or a workspace admin/owner (asked of Slack).

    With no programme yet, the first set-up is for a workspace admin or owner, or for someone the
    operator named in the settings (`setup_admins`, FLIPSIDE_SETUP_ADMINS): whoever does it becomes
    its admin. Between cohorts (none running) the last programme's admins still decide.
    """
    administered = await programmes.administered_ids(session, team_id=team_id, user_id=user_id)
    running = await programmes.running(session, team_id=team_id)
    if any(programme.id in administered for programme in running):
        return True
    last = await programmes.last_programme(session, team_id=team_id)
    if last is None:
        if user_id in setup_admins:
            return True
    elif not running and last.id in administered:
        return True
    return await runs_workspace(client, user_id)


@dataclass(frozen=True)
class AdminDoor:
    """Whether someone may act as an admin now, and on which programme (None: none is running)."""

    programme: Programme | None
    ask: list[str] | None = None  # when refused: the admins to ask instead (of the newest programme)
    first_setup: bool = False  # refused because there is no programme yet and they may not set the first up
    others: tuple[Programme, ...] = ()  # the admin's other running programmes

    def runs(self, programme_id: int) -> bool:
        """Whether a pair's programme is one this admin may act on: one of theirs that runs; with none
        running (the door let them in between cohorts), any, since no other admin's programme runs either."""
        if self.programme is None:
            return self.ask is None
        return any(programme.id == programme_id for programme in (self.programme, *self.others))


async def admin_door(
    session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str, setup_admins: Collection[str] = ()
) -> AdminDoor:
    """`is_programme_admin`, with what a refusal names and the programme an admin acts on (their
    programme in scope: `admin_scope`).

    The scope settles it whenever a programme runs (asking Slack about a workspace admin at most
    once); only with none running is `is_programme_admin` asked (between cohorts, or before the first)."""
    scope = await admin_scope(session, client, team_id=team_id, user_id=user_id)
    if scope.programme is not None:
        return AdminDoor(programme=scope.programme, others=scope.others)
    if not await programmes.running(session, team_id=team_id) and await is_programme_admin(
        session, client, team_id=team_id, user_id=user_id, setup_admins=setup_admins
    ):
        return AdminDoor(programme=None)
    latest = await programmes.last_programme(session, team_id=team_id)
    ask = await programmes.admin_ids(session, team_id=team_id, programme_id=latest.id) if latest else []
    return AdminDoor(programme=None, ask=ask, first_setup=latest is None)


async def enter_admin_door(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> AdminDoor:
    """The door on its own, read in its own transaction (before a form is answered)."""
    async with services.sessions.begin() as session:
        return await admin_door(session, client, team_id=team_id, user_id=user_id, setup_admins=services.settings.setup_admins)


async def admin_home_viewers(
    session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_ids: Sequence[str], users: SlackUsers, now: datetime
) -> set[str]:
    """Who among these people sees the admin Home: while programmes run, their admins and the
    workspace's admins and owners (none between cohorts). The programmes and their admins are read once
    for all of them, and Slack's word on workspace admins comes from `users` (minutes old at most):
    it only chooses a view, and every admin action still asks `is_programme_admin`."""
    running = await programmes.running(session, team_id=team_id)
    if not running:
        return set()
    admins = set(await programmes.admins_of(session, team_id=team_id, programme_ids=[programme.id for programme in running if programme.id is not None]))
    viewers = {user_id for user_id in user_ids if user_id in admins}
    for user_id in user_ids:
        if user_id not in viewers:
            user = await users.fetch(client, user_id, now=now)
            if user is not None and user.runs_workspace:
                viewers.add(user_id)
    return viewers


@dataclass(frozen=True)
class RollupDoor:
    """The running programmes someone may see rolled up, or (none) whom to ask."""

    programmes: list[Programme]
    whole_workspace: bool = False  # a Slack workspace admin or owner: every running programme
    ask: list[str] | None = None  # refused: the running programmes' admins (None: none is running)


async def rollup_door(session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str) -> RollupDoor:
    """A workspace admin or owner sees every running programme; a programme admin the running ones
    they administer; anyone else none (told whom to ask)."""
    running = sorted(await programmes.running(session, team_id=team_id), key=lambda programme: programme.id or 0)  # oldest first, as rows read
    if not running:
        return RollupDoor(programmes=[])
    administered = await programmes.administered_ids(session, team_id=team_id, user_id=user_id)
    mine = [programme for programme in running if programme.id in administered]
    if len(mine) < len(running):  # Slack is asked only when the answer could add programmes
        if await runs_workspace(client, user_id):
            return RollupDoor(programmes=running, whole_workspace=True)
    if mine:
        return RollupDoor(programmes=mine)
    ask = await programmes.admins_of(session, team_id=team_id, programme_ids=[p.id for p in running if p.id is not None])
    return RollupDoor(programmes=[], ask=ask)
