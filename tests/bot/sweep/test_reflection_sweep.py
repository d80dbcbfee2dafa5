"""The sweep's reflection step: one follow-up after 24 hours, and detector tips once per occurrence.
Each runs the real sweep twice and checks the outbox rows it left."""

from __future__ import annotations

import asyncio
import gc
import json
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from bot.rules import detectors
from bot.sweep import reflection_sweep
from bot.sweep.steps import sweep
from store import reflections as reflections_store
from store.models import Outbox, Pair, Programme
from tests.conftest import START
from tests.factories import make_pair, make_person, make_programme
from tests.factories_sessions import make_goal, make_reflection, make_roadmap, make_session
from tests.handlers.test_reflections import _click, _start
from tests.security.support import settle

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"


@pytest.fixture
async def pair(bot):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=90))
        await make_person(session, user_id=MENTOR, tz="Asia/Kolkata", now=START)
        await make_person(session, user_id=MENTEE, tz="America/New_York", now=START)
        return await make_pair(session, programme=programme, now=START - timedelta(days=90))


async def _sweep_twice(bot, now) -> None:
    await sweep(bot.services, bot.clients, now)
    await sweep(bot.services, bot.clients, now)


async def _rows(bot, kind: str) -> list[Outbox]:
    async with bot.services.sessions() as session:
        return list((await session.exec(select(Outbox).where(Outbox.kind == kind).order_by(Outbox.recipient_id))).all())


# --- the follow-up ---------------------------------------------------------------------------


async def test_follow_up_goes_to_both_once_a_day_after_the_prompt(bot, pair):
    async with bot.services.sessions.begin() as session:
        mentoring_session = await make_session(session, pair=pair, starts_at=START)
    prompt_time = START + timedelta(minutes=75)
    await _sweep_twice(bot, prompt_time + timedelta(hours=23))
    assert await _rows(bot, "reflection_followup") == []

    await _sweep_twice(bot, prompt_time + timedelta(hours=24))
    rows = await _rows(bot, "reflection_followup")
    # Created a day after the prompt (the sweep's delivery may then defer it to working hours).
    assert [(row.recipient_id, row.key, row.created_at) for row in rows] == [
        (MENTEE, f"reflect-followup:session:{mentoring_session.id}:{MENTEE}", prompt_time + timedelta(hours=24)),
        (MENTOR, f"reflect-followup:session:{mentoring_session.id}:{MENTOR}", prompt_time + timedelta(hours=24)),
    ]
    payload = json.loads(rows[0].payload)
    assert "gentle nudge" in payload["text"]
    assert f"{mentoring_session.id}:yes" in json.dumps(payload["blocks"])


async def test_follow_up_is_never_sent_twice(bot, pair):
    async with bot.services.sessions.begin() as session:
        await make_session(session, pair=pair, starts_at=START)
    await _sweep_twice(bot, START + timedelta(hours=26))
    await _sweep_twice(bot, START + timedelta(hours=50))
    assert len(await _rows(bot, "reflection_followup")) == 2


async def test_follow_up_skips_a_finished_reflection_and_resumes_an_unfinished_one(bot, pair):
    async with bot.services.sessions.begin() as session:
        mentoring_session = await make_session(session, pair=pair, starts_at=START)
        await make_reflection(session, mentoring_session=mentoring_session, author_id=MENTOR)
        await make_reflection(session, mentoring_session=mentoring_session, author_id=MENTEE, completed=False, step=3)
    await _sweep_twice(bot, START + timedelta(hours=26))
    rows = await _rows(bot, "reflection_followup")
    assert [row.recipient_id for row in rows] == [MENTEE]
    assert "Question 3 of 7" in json.loads(rows[0].payload)["blocks"][1]["text"]["text"]


async def test_no_follow_up_for_a_cancelled_session(bot, pair):
    async with bot.services.sessions.begin() as session:
        await make_session(session, pair=pair, starts_at=START, status="cancelled")
    await _sweep_twice(bot, START + timedelta(hours=26))
    assert await _rows(bot, "reflection_followup") == []


# --- detectors -------------------------------------------------------------------------------


