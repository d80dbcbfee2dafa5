"""Dates typed into any command are read one way, in the person's zone, with the same refusals
(ambiguous, past, unreadable) in the same words: `schedule`, `away until`, `admin pause ... until`
and the due dates of a reflection's actions (issue 16, items 2 and 3)."""

from __future__ import annotations

import pytest

from bot.clock import ManualClock
from bot.runtime import Runtime
from sandbox.slack_requests import SlackRequests
from tests.factories import make_charter, make_pair, make_programme
from tests.handlers.admin_helpers import text_of

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"  # Priya in Kolkata, Tom in New York; START is Wed 4 Mar 2026


@pytest.fixture
async def pair(bot: Runtime, clock: ManualClock):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now())
        await make_charter(session, pair=pair, now=clock.now(), session_minutes=45)
    return pair


@pytest.mark.parametrize("typed", ["2026-12-08 01:30", "2026-12-08 10am"])
async def test_schedule_reads_an_iso_date_as_the_day_it_names(slack: SlackRequests, pair, typed):
    text = text_of(await slack.command_reply(MENTOR, f"schedule {typed}"))
    assert "two different dates" not in text
    assert "8 Dec" in text
