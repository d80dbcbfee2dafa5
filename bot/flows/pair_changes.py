"""An admin pauses or resumes someone's pair (ending one asks first: bot/flows/pair_end.py): which
change each verb makes, the pause's end date, and the change itself (only from the status it expects, so a double-click changes it once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import known_person
from bot.flows.pairing import MENTION
from bot.flows.permissions import admin_door
from bot.flows.programme_scope import admin_scope, pair_in_scope
from bot.rules.time_reading import parse_day
from bot.services import Services
from domain.statuses import PairStatus
from domain.times import TimeProblem
from store import pairs
from store.models import Pair

PAIR_VERBS = ("pause", "resume")  # end and unpair ask first: bot/flows/pair_end.py

CHANGES = {
    # verb: (new status, the status it must be in now, what the pair is told)
    "pause": (PairStatus.PAUSED, PairStatus.ACTIVE, "paused"),
    "resume": (PairStatus.ACTIVE, PairStatus.PAUSED, "resumed"),
}


@dataclass(frozen=True)
class BadPauseDate:
    text: str  # as typed
    problem: TimeProblem


def pause_until(text: str, *, tz: str, now: datetime) -> date | BadPauseDate | None:
    """`pause @someone [until] <day>`: the day the pause ends (after today in the admin's zone `tz`),
    or None for no end."""
    date_text = MENTION.sub("", text or "").strip().removeprefix("until").strip()
    if not date_text:
        return None
    read = parse_day(date_text, tz=tz, now=now, after_today=True)
    return read.day if read.day is not None else BadPauseDate(date_text, read.problem or TimeProblem.UNPARSEABLE)


async def read_pause_until(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, text: str) -> date | BadPauseDate | None:
    """`pause_until` read in the zone of the admin who typed it."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        admin = await known_person(session, client, team_id=team_id, user_id=user_id, now=now)
    return pause_until(text, tz=admin.tz, now=now)


@dataclass(frozen=True)
class PairChange:
    pair: Pair | None  # the person's current pair (None: they have none)
    before: PairStatus | None  # its status before
    changed: bool
    change: str  # what the pair is told: paused or resumed
    several: bool = False  # the admin runs several programmes: "no pair" means none in the one in scope


async def change_pair(
    services: Services, client: AsyncWebClient, *, team_id: str, admin_id: str, subject: str, verb: str, until: date | None = None
) -> PairChange:
    """Make the verb's change to `subject`'s pair in the admin's programme, if it is in the status the change expects."""
    status, expected, change = CHANGES[verb]
    changed = False
    async with services.sessions.begin() as session:
        scope = await admin_scope(session, client, team_id=team_id, user_id=admin_id)
        pair = await pair_in_scope(session, team_id=team_id, user_id=subject, within=scope.programme)
        before = pair.status if pair is not None else None
        if pair is not None and before == expected:
            changed = await pairs.set_status(
                session, team_id=team_id, pair_id=pair.id, status=status, expected=expected, now=services.clock.now(), paused_until=until
            )
    return PairChange(pair=pair, before=before, changed=changed, change=change, several=scope.several)


@dataclass(frozen=True)
class ResumeOutcome:
    """What the Resume button did: `ask` when refused; else the pair (None: no such pair) and whether
    this click resumed it, or it was active already (a double-click, or another admin, a moment ago)."""

    pair: Pair | None = None
    resumed: bool = False
    already: bool = False
    ask: list[str] | None = None


async def resume_pair(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, pair_id: int) -> ResumeOutcome:
    async with services.sessions.begin() as session:
        door = await admin_door(session, client, team_id=team_id, user_id=user_id, setup_admins=services.settings.setup_admins)
        if door.ask is not None:
            return ResumeOutcome(ask=door.ask)
        pair = await pairs.get_pair(session, team_id=team_id, pair_id=pair_id)
        if pair is None or not door.runs(pair.programme_id):  # an old button, or a forged one, for another's pair
            return ResumeOutcome()
        resumed = await pairs.set_status(
            session, team_id=team_id, pair_id=pair.id, status=PairStatus.ACTIVE, expected=PairStatus.PAUSED, now=services.clock.now()
        )
        if not resumed:
            await session.refresh(pair)
    return ResumeOutcome(pair=pair, resumed=resumed, already=not resumed and pair.status == PairStatus.ACTIVE)
