"""Dates typed into any command are read one way, in the person's zone, with the same refusals
(ambiguous, past, unreadable) in the same words: `schedule`, `away until`, `admin pause ... until`
and the due dates of a reflection's actions (issue 16, items 2 and 3)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from domain.times import TimeProblem
from prompts.dates import day_problem_text, due_day_problem_text
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import people
from store.models import Action, Pair
from tests.conftest import START
from tests.factories import TEAM, make_charter, make_pair, make_person, make_programme
from tests.factories_sessions import make_session
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


# --- one day reader for away, pause and an action's due date ------------------------------------------

ACCEPTED = [("20 December", date(2026, 12, 20)), ("next friday", date(2026, 3, 6)), ("2026-12-20", date(2026, 12, 20))]
REFUSED = [("3/4", TimeProblem.NUMERIC_DATE), ("2 March 2026", TimeProblem.IN_THE_PAST), ("yesterday", TimeProblem.IN_THE_PAST)]
UNREADABLE = [("soon", TimeProblem.UNPARSEABLE), ("2026-13-01", TimeProblem.UNPARSEABLE)]


async def _away_until(bot: Runtime, user_id: str) -> date | None:
    async with bot.services.sessions() as session:
        person = await people.get_person(session, team_id=TEAM, user_id=user_id)
    return person.away_until if person else None


async def _paused_until(bot: Runtime, pair_id: int) -> tuple[str, date | None]:
    async with bot.services.sessions() as session:
        stored = await session.get(Pair, pair_id)
    return stored.status, stored.paused_until


@pytest.mark.parametrize(("typed", "expected"), ACCEPTED)
async def test_away_until_reads_words_and_iso_dates(slack: SlackRequests, bot: Runtime, typed, expected):
    await slack.command_reply(MENTEE, f"away until {typed}")
    assert await _away_until(bot, MENTEE) == expected


@pytest.mark.parametrize(("typed", "problem"), REFUSED + UNREADABLE + [("today", TimeProblem.TODAY)])
async def test_away_refuses_an_ambiguous_past_or_unreadable_day_in_the_shared_words(slack: SlackRequests, bot: Runtime, typed, problem):
    text = text_of(await slack.command_reply(MENTEE, f"away until {typed}"))
    assert day_problem_text(problem, typed) in text
    assert await _away_until(bot, MENTEE) is None


@pytest.mark.parametrize(("typed", "expected"), ACCEPTED)
async def test_admin_pause_until_reads_words_and_iso_dates(slack: SlackRequests, bot: Runtime, pair, typed, expected):
    await slack.command_reply("U0ADMIN", f"admin pause <@{MENTEE}|tom> until {typed}")
    assert await _paused_until(bot, pair.id) == ("paused", expected)


@pytest.mark.parametrize(("typed", "problem"), REFUSED + UNREADABLE)
async def test_admin_pause_refuses_an_ambiguous_past_or_unreadable_day_in_the_shared_words(slack: SlackRequests, bot: Runtime, pair, typed, problem):
    text = text_of(await slack.command_reply("U0ADMIN", f"admin pause <@{MENTEE}|tom> until {typed}"))
    assert day_problem_text(problem, typed) in text
    assert await _paused_until(bot, pair.id) == ("active", None)


async def test_admin_pause_reads_the_day_in_the_admins_zone(bot: Runtime, slack: SlackRequests, clock: ManualClock):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now(), admin_id="U0OTHER")  # Léo, in Paris
        pair = await make_pair(session, programme=programme, now=clock.now())
    clock.advance(timedelta(hours=13, minutes=30))  # Wed 23:30 UTC: already Thursday 00:30 in Paris
    await slack.command_reply("U0OTHER", f"admin pause <@{MENTEE}|tom> until tomorrow")
    assert await _paused_until(bot, pair.id) == ("paused", date(2026, 3, 6))


@pytest.fixture
async def ended(bot: Runtime):
    """A pair whose session ended an hour ago, so Tom (New York) can reflect on it by DM."""
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=30))
        await make_person(session, user_id=MENTOR, tz="Asia/Kolkata", now=START)
        await make_person(session, user_id=MENTEE, tz="America/New_York", now=START)
        pair = await make_pair(session, programme=programme, now=START - timedelta(days=30))
        await make_session(session, pair=pair, starts_at=START - timedelta(hours=2))


async def _say(slack: SlackRequests, workspace: Workspace, text: str) -> str:
    """Tom types a DM; the text of the bot's reply, as posted."""
    before = len(workspace.calls_to("chat.postMessage"))
    await slack.direct_message(MENTEE, text)
    posts = await workspace.wait_for_calls("chat.postMessage", before + 1)
    return json.dumps(posts[-1].args)


async def _at_the_actions_question(slack: SlackRequests, workspace: Workspace) -> None:
    for answer in ("yes", "me", "4", "skip"):
        await _say(slack, workspace, answer)
    assert "Question 6 of 7" in await _say(slack, workspace, "skip")


async def _actions(bot: Runtime) -> list[tuple[str, date | None]]:
    async with bot.services.sessions() as session:
        return [(action.text, action.due_on) for action in (await session.exec(select(Action).order_by(Action.id))).all()]


async def test_an_actions_due_day_reads_words_and_iso_dates(slack: SlackRequests, workspace: Workspace, bot: Runtime, ended):
    await _at_the_actions_question(slack, workspace)
    typed = "\n".join(f"Action {number} by {words}" for number, (words, _) in enumerate(ACCEPTED))
    assert "Question 7 of 7" in await _say(slack, workspace, typed)
    await _say(slack, workspace, "no")
    assert await _actions(bot) == [(f"Action {number}", day) for number, (_, day) in enumerate(ACCEPTED)]


@pytest.mark.parametrize(("typed", "problem"), REFUSED)
async def test_an_actions_ambiguous_or_past_due_day_is_asked_again_in_the_shared_words(slack: SlackRequests, workspace: Workspace, bot: Runtime, ended, typed, problem):
    await _at_the_actions_question(slack, workspace)
    reply = await _say(slack, workspace, f"Email HR by {typed}")
    assert json.dumps(day_problem_text(problem, typed))[1:-1] in reply
    assert await _actions(bot) == []


async def test_the_reflection_forms_actions_refuse_an_ambiguous_due_day_in_the_shared_words(slack: SlackRequests, workspace: Workspace, bot: Runtime, ended):
    await slack.command(MENTEE, "reflect")
    await workspace.wait_for_calls("chat.postMessage", 1)
    [form_button] = [
        element for block in workspace.dm_messages(MENTEE)[-1].blocks if block["type"] == "actions"
        for element in block["elements"] if element["text"]["text"] == "Use a form instead"
    ]
    await slack.block_action(MENTEE, {**form_button, "type": "button", "block_id": "b"}, message=workspace.dm_messages(MENTEE)[-1].as_slack())
    await workspace.wait_for_calls("views.open")
    values = {
        "took_place": {"value": {"type": "radio_buttons", "selected_option": {"value": "yes"}}},
        "actions": {"value": {"type": "plain_text_input", "value": "Email HR by 3/4"}},
    }
    response = await slack.view_submission(MENTEE, workspace.modal_stacks[MENTEE][-1], values)
    assert response.json() == {"response_action": "errors", "errors": {"actions": due_day_problem_text(TimeProblem.NUMERIC_DATE, "3/4")}}
    assert await _actions(bot) == []
