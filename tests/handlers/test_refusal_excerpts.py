"""A refusal that quotes what was typed quotes a short, cleaned excerpt of it (issue 16, item 19): a
5,000-character command with right-to-left overrides is not echoed back whole."""

from __future__ import annotations

import json

import pytest

from sandbox.slack_requests import SlackRequests
from tests.factories import make_pair, make_programme

RLO, LRI, ZERO_WIDTH = "\u202e", "\u2066", "\u200b"
RAMBLE = f"soon {RLO}gnissim{LRI} and\n\n\tthen " + "blah " * 1000  # about 5,000 characters


def _shown(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False)


def _assert_quoted_short_and_clean(body: dict) -> None:
    shown = _shown(body)
    assert len(shown) < 6000  # the help is long; the whole 5,000 characters are not in it
    assert "blah " * 20 not in shown
    assert RLO not in shown and LRI not in shown and ZERO_WIDTH not in shown
    assert "soon gnissim and then blah" in shown and "…" in shown


@pytest.fixture
async def paired(bot, clock):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        await make_pair(session, programme=programme, now=clock.now())


@pytest.mark.parametrize(
    ("user_id", "text"),
    [
        ("U0MENTOR", f"frobnicate {RAMBLE}"),
        ("U0ADMIN", f"admin frobnicate {RAMBLE}"),
        ("U0MENTOR", f"away until {RAMBLE}"),
        ("U0ADMIN", f"admin pause <@U0MENTOR|priya> until {RAMBLE}"),
        ("U0MENTOR", f"schedule {RAMBLE}"),
        ("U0MENTOR", f"log {RAMBLE}"),
    ],
    ids=["unknown", "admin-unknown", "away", "pause", "schedule", "log"],
)
async def test_a_refusal_quotes_a_short_clean_excerpt_of_a_long_command(slack: SlackRequests, paired, user_id, text):
    body = await slack.command_reply(user_id, text)
    assert body is not None
    _assert_quoted_short_and_clean(body)
