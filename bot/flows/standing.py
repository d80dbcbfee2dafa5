"""Where each person stands, for their Home tab and the reply to `/mentor`: in a pair (its overview),
enrolled and waiting to be paired, or neither; and who among them sees the admin Home instead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.directory import known_people
from bot.flows.bookings import session_view
from bot.flows.overview import PairOverview, load_overviews
from bot.flows.permissions import admin_home_viewers
from bot.services import Services
from domain.roles import Role
from domain.views import PairView
from prompts.sessions import SessionView
from store import enrolments, programmes


@dataclass(frozen=True)
class Enrolled:
    """Enrolled in the running programme, not yet paired."""

    role: Role
    programme_name: str


@dataclass(frozen=True)
class Standing:
    pair: PairView | None = None
    next_session: SessionView | None = None  # the overview's next session, as this person reads it (their zone)
    enrolled: Enrolled | None = None


async def _enrolled(session: AsyncSession, *, team_id: str, user_ids: Sequence[str]) -> dict[str, Enrolled | None]:
    """Each person's enrolment in the running programme (None: not enrolled, or no programme running)."""
    programme = await programmes.current_programme(session, team_id=team_id) if user_ids else None
    found: dict[str, Enrolled | None] = dict.fromkeys(user_ids)
    if programme is None or programme.id is None:
        return found
    for user_id in user_ids:
        enrolment = await enrolments.get_enrolment(session, team_id=team_id, programme_id=programme.id, user_id=user_id)
        if enrolment is not None:
            found[user_id] = Enrolled(Role(enrolment.role), programme.name)
    return found


async def standings(services: Services, client: AsyncWebClient, *, team_id: str, user_ids: Sequence[str]) -> dict[str, Standing]:
    """Each person's standing for their Home, a pair's records read once for both, and the next session
    in each person's own zone (users.info, cached a day)."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        overviews = await load_overviews(session, team_id=team_id, user_ids=user_ids, now=now)
        waiting = await _enrolled(session, team_id=team_id, user_ids=[user_id for user_id in user_ids if overviews[user_id] is None])
        in_pairs = tuple(user_id for user_id in user_ids if overviews[user_id] is not None)
        people = await known_people(session, client, team_id=team_id, user_ids=in_pairs, now=now) if in_pairs else {}
    found = {user_id: Standing(enrolled=enrolled) for user_id, enrolled in waiting.items()}
    for user_id in in_pairs:
        overview = overviews[user_id]
        assert overview is not None
        upcoming = overview.next_session
        shown = session_view(upcoming, pair=overview.pair, reader=user_id, tz=people[user_id].tz) if upcoming is not None else None
        found[user_id] = Standing(pair=overview.view(), next_session=shown)
    return found


async def admin_home_audience(services: Services, client: AsyncWebClient, *, team_id: str, user_ids: Sequence[str]) -> set[str]:
    """Who among these people sees the admin Home (bot/flows/permissions.py says who)."""
    async with services.sessions() as session:
        return await admin_home_viewers(session, client, team_id=team_id, user_ids=user_ids, users=services.users, now=services.clock.now())


@dataclass(frozen=True)
class HelpStanding:
    """What `/mentor help` shows this person besides the commands: their pair (or their enrolment while
    they wait to be paired), and the admin commands when they are theirs to use."""

    pair: PairView | None
    admin: bool
    enrolled: Enrolled | None = None


def _view(overview: PairOverview | None) -> PairView | None:
    return overview.view() if overview is not None else None


async def help_standing(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> HelpStanding:
    """Read in one transaction. The admin commands are shown to the programme's admins (the last
    programme's, between cohorts) and, before any programme exists, to Slack's workspace admins and
    owners, who set the first one up."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        overview = (await load_overviews(session, team_id=team_id, user_ids=[user_id], now=now))[user_id]
        enrolled = (await _enrolled(session, team_id=team_id, user_ids=[user_id]))[user_id] if overview is None else None
        programme = await programmes.latest_programme(session, team_id=team_id)
        admins = await programmes.admin_ids(session, team_id=team_id, programme_id=programme.id) if programme and programme.id else []
    if programme is not None:
        return HelpStanding(pair=_view(overview), admin=user_id in admins, enrolled=enrolled)
    user = await services.users.fetch(client, user_id, now=now)
    return HelpStanding(pair=_view(overview), admin=user is not None and user.runs_workspace, enrolled=enrolled)