async def _held(bot, pair, days_ago: list[int], **reflection_fields):
    """Held sessions, each reflected on by both sides with these answers (per side: mentor_/mentee_ prefixes)."""
    made = []
    async with bot.services.sessions.begin() as session:
        for days in days_ago:
            mentoring_session = await make_session(session, pair=pair, starts_at=START - timedelta(days=days), status="held")
            for author, prefix in ((MENTOR, "mentor_"), (MENTEE, "mentee_")):
                fields = {key.removeprefix(prefix): value for key, value in reflection_fields.items() if key.startswith(prefix)}
                await make_reflection(session, mentoring_session=mentoring_session, author_id=author, **fields)
            made.append(mentoring_session)
    return made


async def test_role_reversal_tips_go_to_both_worded_for_each_role_once(bot, pair):
    sessions = await _held(bot, pair, [10, 6, 2], mentor_led_by="mentee", mentee_led_by="mentee", mentor_new_insight=True, mentor_topic_key="x")
    await _sweep_twice(bot, START)
    rows = await _rows(bot, "detector_role_reversal")
    assert [(row.recipient_id, row.key) for row in rows] == [
        (MENTEE, f"detector:role-reversal:pair:{pair.id}:session:{sessions[-1].id}:{MENTEE}"),
        (MENTOR, f"detector:role-reversal:pair:{pair.id}:session:{sessions[-1].id}:{MENTOR}"),
    ]
    assert "handing the lead back" in rows[0].payload
    assert "taking the lead back" in rows[1].payload


async def test_role_reversal_does_not_fire_on_one_mentee_led_session_in_three(bot, pair):
    async with bot.services.sessions.begin() as session:
        for days, led in ((10, "mentor"), (6, "balanced"), (2, "mentee")):
            mentoring_session = await make_session(session, pair=pair, starts_at=START - timedelta(days=days), status="held")
            await make_reflection(session, mentoring_session=mentoring_session, author_id=MENTOR, led_by=led)
    await _sweep_twice(bot, START)
    assert await _rows(bot, "detector_role_reversal") == []


async def test_cosy_chat_suggests_catalogue_topics_not_yet_covered_once(bot, pair):
    async with bot.services.sessions.begin() as session:
        items = await make_roadmap(session, pair=pair, topics=[("lived-experience", "Lived experience"), ("hybrid-working", "Hybrid")])
        items[0].covered_at = START - timedelta(days=40)
        session.add(items[0])
    sessions = await _held(bot, pair, [10, 5], mentor_topic_key="other", mentor_new_insight=True, mentor_led_by="mentor")
    await _sweep_twice(bot, START)
    rows = await _rows(bot, "detector_cosy_chat")
    assert [(row.recipient_id, row.key) for row in rows] == [
        (MENTEE, f"detector:cosy-chat:pair:{pair.id}:session:{sessions[-1].id}:{MENTEE}"),
        (MENTOR, f"detector:cosy-chat:pair:{pair.id}:session:{sessions[-1].id}:{MENTOR}"),
    ]
    assert "What different generations expect from work" in rows[0].payload
    assert "Lived experience of being under-represented" not in rows[0].payload


async def test_cosy_chat_does_not_fire_when_one_of_the_two_sessions_moved_the_roadmap_on(bot, pair):
    async with bot.services.sessions.begin() as session:
        items = await make_roadmap(session, pair=pair, topics=[("hybrid-working", "Hybrid")])
    await _held(bot, pair, [10], mentor_topic_key="other", mentor_new_insight=True, mentee_new_insight=True)
    moved = await _held(bot, pair, [5], mentor_topic_key="hybrid-working", mentor_new_insight=True, mentee_new_insight=True)
    async with bot.services.sessions.begin() as session:  # the mentor's answer covered it, as the reflection does: both see it on the roadmap
        items[0].covered_at, items[0].covered_session_id = START - timedelta(days=5), moved[0].id
        session.add(items[0])
    await _sweep_twice(bot, START)
    assert await _rows(bot, "detector_cosy_chat") == []


async def test_low_safety_tips_go_to_each_side_of_their_own_answers_without_saying_what_they_were(bot, pair):
    sessions = await _held(bot, pair, [10, 6, 3], mentor_safety=1, mentee_safety=3, mentor_new_insight=True, mentor_topic_key="x")
    sessions += await _held(bot, pair, [2], mentor_safety=2, mentee_safety=1)  # the mentee's own: 3, 3, 1 -> 2.33
    await _sweep_twice(bot, START)
    rows = await _rows(bot, "detector_low_safety")
    assert [(row.recipient_id, row.key) for row in rows] == [
        (MENTEE, f"detector:low-safety:pair:{pair.id}:session:{sessions[-1].id}:{MENTEE}"),
        (MENTOR, f"detector:low-safety:pair:{pair.id}:session:{sessions[-1].id}:{MENTOR}"),
    ]
    for row in rows:
        assert not any(f"{score}/5" in row.payload or f"safety {score}" in row.payload for score in range(1, 6))


