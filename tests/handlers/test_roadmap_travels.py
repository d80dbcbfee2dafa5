"""The roadmap's next topic travels: a new booking defaults to the next topic not booked or covered,
each reminder proposes the next uncovered topic when the booking named none or its topic is covered
by the time the reminder goes, and the "please book" nudges name it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from prompts import sessions as prompts
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import MentoringSession, RoadmapItem
from tests.factories import make_charter, make_pair, make_programme
from tests.factories_sessions import make_roadmap
from tests.handlers.pairing_support import text_of

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"
TOPICS = [("hybrid-working", "Hybrid working in practice"), ("ai-tools-at-work", "AI tools at work"),
          ("lived-experience", "Lived experience"), ("inclusive-meetings", "Inclusive meetings")]


@pytest.fixture
async def pair(bot: Runtime, clock: ManualClock):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now() - timedelta(days=2))
        await make_charter(session, pair=pair, now=clock.now() - timedelta(days=2))
        await make_roadmap(session, pair=pair, topics=TOPICS)
    return pair


async def _sessions(bot: Runtime) -> list[MentoringSession]:
    async with bot.services.sessions() as session:
        return list((await session.exec(select(MentoringSession).order_by(MentoringSession.id))).all())


async def _cover(bot: Runtime, topic_key: str, clock: ManualClock) -> None:
    async with bot.services.sessions.begin() as session:
        item = (await session.exec(select(RoadmapItem).where(RoadmapItem.topic_key == topic_key))).one()
        item.covered_at = clock.now()
        session.add(item)


def _reminders_to(workspace: Workspace, user_id: str) -> list[str]:
    return [
        text_of(call.args["blocks"])
        for call in workspace.calls_to("chat.postMessage")
        if call.args["channel"] == user_id and call.args["metadata"]["event_payload"]["kind"] == "reminder"
    ]


async def test_a_second_booking_defaults_to_the_next_topic_not_booked_or_covered(slack: SlackRequests, workspace: Workspace, bot, clock, pair):
    await slack.command_reply(MENTEE, "schedule next tuesday 9am")
    await slack.command_reply(MENTEE, "schedule next thursday 8am")  # Thu 5 Mar 13:00 UTC: 18:30 for Priya in Kolkata

    first, second = await _sessions(bot)
    assert (first.topic_key, second.topic_key) == ("hybrid-working", "ai-tools-at-work")

    await _cover(bot, "ai-tools-at-work", clock)
    await slack.command(MENTOR, "schedule")
    await workspace.wait_for_calls("views.open")
    blocks = {block.get("block_id"): block for block in workspace.modal_stacks[MENTOR][-1]["blocks"]}
    assert blocks[prompts.TOPIC_BLOCK]["element"]["initial_option"]["value"] == "lived-experience"


async def test_a_reminder_proposes_the_next_uncovered_topic_when_the_booked_one_is_covered_by_then(
    slack: SlackRequests, workspace: Workspace, bot, clock, pair
):
    await slack.command_reply(MENTEE, "schedule next tuesday 9am")  # Tue 10 Mar 13:00 UTC (inside both working days), on "Hybrid working"
    await _cover(bot, "hybrid-working", clock)  # covered in a session they logged meanwhile

    clock.set(datetime(2026, 3, 9, 13, 0, tzinfo=UTC))  # a day before
    await bot.sweep_now()

    [to_mentor] = _reminders_to(workspace, MENTOR)
    [to_mentee] = _reminders_to(workspace, MENTEE)
    for reminder in (to_mentor, to_mentee):
        assert "*Topic:* AI tools at work" in reminder and "Hybrid working" not in reminder
        assert "next on your roadmap" in reminder


async def test_a_reminder_for_a_booking_with_no_topic_proposes_the_next_uncovered_one(slack: SlackRequests, workspace: Workspace, bot, clock, pair):
    await slack.command(MENTOR, "schedule")
    await workspace.wait_for_calls("views.open")
    when = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)  # 09:00 in New York, 18:30 in Kolkata
    values = {
        prompts.WHEN_BLOCK: {prompts.VALUE: {"type": "datetimepicker", "selected_date_time": int(when.timestamp())}},
        prompts.LENGTH_BLOCK: {prompts.VALUE: {"type": "static_select", "selected_option": {"value": "60"}}},
        prompts.TOPIC_BLOCK: {prompts.VALUE: {"type": "static_select", "selected_option": {"value": prompts.NO_TOPIC}}},
        prompts.WHERE_BLOCK: {prompts.VALUE: {"type": "plain_text_input", "value": ""}},
    }
    await slack.view_submission(MENTOR, workspace.modal_stacks[MENTOR][-1], values)
    [booked] = await _sessions(bot)
    assert booked.topic_key == ""
    await _cover(bot, "hybrid-working", clock)

    clock.set(datetime(2026, 3, 9, 13, 0, tzinfo=UTC))
    await bot.sweep_now()

    [to_mentor] = _reminders_to(workspace, MENTOR)
    assert "*Topic:* AI tools at work" in to_mentor and "next on your roadmap" in to_mentor
    assert "Questions to open with" in to_mentor  # the proposed topic's opening questions


async def test_a_reminder_keeps_the_booked_topic_while_it_is_not_covered(slack: SlackRequests, workspace: Workspace, bot, clock, pair):
    await slack.command_reply(MENTEE, "schedule next tuesday 9am")

    clock.set(datetime(2026, 3, 9, 13, 0, tzinfo=UTC))
    await bot.sweep_now()

    [to_mentee] = _reminders_to(workspace, MENTEE)
    assert "*Topic:* Hybrid working in practice" in to_mentee and "next on your roadmap" not in to_mentee


async def test_the_please_book_nudge_names_the_next_uncovered_topic(workspace: Workspace, bot, clock, pair):
    await _cover(bot, "hybrid-working", clock)
    clock.set(datetime(2026, 3, 12, 14, 0, tzinfo=UTC))  # ten days after they agreed, nothing booked

    await bot.sweep_now()

    [nudge] = [call.args for call in workspace.calls_to("chat.postMessage") if call.args["metadata"]["event_payload"]["kind"] == "momentum"]
    assert "Next on your roadmap: *AI tools at work*." in nudge["blocks"][0]["text"]["text"]
