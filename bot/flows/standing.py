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
from bot.flows.programme_scope import Scope, member_scope
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
    programme: str | None = None  # the programme it is about, named when the person has others
    others: tuple[tuple[int, str], ...] = ()  # their other running programmes (id, name), to switch to


async def _enrolled(session: AsyncSession, *, team_id: str, scopes: dict[str, Scope]) -> dict[str, Enrolled | None]:
    """Each person's enrolment in their running programme in scope (None: not enrolled, or no programme running)."""
    found: dict[str, Enrolled | None] = dict.fromkeys(scopes)
    for user_id, scope in scopes.items():
        programme = scope.programme
        if programme is None or programme.id is None:
            continue
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
        scopes = {user_id: await member_scope(session, team_id=team_id, user_id=user_id) for user_id in user_ids}
        waiting = await _enrolled(session, team_id=team_id, scopes={user_id: scopes[user_id] for user_id in user_ids if overviews[user_id] is None})
        in_pairs = tuple(user_id for user_id in user_ids if overviews[user_id] is not None)
        # The partners too: the Home's next session names them, in its calendar links as in the booking message.
        partners = tuple(overview.partner_id for user_id in in_pairs if (overview := overviews[user_id]) is not None)
        everyone = tuple(dict.fromkeys(in_pairs + partners))
        people = await known_people(session, client, team_id=team_id, user_ids=everyone, now=now) if in_pairs else {}
    named = {
        user_id: {"programme": scope.programme.name if scope.programme else None, "others": scope.switches}
        for user_id, scope in scopes.items()
    }
    found = {user_id: Standing(enrolled=enrolled, **named[user_id]) for user_id, enrolled in waiting.items()}
    for user_id in in_pairs:
        overview = overviews[user_id]
        assert overview is not None
        upcoming = overview.next_session
        partner = people.get(overview.partner_id)
        shown = session_view(
            upcoming, pair=overview.pair, reader=user_id, tz=people[user_id].tz, partner_tz=partner.tz if partner is not None else "",
            partner_name=partner.name if partner is not None else "",
        ) if upcoming is not None else None
        found[user_id] = Standing(pair=overview.view(), next_session=shown, **named[user_id])
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
        scope = await member_scope(session, team_id=team_id, user_id=user_id) if overview is None else None
        enrolled = (await _enrolled(session, team_id=team_id, scopes={user_id: scope}))[user_id] if scope is not None else None
        last = await programmes.last_programme(session, team_id=team_id)
        running = {programme.id for programme in await programmes.running(session, team_id=team_id)}
        administered = await programmes.administered_ids(session, team_id=team_id, user_id=user_id)
    if last is not None:
        admin = bool(administered & running) if running else last.id in administered
        return HelpStanding(pair=_view(overview), admin=admin, enrolled=enrolled)
    user = await services.users.fetch(client, user_id, now=now)
    return HelpStanding(pair=_view(overview), admin=user is not None and user.runs_workspace, enrolled=enrolled)