async def test_low_safety_does_not_fire_just_above_the_threshold(bot, pair):
    await _held(bot, pair, [10, 3], mentor_safety=3, mentee_safety=3, mentor_new_insight=True, mentor_topic_key="x")
    await _held(bot, pair, [1], mentor_safety=2, mentee_safety=3)  # the mentor's own last three: 3, 3, 2 -> 2.67
    await _sweep_twice(bot, START)
    assert await _rows(bot, "detector_low_safety") == []


async def test_stalled_goal_prompts_its_owner_only_once(bot, pair):
    async with bot.services.sessions.begin() as session:
        goal = await make_goal(session, pair=pair, owner_id=MENTEE, text="Understand what our graduates need", updated_at=START - timedelta(days=60))
    sessions = await _held(bot, pair, [13, 8, 3], mentor_new_insight=True, mentor_topic_key="x")
    await _sweep_twice(bot, START)
    rows = await _rows(bot, "detector_stalled_goal")
    assert [(row.recipient_id, row.key) for row in rows] == [(MENTEE, f"detector:stalled-goal:goal:{goal.id}:session:{sessions[-1].id}")]
    assert "Understand what our graduates need" in rows[0].payload


async def test_a_goal_touched_within_the_last_three_sessions_is_not_stalled(bot, pair):
    async with bot.services.sessions.begin() as session:
        await make_goal(session, pair=pair, owner_id=MENTEE, text="Listen more", updated_at=START - timedelta(days=9))
    await _held(bot, pair, [13, 8, 3], mentor_new_insight=True, mentor_topic_key="x")
    await _sweep_twice(bot, START)
    assert await _rows(bot, "detector_stalled_goal") == []


# --- a tip comes from its recipient's own answers ---------------------------------------------
# Each partner knows their own answers, so a tip triggered by the pair's answers together tells one
# what the other said. Only one side gives the telling answers here: only that side hears of it.

DELIVERED = START + timedelta(hours=3)  # 08:00 in New York, 18:30 in Kolkata: the sweep delivers to both at once


async def _tipped(bot, workspace, kind: str, words: str) -> tuple[list[str], list[str]]:
    """Who has a tip of this kind in the outbox, and whose DM the Web API stand-in saw it posted to."""
    rows = [row.recipient_id for row in await _rows(bot, kind)]
    posted = [user_id for user_id in (MENTEE, MENTOR) if any(words in message.text for message in workspace.dm_messages(user_id))]
    return rows, posted


async def test_a_low_safety_tip_comes_from_its_recipients_own_answers_only(bot, workspace, pair):
    async with bot.services.sessions.begin() as session:
        await make_roadmap(session, pair=pair, topics=[("hybrid-working", "Hybrid")])
    sessions = await _held(
        bot, pair, [12, 8, 4], mentor_safety=5, mentee_safety=1,
        mentor_topic_key="hybrid-working", mentee_topic_key="hybrid-working", mentor_new_insight=True, mentee_new_insight=True,
    )
    await _sweep_twice(bot, DELIVERED)
    # The mentor answered 5 every time: a tip to them would say the mentee's answers were low.
    assert await _tipped(bot, workspace, "detector_low_safety", "speak freely") == ([MENTEE], [MENTEE])
    assert [row.key for row in await _rows(bot, "detector_low_safety")] == [f"detector:low-safety:pair:{pair.id}:session:{sessions[-1].id}:{MENTEE}"]


async def _reflect_in_the_form(slack, workspace, user_id: str, *, safety: int) -> None:
    """Answer the latest session's reflection as a person does: `/mentor reflect`, then the form."""
    await _start(slack, workspace, user_id)
    views = len(workspace.calls_to("views.open"))
    await _click(slack, workspace, user_id, "Use a form instead", expect_posts=0)
    await workspace.wait_for_calls("views.open", views + 1)
    values = {
        "took_place": {"value": {"type": "radio_buttons", "selected_option": {"value": "yes"}}},
        "led": {"value": {"type": "radio_buttons", "selected_option": {"value": "even"}}},
        "safety": {"value": {"type": "static_select", "selected_option": {"value": str(safety)}}},
    }
    response = await slack.view_submission(user_id, workspace.modal_stacks[user_id][-1], values)
    assert response.status == 200 and not response.text
    await settle()


