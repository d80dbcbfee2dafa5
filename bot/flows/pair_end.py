"""An admin ends or unpairs a pair, only once they confirm it in a form; and reopens an ended pair
within the grace period, its history intact (nothing of the pair is deleted when it ends)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.flows.permissions import admin_door
from bot.flows.programme_scope import admin_scope, pair_in_scope
from bot.services import Services
from domain.pair_reopen import ReopenRefusal, ReopenRefused
from domain.programme_limits import REOPEN_GRACE_DAYS
from domain.statuses import PairStatus
from store import erasure, pairs, programmes
from store.models import Pair

# verb: what the pair is told (prompts/welcome.py PAIR_CHANGES)
END_CHANGES = {"end": "ended", "unpair": "unpaired"}
GRACE = timedelta(days=REOPEN_GRACE_DAYS)


async def pair_to_end(services: Services, client: AsyncWebClient, *, team_id: str, admin_id: str, subject: str) -> tuple[Pair | None, bool]:
    """The pair the confirmation form names: the person's pair in the admin's programme (None: they have
    none), and whether the admin runs several (so "none" is said of this one)."""
    async with services.sessions.begin() as session:
        scope = await admin_scope(session, client, team_id=team_id, user_id=admin_id)
        return await pair_in_scope(session, team_id=team_id, user_id=subject, within=scope.programme), scope.several


@dataclass(frozen=True)
class EndOutcome:
    """What confirming did: `ask` when refused; else the pair, whether this confirmation ended it (not
    a second click, nor a pair ended meanwhile), and the last day it can be reopened."""

    pair: Pair | None = None
    ended: bool = False
    reopen_until: date | None = None
    ask: list[str] | None = None


async def end_pair(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, pair_id: int) -> EndOutcome:
    now = services.clock.now()
    async with services.sessions.begin() as session:
        door = await admin_door(session, client, team_id=team_id, user_id=user_id, setup_admins=services.settings.setup_admins)
        if door.ask is not None:
            return EndOutcome(ask=door.ask)
        pair = await pairs.get_pair(session, team_id=team_id, pair_id=pair_id)
        if pair is None or not door.runs(pair.programme_id):  # an old form, or a forged one, for another's pair
            return EndOutcome()
        ended = await pairs.set_status(session, team_id=team_id, pair_id=pair.id, status=PairStatus.ENDED, now=now)
    return EndOutcome(pair=pair, ended=ended, reopen_until=(now + GRACE).date())


def _erased(user_id: str) -> bool:
    return user_id.startswith(erasure.TOKEN_PREFIX)


async def reopen_pair(services: Services, *, team_id: str, admin_id: str, programme_id: int, subject: str) -> Pair | ReopenRefused:
    """Reopen `subject`'s last ended pair in a programme this admin runs or ran (or the one in scope), or
    say why not (checked in this order): none ended there, one side erased, its programme closed, ended
    longer ago than the grace period, either side in another pair."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        theirs = await programmes.administered_ids(session, team_id=team_id, user_id=admin_id) | {programme_id}
        pair = await pairs.last_ended_pair(session, team_id=team_id, user_id=subject, programme_ids=theirs)
        if pair is None:
            return ReopenRefused(ReopenRefusal.NO_ENDED_PAIR, subject)
        if _erased(pair.mentor_id) or _erased(pair.mentee_id):
            return ReopenRefused(ReopenRefusal.ERASED, subject)
        running = await programmes.running(session, team_id=team_id)
        if pair.programme_id not in {programme.id for programme in running}:
            return ReopenRefused(ReopenRefusal.PROGRAMME_CLOSED, subject)
        if pair.ended_at is None or now > pair.ended_at + GRACE:
            return ReopenRefused(ReopenRefusal.TOO_LATE, subject, ended_on=pair.ended_at.date() if pair.ended_at else None)
        for user_id in (pair.mentor_id, pair.mentee_id):
            if await pairs.open_pairs_of(session, team_id=team_id, user_id=user_id):
                return ReopenRefused(ReopenRefusal.BUSY, user_id)
        if not await pairs.reopen(session, team_id=team_id, pair_id=pair.id):
            return ReopenRefused(ReopenRefusal.NO_ENDED_PAIR, subject)  # reopened a moment ago
    return pair
