"""`/mentor away until <day>` and `/mentor away off`, with dates in the person's own zone."""

from datetime import timedelta

import pytest

from sandbox.slack_requests import SlackRequests
from store import people
from tests.factories import TEAM, day
from tests.handlers.admin_helpers import text_of


async def _away_until(db, user_id: str):
    async with db.begin() as session:
        person = await people.get_person(session, team_id=TEAM, user_id=user_id)
    return person.away_until if person else None


async def test_away_until_a_date_holds_nudges_until_then(slack: SlackRequests, db):
    body = await slack.command_reply("U0MENTEE", "away until 2026-03-20")
    assert body["response_type"] == "ephemeral"
    assert "away until *Fri 20 Mar 2026*" in text_of(body)
    assert await _away_until(db, "U0MENTEE") == day("2026-03-20")


@pytest.mark.parametrize("given", ["2026-03-20", "20 March", "20/03/2026"])
async def test_away_accepts_a_bare_date(slack: SlackRequests, db, given):
    await slack.command_reply("U0MENTEE", f"away {given}")
    assert await _away_until(db, "U0MENTEE") == day("2026-03-20")


async def test_away_off_clears_the_date(slack: SlackRequests, db):
    await slack.command_reply("U0MENTEE", "away until 2026-03-20")
    body = await slack.command_reply("U0MENTEE", "away off")
    assert "Welcome back" in text_of(body)
    assert await _away_until(db, "U0MENTEE") is None


@pytest.mark.parametrize(
    ("given", "why"), [("2026-03-01", "is in the past"), ("2026-03-04", "is today"), ("soon", "couldn't read"), ("until 2026-13-01", "couldn't read")]
)
async def test_a_past_or_unreadable_date_is_refused_with_the_reason(slack: SlackRequests, db, given, why):
    body = await slack.command_reply("U0MENTEE", f"away {given}")
    assert why in text_of(body)
    assert await _away_until(db, "U0MENTEE") is None


async def test_today_is_judged_in_the_persons_own_zone(slack: SlackRequests, db, clock):
    clock.advance(timedelta(hours=13, minutes=30))  # 23:30 in London, 05:00 the next day in Kolkata
    refused = await slack.command_reply("U0MENTOR", "away until 2026-03-05")
    assert "is today" in text_of(refused)
    await slack.command_reply("U0ADMIN", "away until 2026-03-05")
    assert await _away_until(db, "U0MENTOR") is None
    assert await _away_until(db, "U0ADMIN") == day("2026-03-05")


async def test_away_alone_says_how_to_use_it(slack: SlackRequests):
    body = await slack.command_reply("U0MENTEE", "away")
    assert "/mentor away until" in text_of(body)