async def test_a_partners_low_safety_answers_in_the_real_form_reach_no_tip_to_the_other(bot, slack, workspace, clock, pair):
    for days in (0, 1, 2):  # Wednesday to Friday
        async with bot.services.sessions.begin() as session:
            mentoring_session = await make_session(session, pair=pair, starts_at=START + timedelta(days=days))
        clock.set(reflections_store.session_end(mentoring_session) + timedelta(hours=1))
        await _reflect_in_the_form(slack, workspace, MENTOR, safety=5)
        await _reflect_in_the_form(slack, workspace, MENTEE, safety=1)
    await _sweep_twice(bot, clock.set(DELIVERED + timedelta(days=2)))
    # Over the pair's last three answers (1, 5, 1) the mentor was tipped too, and so told the mentee's answers were low.
    assert await _tipped(bot, workspace, "detector_low_safety", "speak freely") == ([MENTEE], [MENTEE])


@pytest.mark.parametrize(("mentor_says", "mentee_says", "told"), [("mentor", "mentee", MENTEE), ("mentee", "mentor", MENTOR)])
async def test_a_role_reversal_tip_comes_from_its_recipients_own_answers_only(bot, workspace, pair, mentor_says, mentee_says, told):
    async with bot.services.sessions.begin() as session:
        await make_roadmap(session, pair=pair, topics=[("hybrid-working", "Hybrid")])
    await _held(
        bot, pair, [12, 8, 4], mentor_led_by=mentor_says, mentee_led_by=mentee_says,
        mentor_topic_key="hybrid-working", mentee_topic_key="hybrid-working", mentor_new_insight=True, mentee_new_insight=True,
    )
    await _sweep_twice(bot, DELIVERED)
    # Only `told` said the senior side led: a tip to the other would tell them what their partner answered.
    assert await _tipped(bot, workspace, "detector_role_reversal", "roles the right way round") == ([told], [told])


@pytest.mark.parametrize(("mentor_insight", "mentee_insight", "told"), [(True, False, MENTEE), (False, True, MENTOR)])
async def test_a_fresh_topics_tip_comes_from_its_recipients_own_answers_only(bot, workspace, pair, mentor_insight, mentee_insight, told):
    async with bot.services.sessions.begin() as session:
        await make_roadmap(session, pair=pair, topics=[("hybrid-working", "Hybrid")])
    await _held(
        bot, pair, [12, 8], mentor_new_insight=mentor_insight, mentee_new_insight=mentee_insight,
        mentor_topic_key="hybrid-working", mentee_topic_key="hybrid-working",
    )
    await _sweep_twice(bot, DELIVERED)
    # One side learnt nothing new twice: they get the tip; the partner's insight neither holds it back nor reaches it.
    assert await _tipped(bot, workspace, "detector_cosy_chat", "fresh topic") == ([told], [told])


async def test_each_side_gets_their_own_tip_once_named_by_their_own_answers(bot, workspace, pair):
    async with bot.services.sessions.begin() as session:
        await make_roadmap(session, pair=pair, topics=[("hybrid-working", "Hybrid")])
    answered = {"mentor_topic_key": "hybrid-working", "mentee_topic_key": "hybrid-working", "mentor_new_insight": True, "mentee_new_insight": True}
    sessions = await _held(bot, pair, [13, 10, 7], mentor_safety=1, mentee_safety=4, **answered)
    await _sweep_twice(bot, DELIVERED)
    sessions += await _held(bot, pair, [4, 1, 0], mentor_safety=4, mentee_safety=1, **answered)
    await _sweep_twice(bot, DELIVERED + timedelta(hours=1))
    # The mentor's tip came with their third low answer; their last three (1, 4, 4) since fire nothing,
    # and the mentee's own three low answers neither repeat the mentor's tip nor wait on it.
    rows = await _rows(bot, "detector_low_safety")
    assert [(row.recipient_id, row.key) for row in rows] == [
        (MENTEE, f"detector:low-safety:pair:{pair.id}:session:{sessions[5].id}:{MENTEE}"),
        (MENTOR, f"detector:low-safety:pair:{pair.id}:session:{sessions[2].id}:{MENTOR}"),
    ]


