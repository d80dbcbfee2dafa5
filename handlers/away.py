"""`/mentor away until YYYY-MM-DD` and `/mentor away off`: hold someone's nudges while they are away."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import arguments, subcommand
from bot.directory import known_person
from bot.flows.pairing import parse_day
from bot.services import services_of
from prompts import profile as profile_prompts
from store import people


async def handle_away_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()  # first: knowing the person's zone may mean asking Slack (users.info)
    services = services_of(context)
    team_id, user_id = command["team_id"], command["user_id"]
    given = arguments(command.get("text"), "away").strip()
    date_text = given.removeprefix("until").strip() if given.lower().startswith("until") else given
    async with services.sessions.begin() as session:
        person = await known_person(session, client, team_id=team_id, user_id=user_id, now=services.clock.now())
        today = _today(services.clock.now(), person.tz)  # "until Friday" means Friday where they are
        if not given:
            reply = profile_prompts.build_away_status(person.away_until, today)
        elif given.lower() in ("off", "back", "none", "clear"):
            await people.set_away(session, person=person, away_until=None)
            reply = profile_prompts.build_away_off()
        else:
            until = parse_day(date_text)
            if until is None or until <= today:
                reply = profile_prompts.build_away_refused(date_text, today)
            else:
                await people.set_away(session, person=person, away_until=until)
                reply = profile_prompts.build_away_set(until)
    await respond(**reply)


def _today(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("away")])(handle_away_command)
