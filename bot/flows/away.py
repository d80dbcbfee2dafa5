"""`/mentor away [until] <day>`, `/mentor away off` and `/mentor away`: hold someone's nudges while they
are away, the day read in their own zone ("until Friday" means Friday where they are)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import known_person
from bot.rules.time_reading import parse_day
from bot.services import Services
from domain.times import TimeProblem
from store import people

BACK_WORDS = ("off", "back", "none", "clear")


@dataclass(frozen=True)
class AwayOutcome:
    """The day the person is away until now (None: not away), whether they said they are back, or why
    the day they typed (or did not type) cannot be used."""

    away_until: date | None = None
    back: bool = False
    problem: TimeProblem | None = None
    typed: str = ""


async def change_away(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, given: str) -> AwayOutcome:
    """Set, clear or report the person's away day from what they typed after `away`."""
    given = given.strip()
    typed = given[len("until"):].strip() if given.lower().startswith("until") else given
    now = services.clock.now()
    async with services.sessions.begin() as session:
        person = await known_person(session, client, team_id=team_id, user_id=user_id, now=now)
        if not given:
            today = now.astimezone(ZoneInfo(person.tz)).date()
            away = person.away_until if person.away_until is not None and person.away_until > today else None
            return AwayOutcome(away_until=away, problem=None if away else TimeProblem.EMPTY)
        if given.lower() in BACK_WORDS:
            await people.set_away(session, person=person, away_until=None)
            return AwayOutcome(back=True)
        read = parse_day(typed, tz=person.tz, now=now, after_today=True)
        if read.day is None:
            return AwayOutcome(problem=read.problem, typed=typed)
        await people.set_away(session, person=person, away_until=read.day)
        return AwayOutcome(away_until=read.day)