# --- the programme's own thresholds -----------------------------------------------------------


async def _set_thresholds(bot, pair, **thresholds) -> None:
    async with bot.services.sessions.begin() as session:
        programme = await session.get(Programme, pair.programme_id)
        for name, value in thresholds.items():
            setattr(programme, name, value)
        session.add(programme)


async def test_role_reversal_fires_at_the_programmes_threshold_not_below_it(bot, pair):
    await _set_thresholds(bot, pair, role_reversal_window=4, role_reversal_threshold=3)
    await _held(bot, pair, [20], mentor_led_by="mentor", mentee_led_by="mentor", mentor_new_insight=True, mentor_topic_key="x")
    await _held(bot, pair, [15], mentor_led_by="mentee", mentee_led_by="mentee", mentor_new_insight=True, mentor_topic_key="x")
    await _held(bot, pair, [10], mentor_led_by="mentor", mentee_led_by="balanced", mentor_new_insight=True, mentor_topic_key="x")
    await _held(bot, pair, [5], mentor_led_by="mentee", mentee_led_by="mentee", mentor_new_insight=True, mentor_topic_key="x")
    await _sweep_twice(bot, START)  # each side said so of two of the last four (the default, two of three, would fire)
    assert await _rows(bot, "detector_role_reversal") == []

    latest = await _held(bot, pair, [1], mentor_led_by="mentee", mentee_led_by="mentee", mentor_new_insight=True, mentor_topic_key="x")
    await _sweep_twice(bot, START)  # three of the last four
    rows = await _rows(bot, "detector_role_reversal")
    assert [(row.recipient_id, row.key) for row in rows] == [
        (MENTEE, f"detector:role-reversal:pair:{pair.id}:session:{latest[0].id}:{MENTEE}"),
        (MENTOR, f"detector:role-reversal:pair:{pair.id}:session:{latest[0].id}:{MENTOR}"),
    ]


async def test_cosy_chat_waits_for_the_programmes_run_and_says_how_many_sessions(bot, pair):
    await _set_thresholds(bot, pair, cosy_chat_run=3)
    await _held(bot, pair, [12, 8], mentor_topic_key="other", mentor_new_insight=True)
    await _sweep_twice(bot, START)
    assert await _rows(bot, "detector_cosy_chat") == []

    await _held(bot, pair, [4], mentor_topic_key="other", mentor_new_insight=True)
    await _sweep_twice(bot, START)
    rows = await _rows(bot, "detector_cosy_chat")
    assert [row.recipient_id for row in rows] == [MENTEE, MENTOR]
    assert "Your last three sessions" in rows[0].payload


async def test_low_safety_fires_at_the_programmes_threshold_not_just_above_it(bot, pair):
    await _set_thresholds(bot, pair, low_safety_count=4, low_safety_threshold=2.0)
    await _held(bot, pair, [13], mentor_safety=3, mentee_safety=3, mentor_new_insight=True, mentor_topic_key="x")
    await _held(bot, pair, [10, 7, 4], mentor_safety=2, mentee_safety=2, mentor_new_insight=True, mentor_topic_key="x")
    await _sweep_twice(bot, START)  # each side's own: 3, 2, 2, 2 -> 2.25 (the default's last three, 2, 2, 2, would fire)
    assert await _rows(bot, "detector_low_safety") == []

    await _held(bot, pair, [1], mentor_safety=2, mentee_safety=2, mentor_new_insight=True, mentor_topic_key="x")
    await _sweep_twice(bot, START)  # 2, 2, 2, 2 -> exactly 2.0
    assert [row.recipient_id for row in await _rows(bot, "detector_low_safety")] == [MENTEE, MENTOR]


async def test_stalled_goal_prompts_after_the_programmes_number_of_sessions(bot, pair):
    await _set_thresholds(bot, pair, stalled_goal_sessions=2)
    async with bot.services.sessions.begin() as session:
        goal = await make_goal(session, pair=pair, owner_id=MENTEE, text="Listen more", updated_at=START - timedelta(days=60))
    await _held(bot, pair, [13], mentor_new_insight=True, mentor_topic_key="x")
    await _sweep_twice(bot, START)
    assert await _rows(bot, "detector_stalled_goal") == []

    sessions = await _held(bot, pair, [8], mentor_new_insight=True, mentor_topic_key="x")
    await _sweep_twice(bot, START)
    rows = await _rows(bot, "detector_stalled_goal")
    assert [(row.recipient_id, row.key) for row in rows] == [(MENTEE, f"detector:stalled-goal:goal:{goal.id}:session:{sessions[0].id}")]
    assert "your last two sessions" in rows[0].payload


