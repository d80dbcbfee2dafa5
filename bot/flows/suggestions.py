"""Times for a pair's next session that suit both people: the pair and its sessions read in one
transaction, busy time from those sessions and from connected calendars (bot/flows/busy_time.py, which
never fails the suggestions), chosen by bot/rules/suggested_times.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.bookings import PairContext, load_pair_context, members
from bot.flows.busy_time import busy_blocks
from bot.rules.quiet_hours import WorkingHours
from bot.rules.suggested_times import away_block, search_window, suggest_times
from bot.services import Services
from domain.busy import BusyBlock
from domain.statuses import SessionStatus
from domain.suggestions import NoSuggestion
from store import sessions
from store.models import MentoringSession


@dataclass(frozen=True)
class Suggested:
    """The times suggested to one member of a pair, and what the words need to show them in both zones."""

    times: tuple[datetime, ...]
    problem: NoSuggestion | None
    tz: str
    partner_id: str
    partner_tz: str
    minutes: int
    hours: WorkingHours


async def pair_busy(
    services: Services, context: PairContext, sessions_ahead: Sequence[MentoringSession], *, start: datetime, end: datetime
) -> list[BusyBlock]:
    """The one place busy time is gathered: sessions booked ahead, this pair's and either person's in
    another pair (someone may be in more than one), the days either is away, then both people's connected calendars."""
    booked = [BusyBlock(row.starts_at, row.starts_at + timedelta(minutes=row.minutes)) for row in sessions_ahead]
    away = [away_block(person.away_until, person.tz, start=start) for person in (context.people.get(user) for user in members(context)) if person]
    calendars = await busy_blocks(services, team_id=context.pair.team_id, user_ids=members(context), start=start, end=end)
    return booked + [block for block in away if block is not None] + calendars


@dataclass(frozen=True)
class Reading:
    """What the suggestions read in the caller's transaction: the pair's sessions, both members' sessions
    booked in other pairs within the window, and the cadence."""

    rows: list[MentoringSession]
    elsewhere: list[MentoringSession]
    cadence: int


def _last(rows: Sequence[MentoringSession], now: datetime) -> datetime | None:
    """The pair's latest meeting so far, from which the cadence counts: held, or booked and begun."""
    met = (row.starts_at for row in rows if row.status == SessionStatus.HELD or (row.status == SessionStatus.BOOKED and row.starts_at <= now))
    return max(met, default=None)


def _ahead(rows: Sequence[MentoringSession], now: datetime) -> list[MentoringSession]:
    return [row for row in rows if row.status == SessionStatus.BOOKED and row.starts_at > now]


async def read(session: AsyncSession, context: PairContext, *, now: datetime) -> Reading:
    assert context.pair.id is not None
    rows = await sessions.pair_sessions(session, team_id=context.pair.team_id, pair_id=context.pair.id)
    cadence = context.charter.cadence_days if context.charter is not None else context.programme.cadence_days
    start, end = search_window(now=now, cadence_days=cadence, last_session=_last(rows, now))
    elsewhere = await sessions.booked_sessions_of_people(
        session, team_id=context.pair.team_id, user_ids=members(context), start=start, end=end, excluding_pair=context.pair.id
    )
    return Reading(rows, elsewhere, cadence)


async def suggest(services: Services, context: PairContext, reading: Reading, *, user_id: str, now: datetime) -> Suggested:
    """After the transaction: calendars are asked here, so no transaction waits on a provider."""
    minutes = context.default_minutes
    last = _last(reading.rows, now)
    start, end = search_window(now=now, cadence_days=reading.cadence, last_session=last)
    hours = WorkingHours(context.programme.work_start_hour, context.programme.work_end_hour)
    partner = context.partner(user_id)
    found = suggest_times(
        now=now, zones=(context.tz(user_id), context.tz(partner)), hours=hours, minutes=minutes, cadence_days=reading.cadence,
        last_session=last, busy=await pair_busy(services, context, _ahead(reading.rows, now) + reading.elsewhere, start=start, end=end),
    )
    return Suggested(times=found.times, problem=found.problem, tz=context.tz(user_id), partner_id=partner, partner_tz=context.tz(partner),
                     minutes=minutes, hours=hours)


async def suggested_times(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> Suggested | None:
    """Three times for the person's next session with their partner; None when they have no active pair."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        context = await load_pair_context(session, client, team_id=team_id, user_id=user_id, now=now)
        if context is None or context.pair.id is None:
            return None
        reading = await read(session, context, now=now)
    return await suggest(services, context, reading, user_id=user_id, now=now)