# --- the event loop --------------------------------------------------------------------------
# The planning pass runs on the bot's one event loop, which also acknowledges Slack's requests: its
# long stretches of Python must let other tasks run between chunks.


def _runs(events: list[str], name: str) -> list[int]:
    """Lengths of the runs of `name` in `events` with nothing else in between."""
    runs, current = [], 0
    for happened in [*events, ""]:
        if happened == name:
            current += 1
        elif current:
            runs, current = [*runs, current], 0
    return runs


async def _with_ticker(events: list[str], work):
    """Run `work` while another task notes each turn it gets on the loop."""
    done = asyncio.Event()

    async def tick() -> None:
        while not done.is_set():
            events.append("tick")
            await asyncio.sleep(0)

    ticker = asyncio.create_task(tick())
    try:
        return await work
    finally:
        done.set()
        await ticker


async def test_the_detectors_let_other_tasks_run_between_chunks_of_pairs(bot, monkeypatch):
    monkeypatch.setattr(reflection_sweep, "CHUNK", 2)
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=90))
        for number in range(6):
            pair = await make_pair(session, programme=programme, now=START - timedelta(days=90), mentor_id=f"U0M{number}", mentee_id=f"U0E{number}")
            await make_session(session, pair=pair, starts_at=START - timedelta(days=2), status="held")
    events: list[str] = []
    tips_of = reflection_sweep._tips

    def noting(*args, **kwargs):
        events.append("pair")
        return tips_of(*args, **kwargs)

    monkeypatch.setattr(reflection_sweep, "_tips", noting)
    async with bot.services.sessions.begin() as session:
        await _with_ticker(events, reflection_sweep.run_detectors(session, now=START))
    assert _runs(events, "pair") == [2, 2, 2]


async def test_the_histories_are_built_a_part_of_the_sessions_at_a_time(bot, pair, monkeypatch):
    monkeypatch.setattr(reflections_store, "STREAMED_ROWS", 2)
    async with bot.services.sessions.begin() as session:
        for days in range(6):
            await make_session(session, pair=pair, starts_at=START - timedelta(days=2 + days), status="held")
    events: list[str] = []
    facts_of = detectors.SessionFacts

    def noting(*args, **kwargs):
        events.append("session")
        return facts_of(*args, **kwargs)

    monkeypatch.setattr(detectors, "SessionFacts", noting)
    async with bot.services.sessions.begin() as session:
        histories = await _with_ticker(events, reflection_sweep.pair_histories(
            session, pairs=[pair], pair_ids=select(Pair.id).where(Pair.id == pair.id), now=START
        ))
    assert _runs(events, "session") == [2, 2, 2]
    assert len(histories[pair.id].held) == 6


async def test_the_detectors_leave_the_garbage_collector_as_they_found_it(bot, pair):
    assert gc.isenabled()
    async with bot.services.sessions.begin() as session:
        await reflection_sweep.run_detectors(session, now=START)
    assert gc.isenabled()
    gc.disable()
    try:
        async with bot.services.sessions.begin() as session:
            await reflection_sweep.run_detectors(session, now=START)
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_the_follow_up_scan_reads_everyone_answered_in_one_query_whatever_the_number_of_sessions(bot):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=90))
        for number in range(4):
            pair = await make_pair(session, programme=programme, now=START - timedelta(days=90), mentor_id=f"U0M{number}", mentee_id=f"U0E{number}")
            mentoring_session = await make_session(session, pair=pair, starts_at=START, status="held")
            for author in (pair.mentor_id, pair.mentee_id):
                await make_reflection(session, mentoring_session=mentoring_session, author_id=author)
    statements: list[str] = []

    def note(*args) -> None:
        statements.append(args[2])

    engine = bot.engine.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        async with bot.services.sessions() as session:
            due = await reflections_store.follow_ups_due(
                session, now=START + timedelta(hours=26), after=reflection_sweep.FOLLOW_UP_AFTER, window=reflection_sweep.WINDOW
            )
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert due == []
    assert len(statements) == 2  # the sessions in the window, and their reflections
