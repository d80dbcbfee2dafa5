"""The reflection in the DM, by buttons, by typed replies, after a restart and as a form, through
signed HTTP into the real app."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.runtime import build_runtime
from prompts.errors import COULD_NOT_FINISH
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import Action, MentoringSession, Outbox, Reflection, RoadmapItem
from tests.conftest import SIGNING_SECRET, START
from tests.factories import make_pair, make_person, make_programme
from tests.factories_sessions import make_roadmap, make_session
from tests.slack_failures import FAILURE_SHAPES

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"


@pytest.fixture
async def ended(bot):
    """A pair whose session ended an hour ago (its post-session prompt has gone out)."""
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=30))
        await make_person(session, user_id=MENTOR, tz="Asia/Kolkata", now=START)
        await make_person(session, user_id=MENTEE, tz="America/New_York", now=START)
        pair = await make_pair(session, programme=programme, now=START - timedelta(days=30))
        await make_roadmap(
            session,
            pair=pair,
            topics=[("hybrid-working", "Hybrid and remote working"), ("ai-tools-at-work", "AI tools at work"), ("own:1", "Our own topic")],
        )
        mentoring_session = await make_session(session, pair=pair, starts_at=START - timedelta(hours=2))
        return mentoring_session.id


def _buttons(message) -> list[dict]:
    return [element for block in message.blocks if block["type"] == "actions" for element in block["elements"]]


async def _posts(workspace: Workspace) -> int:
    return len(workspace.calls_to("chat.postMessage"))


async def _click(slack: SlackRequests, workspace: Workspace, user_id: str, label: str, *, expect_posts: int = 1) -> None:
    """Click the button with this label on the newest DM message that has it; wait for the replies."""
    before = await _posts(workspace)
    for message in reversed(workspace.dm_messages(user_id)):
        for element in _buttons(message):
            if element["text"]["text"] == label:
                response = await slack.block_action(user_id, {**element, "type": "button", "block_id": "b"}, message=message.as_slack())
                assert response.status == 200
                await workspace.wait_for_calls("chat.postMessage", before + expect_posts)
                return
    raise AssertionError(f"no button {label!r} in {user_id}'s DM")


async def _say(slack: SlackRequests, workspace: Workspace, user_id: str, text: str, *, expect_posts: int = 1) -> str:
    """Type a DM; return the text of the bot's (last) reply."""
    before = await _posts(workspace)
    await slack.direct_message(user_id, text)
    posts = await workspace.wait_for_calls("chat.postMessage", before + expect_posts)
    assert len(posts) == before + expect_posts
    return json.dumps(posts[-1].args)


async def _reflection(bot, session_id: int, user_id: str) -> Reflection:
    async with bot.services.sessions() as session:
        return (await session.exec(select(Reflection).where(Reflection.session_id == session_id, Reflection.author_id == user_id))).one()


async def _start(slack: SlackRequests, workspace: Workspace, user_id: str) -> None:
    before = await _posts(workspace)
    response = await slack.command(user_id, "reflect")
    assert response.status == 200
    await workspace.wait_for_calls("chat.postMessage", before + 1)


async def test_reflection_by_buttons_stores_every_answer(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTOR)
    assert "Question 1 of 7" in workspace.dm_messages(MENTOR)[-1].text
    await _click(slack, workspace, MENTOR, "Yes, it did")
    await _click(slack, workspace, MENTOR, "Me")
    await _click(slack, workspace, MENTOR, "4")
    await _click(slack, workspace, MENTOR, "AI tools at work")
    await _click(slack, workspace, MENTOR, "Nothing new this time")
    await _click(slack, workspace, MENTOR, "No actions this time")
    await _click(slack, workspace, MENTOR, "Share with my partner")

    reflection = await _reflection(bot, ended, MENTOR)
    assert (reflection.took_place, reflection.led_by, reflection.safety, reflection.topic_key) == ("yes", "mentor", 4, "ai-tools-at-work")
    assert (reflection.new_insight, reflection.shared, reflection.step) == (False, True, 8)
    assert reflection.completed_at == START
    async with bot.services.sessions() as session:
        assert (await session.get(MentoringSession, ended)).status == "held"
        covered = (await session.exec(select(RoadmapItem).where(RoadmapItem.topic_key == "ai-tools-at-work"))).one()
    assert (covered.covered_session_id, covered.covered_at) == (ended, START)
    assert "reflection is saved" in workspace.dm_messages(MENTOR)[-1].text


async def test_clicked_question_is_replaced_by_the_answer(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTOR)
    await _click(slack, workspace, MENTOR, "Yes, it did")
    updates = await workspace.wait_for_calls("chat.update")
    assert "Yes, it did" in json.dumps(updates[-1].args["blocks"])
    assert not any(_buttons(message) for message in workspace.dm_messages(MENTOR) if message.ts == updates[-1].args["ts"])


async def test_low_safety_answer_gets_private_tips_to_the_author_only(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTEE)
    await _click(slack, workspace, MENTEE, "Yes, it did")
    await _click(slack, workspace, MENTEE, "About even")
    await _click(slack, workspace, MENTEE, "2", expect_posts=2)
    texts = [message.text for message in workspace.dm_messages(MENTEE)]
    assert "A few thoughts, just for you." in texts
    assert all("just for you" not in message.text for message in workspace.dm_messages(MENTOR))
    assert (await _reflection(bot, ended, MENTEE)).led_by == "balanced"


async def test_reflection_by_typed_answers_with_bad_and_skipped_ones(bot, slack, workspace, ended):
    # No button clicked yet: the first DM after the prompt is the answer to question 1.
    assert "didn't quite catch" in await _say(slack, workspace, MENTEE, "hmm, hard to say")
    assert "Question 2 of 7" in await _say(slack, workspace, MENTEE, "Yes")
    assert "Question 3 of 7" in await _say(slack, workspace, MENTEE, "my partner")
    assert "number from 1 to 5" in await _say(slack, workspace, MENTEE, "eleven out of ten")
    assert "Question 4 of 7" in await _say(slack, workspace, MENTEE, "five")
    assert "no topic with that number" in await _say(slack, workspace, MENTEE, "7")
    assert "Question 5 of 7" in await _say(slack, workspace, MENTEE, "hybrid")
    assert "Question 6 of 7" in await _say(slack, workspace, MENTEE, "skip")
    assert "Question 7 of 7" in await _say(slack, workspace, MENTEE, "Read the graduate survey by 2026-04-01\n- Ask HR about exit interviews")
    assert "reflection is saved" in await _say(slack, workspace, MENTEE, "no")

    reflection = await _reflection(bot, ended, MENTEE)
    assert (reflection.took_place, reflection.led_by, reflection.safety, reflection.topic_key) == ("yes", "mentor", 5, "hybrid-working")
    assert (reflection.learning, reflection.new_insight, reflection.shared) == ("", None, False)
    async with bot.services.sessions() as session:
        actions = (await session.exec(select(Action).order_by(Action.id))).all()
    assert [(a.owner_id, a.text, a.due_on and a.due_on.isoformat(), a.reflection_id) for a in actions] == [
        (MENTEE, "Read the graduate survey", "2026-04-01", reflection.id),
        (MENTEE, "Ask HR about exit interviews", None, reflection.id),
    ]


async def test_typed_learning_sets_new_insight(bot, slack, workspace, ended):
    for answer in ("yes", "me", "3", "other"):
        await _say(slack, workspace, MENTOR, answer)
    await _say(slack, workspace, MENTOR, "Leaders rarely hear how long approvals take")
    reflection = await _reflection(bot, ended, MENTOR)
    assert (reflection.learning, reflection.new_insight, reflection.topic_key) == ("Leaders rarely hear how long approvals take", True, "other")


async def test_cancelled_session_ends_the_reflection_and_records_it(bot, slack, workspace, ended):
    assert "noted it on the session" in await _say(slack, workspace, MENTOR, "it was cancelled")
    async with bot.services.sessions() as session:
        assert (await session.get(MentoringSession, ended)).status == "cancelled"
    reflection = await _reflection(bot, ended, MENTOR)
    assert (reflection.took_place, reflection.completed_at) == ("cancelled", START)
    # Nothing is pending any more: the next DM gets the pointer to help.
    assert "/mentor help" in await _say(slack, workspace, MENTOR, "hello")


async def test_other_person_not_coming_is_a_no_show(bot, slack, workspace, ended):
    await _say(slack, workspace, MENTEE, "they didn't turn up")
    async with bot.services.sessions() as session:
        assert (await session.get(MentoringSession, ended)).status == "no_show"


async def test_dm_with_nothing_pending_gets_the_pointer_to_help(bot, slack, workspace):
    assert "/mentor help" in await _say(slack, workspace, MENTOR, "5")


async def test_reflection_resumes_at_the_same_question_after_a_restart(bot, slack, workspace, ended, settings, clock):
    await _say(slack, workspace, MENTOR, "yes")
    await _say(slack, workspace, MENTOR, "about even")
    await bot.stop()

    restarted = await build_runtime(settings, clock)
    await restarted.serve_http(host="127.0.0.1", port=0)
    requests = SlackRequests(
        workspace=workspace,
        bot_url=f"http://127.0.0.1:{restarted.port}/slack/events",
        signing_secret=SIGNING_SECRET,
        response_base_url=settings.slack_api_url.removesuffix("api/") + "response",
    )
    try:
        # A new sender numbers its events from 1 again: give this one an id the bot has not seen.
        ts = workspace.next_ts()
        event = {"type": "message", "channel_type": "im", "channel": workspace.dm_channel(MENTOR), "user": MENTOR, "text": "4", "ts": ts, "event_ts": ts}
        await requests.event(event, event_id="EvAFTERRESTART")
        posts = await workspace.wait_for_calls("chat.postMessage", 3)
        assert "Question 4 of 7" in posts[-1].args["text"]
        reflection = await _reflection(restarted, ended, MENTOR)
    finally:
        await requests.close()
        await restarted.stop()
    assert (reflection.led_by, reflection.safety, reflection.step) == ("balanced", 4, 4)


async def test_reflect_command_without_a_pair_says_so(bot, slack, workspace):
    await slack.command("U0OTHER", "reflect")
    await _wait_for_response(workspace)
    assert "aren't in a mentoring pair" in json.dumps(workspace.responses[-1])


async def _wait_for_response(workspace: Workspace, count: int = 1) -> None:
    for _ in range(200):
        if len(workspace.responses) >= count:
            return
        await workspace.wait_for_calls("never.called", within=0.02)


async def test_form_shows_errors_under_fields_and_saves_nothing(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTOR)
    await _click(slack, workspace, MENTOR, "Use a form instead", expect_posts=0)
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks[MENTOR][-1]
    values = {
        "took_place": {"value": {"type": "radio_buttons", "selected_option": {"value": "yes"}}},
        "actions": {"value": {"type": "plain_text_input", "value": "Share the survey with my team"}},
        "due": {"value": {"type": "datepicker", "selected_date": "2026-03-01"}},
    }
    response = await slack.view_submission(MENTOR, view, values)
    assert response.json() == {"response_action": "errors", "errors": {"due": "Please choose today or a later date."}}
    reflection = await _reflection(bot, ended, MENTOR)
    assert (reflection.took_place, reflection.completed_at) == (None, None)
    async with bot.services.sessions() as session:
        assert (await session.exec(select(Action))).all() == []


async def test_form_missing_whether_it_took_place_is_an_error(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTOR)
    await _click(slack, workspace, MENTOR, "Use a form instead", expect_posts=0)
    await workspace.wait_for_calls("views.open")
    response = await slack.view_submission(MENTOR, workspace.modal_stacks[MENTOR][-1], {})
    assert "took_place" in response.json()["errors"]


async def test_form_saves_the_whole_reflection_at_once(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTEE)
    await _click(slack, workspace, MENTEE, "Use a form instead", expect_posts=0)
    await workspace.wait_for_calls("views.open")
    values = {
        "took_place": {"value": {"type": "radio_buttons", "selected_option": {"value": "yes"}}},
        "led": {"value": {"type": "radio_buttons", "selected_option": {"value": "partner"}}},
        "safety": {"value": {"type": "static_select", "selected_option": {"value": "1"}}},
        "topic": {"value": {"type": "static_select", "selected_option": {"value": "hybrid-working"}}},
        "learning": {"value": {"type": "plain_text_input", "value": "Juniors feel invisible on hybrid calls"}},
        "actions": {"value": {"type": "plain_text_input", "value": "Camera-on rule for my staff meeting\nAsk the team by friday"}},
        "due": {"value": {"type": "datepicker", "selected_date": "2026-03-20"}},
        "share": {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}},
    }
    before = await _posts(workspace)
    response = await slack.view_submission(MENTEE, workspace.modal_stacks[MENTEE][-1], values)
    assert response.status == 200 and not response.text
    await workspace.wait_for_calls("chat.postMessage", before + 2)

    reflection = await _reflection(bot, ended, MENTEE)
    assert (reflection.took_place, reflection.led_by, reflection.safety, reflection.topic_key) == ("yes", "mentor", 1, "hybrid-working")
    assert (reflection.learning, reflection.new_insight, reflection.shared, reflection.completed_at) == (
        "Juniors feel invisible on hybrid calls", True, True, START,
    )
    async with bot.services.sessions() as session:
        actions = (await session.exec(select(Action).order_by(Action.id))).all()
        reminders = (await session.exec(select(Outbox).where(Outbox.kind == "action_due").order_by(Outbox.id))).all()
    # 'by friday' is read in New York on Wednesday 4 March: Friday 6 March. The other takes the picker's date.
    assert [(a.text, a.due_on.isoformat()) for a in actions] == [("Camera-on rule for my staff meeting", "2026-03-20"), ("Ask the team", "2026-03-06")]
    assert [(r.recipient_id, r.due_at) for r in reminders] == [
        (MENTEE, datetime(2026, 3, 20, 14, 0, tzinfo=UTC)),  # 10:00 EDT
        (MENTEE, datetime(2026, 3, 6, 15, 0, tzinfo=UTC)),  # 10:00 EST
    ]
    texts = [message.text for message in workspace.dm_messages(MENTEE)]
    assert "A few thoughts, just for you." in texts


async def test_form_opens_with_the_answers_given_so_far(bot, slack, workspace, ended):
    await _say(slack, workspace, MENTOR, "yes")
    await _say(slack, workspace, MENTOR, "me")
    await _click(slack, workspace, MENTOR, "Use a form instead", expect_posts=0)
    await workspace.wait_for_calls("views.open")
    blocks = {block.get("block_id"): block for block in workspace.modal_stacks[MENTOR][-1]["blocks"]}
    assert blocks["took_place"]["element"]["initial_option"]["value"] == "yes"
    assert blocks["led"]["element"]["initial_option"]["value"] == "me"
    assert len(workspace.modal_stacks[MENTOR][-1]["title"]["text"]) <= 24


async def test_skip_button_moves_on_and_keeps_the_answer_empty(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTOR)
    await _click(slack, workspace, MENTOR, "Yes, it did")
    await _click(slack, workspace, MENTOR, "Skip")
    assert "Question 3 of 7" in workspace.dm_messages(MENTOR)[-1].text
    reflection = await _reflection(bot, ended, MENTOR)
    assert (reflection.led_by, reflection.step) == (None, 3)


async def test_clicking_an_earlier_question_again_changes_nothing(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTOR)
    first = workspace.dm_messages(MENTOR)[-1]
    as_sent = first.as_slack()  # the click below replaces its buttons with the answer
    cancelled = next(element for element in _buttons(first) if element["text"]["text"] == "It was cancelled")
    await _click(slack, workspace, MENTOR, "Yes, it did")
    await slack.block_action(MENTOR, {**cancelled, "type": "button"}, message=as_sent)
    await _wait_for_response(workspace, 2)
    assert "already answered" in json.dumps(workspace.responses[-1])
    async with bot.services.sessions() as session:
        assert (await session.get(MentoringSession, ended)).status == "held"


async def test_the_sessions_prompt_button_id_is_understood(bot, slack, workspace, ended):
    """The post-session prompt (sessions issue) uses the plain action_id with '<session>:<answer>'."""
    await slack.block_action(MENTEE, {"type": "button", "action_id": "reflection_took_place", "value": f"{ended}:no_show"})
    await workspace.wait_for_calls("chat.postMessage")
    assert (await _reflection(bot, ended, MENTEE)).took_place == "no_show"


# --- answered questions lose their buttons, however they were answered ---------------------------


def _message_at(workspace: Workspace, user_id: str, ts: str):
    return next(message for message in workspace.dm_messages(user_id) if message.ts == ts)


async def _remembered(bot, workspace: Workspace, session_id: int, user_id: str, ts: str) -> None:
    """Wait until the store knows the question posted at `ts` shows buttons (it is written just after the post)."""
    for _ in range(200):
        if ts in (await _reflection(bot, session_id, user_id)).open_messages:
            return
        await workspace.wait_for_calls("never.called", within=0.02)
    raise AssertionError(f"question {ts} was never remembered")


async def test_a_typed_answer_replaces_the_questions_buttons_with_the_answer(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTOR)
    question = workspace.dm_messages(MENTOR)[-1]
    assert _buttons(question)
    await _remembered(bot, workspace, ended, MENTOR, question.ts)
    await _say(slack, workspace, MENTOR, "yes")
    [update] = await workspace.wait_for_calls("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (workspace.dm_channel(MENTOR), question.ts)
    answered = _message_at(workspace, MENTOR, question.ts)
    assert not _buttons(answered)
    assert "Your answer: *Yes, it did*" in json.dumps(answered.blocks)

    second = workspace.dm_messages(MENTOR)[-1]
    assert "Question 2 of 7" in second.text and _buttons(second)
    await _remembered(bot, workspace, ended, MENTOR, second.ts)
    await _say(slack, workspace, MENTOR, "about even")
    updates = await workspace.wait_for_calls("chat.update", 2)
    assert [call.args["ts"] for call in updates] == [question.ts, second.ts]
    assert "Your answer: *About even*" in json.dumps(_message_at(workspace, MENTOR, second.ts).blocks)
    assert (await _reflection(bot, ended, MENTOR)).led_by == "balanced"


async def test_a_click_clears_the_re_asked_copy_of_the_question_too(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTOR)
    assert "didn't quite catch" in await _say(slack, workspace, MENTOR, "hmm, hard to say")
    original, reask = workspace.dm_messages(MENTOR)[-2:]
    assert _buttons(original) and _buttons(reask)
    await _remembered(bot, workspace, ended, MENTOR, reask.ts)
    await _remembered(bot, workspace, ended, MENTOR, original.ts)
    yes = next(element for element in _buttons(original) if element["text"]["text"] == "Yes, it did")
    before = await _posts(workspace)
    await slack.block_action(MENTOR, {**yes, "type": "button"}, message=original.as_slack())
    await workspace.wait_for_calls("chat.postMessage", before + 1)
    updates = await workspace.wait_for_calls("chat.update", 2)
    assert sorted(call.args["ts"] for call in updates) == sorted([original.ts, reask.ts])
    # Only the next question still has answer buttons.
    with_buttons = [message for message in workspace.dm_messages(MENTOR) if any(b["action_id"].startswith("reflection_") and b["action_id"] != "reflection_open_form" for b in _buttons(message))]
    assert [message.text.split(".")[0] for message in with_buttons] == ["Question 2 of 7"]


async def test_a_click_on_a_question_already_answered_by_typing_changes_nothing(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTOR)
    question = workspace.dm_messages(MENTOR)[-1]
    as_sent = question.as_slack()  # a client that has not redrawn the message yet still shows the buttons
    cancelled = next(element for element in _buttons(question) if element["text"]["text"] == "It was cancelled")
    await _remembered(bot, workspace, ended, MENTOR, question.ts)
    await _say(slack, workspace, MENTOR, "yes")
    await workspace.wait_for_calls("chat.update")
    await _remembered(bot, workspace, ended, MENTOR, workspace.dm_messages(MENTOR)[-1].ts)
    calls = (await _posts(workspace), len(workspace.calls_to("chat.update")))
    responses = len(workspace.responses)

    await slack.block_action(MENTOR, {**cancelled, "type": "button"}, message=as_sent)
    await _wait_for_response(workspace, responses + 1)
    assert "already answered" in json.dumps(workspace.responses[-1])
    assert workspace.responses[-1].get("response_type") == "ephemeral"
    assert (await _posts(workspace), len(workspace.calls_to("chat.update"))) == calls
    reflection = await _reflection(bot, ended, MENTOR)
    assert (reflection.took_place, reflection.step, reflection.completed_at) == ("yes", 2, None)
    async with bot.services.sessions() as session:
        assert (await session.get(MentoringSession, ended)).status == "held"


async def test_saving_the_form_clears_the_buttons_of_the_open_question(bot, slack, workspace, ended):
    await _start(slack, workspace, MENTOR)
    question = workspace.dm_messages(MENTOR)[-1]
    await _remembered(bot, workspace, ended, MENTOR, question.ts)
    await _click(slack, workspace, MENTOR, "Use a form instead", expect_posts=0)
    await workspace.wait_for_calls("views.open")
    values = {"took_place": {"value": {"type": "radio_buttons", "selected_option": {"value": "yes"}}}}
    before = await _posts(workspace)
    response = await slack.view_submission(MENTOR, workspace.modal_stacks[MENTOR][-1], values)
    assert response.status == 200
    await workspace.wait_for_calls("chat.postMessage", before + 1)
    [update] = await workspace.wait_for_calls("chat.update")
    assert update.args["ts"] == question.ts
    assert not _buttons(_message_at(workspace, MENTOR, question.ts))
    assert "Answered in the form" in json.dumps(update.args["blocks"])


@pytest.fixture
async def paired(bot):
    """A pair with no session yet: `/mentor log` books one afterwards and sends the real post-session prompt."""
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=30))
        await make_person(session, user_id=MENTOR, tz="Asia/Kolkata", now=START)
        await make_person(session, user_id=MENTEE, tz="America/New_York", now=START)
        pair = await make_pair(session, programme=programme, now=START - timedelta(days=30))
        await make_roadmap(session, pair=pair, topics=[("hybrid-working", "Hybrid and remote working")])
    return pair


async def test_a_typed_answer_clears_the_post_session_prompt_sent_through_the_outbox(bot, slack, workspace, paired):
    await slack.command(MENTEE, "log yesterday 4pm")
    await workspace.wait_for_calls("chat.postMessage", 2)
    [prompt] = workspace.dm_messages(MENTEE)
    assert _buttons(prompt)
    for _ in range(200):  # the outbox settles the row just after the post
        async with bot.services.sessions() as session:
            row = (await session.exec(select(Outbox).where(Outbox.kind == "reflection_prompt", Outbox.recipient_id == MENTEE))).one()
        if row.status == "sent":
            break
        await workspace.wait_for_calls("never.called", within=0.02)
    assert (row.status, row.sent_channel, row.sent_ts) == ("sent", workspace.dm_channel(MENTEE), prompt.ts)

    assert "Question 2 of 7" in await _say(slack, workspace, MENTEE, "yes, we met")
    [update] = await workspace.wait_for_calls("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (workspace.dm_channel(MENTEE), prompt.ts)
    assert not _buttons(_message_at(workspace, MENTEE, prompt.ts))
    assert "Yes, it did" in json.dumps(update.args["blocks"])
    # The partner's prompt is theirs to answer: untouched.
    assert _buttons(workspace.dm_messages(MENTOR)[0])



async def test_questions_answered_the_moment_they_were_posted_still_lose_their_buttons(bot, slack, workspace, ended):
    # No waiting between a post and the reply to it: whichever lands first, no answered question keeps buttons.
    await _start(slack, workspace, MENTOR)
    first = workspace.dm_messages(MENTOR)[-1]
    await _say(slack, workspace, MENTOR, "yes")
    second = workspace.dm_messages(MENTOR)[-1]
    await _say(slack, workspace, MENTOR, "me")
    third = workspace.dm_messages(MENTOR)[-1]
    await _remembered(bot, workspace, ended, MENTOR, third.ts)
    updates = await workspace.wait_for_calls("chat.update", 2)
    assert sorted(call.args["ts"] for call in updates) == sorted([first.ts, second.ts])
    for ts in (first.ts, second.ts):
        assert not _buttons(_message_at(workspace, MENTOR, ts))
    assert "Question 3 of 7" in third.text and _buttons(third)
    assert (await _reflection(bot, ended, MENTOR)).led_by == "mentor"


@pytest.mark.parametrize("shape", sorted(FAILURE_SHAPES))
async def test_a_click_whose_next_question_slack_fails_to_take_tells_the_person_only(bot, slack, workspace, ended, shape):
    await _start(slack, workspace, MENTOR)
    failures, _ = FAILURE_SHAPES[shape]
    workspace.failures["chat.postMessage"] = failures + failures  # however many attempts the client makes
    question = workspace.dm_messages(MENTOR)[-1]
    (took_place,) = [element for element in _buttons(question) if element["text"]["text"] == "Yes, it did"]
    response = await slack.block_action(MENTOR, {**took_place, "type": "button", "block_id": "b"}, message=question.as_slack())
    assert response.status == 200

    def apologies() -> list[dict]:
        return [posted for posted in workspace.responses if posted.get("text") == COULD_NOT_FINISH]

    assert await workspace.wait_until(lambda: bool(apologies()))
    assert apologies()[0]["response_type"] == "ephemeral"
    assert (await _reflection(bot, ended, MENTOR)).took_place == "yes"  # the answer itself was kept


async def test_the_dm_question_and_the_form_list_the_topics_in_roadmap_order(bot, slack, workspace):
    # The roadmap agreed: hybrid (covered already), AI tools, their own topic; the session was booked on
    # the last. Both surfaces keep the agreed order, whatever was covered or booked.
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=30))
        await make_person(session, user_id=MENTOR, tz="Asia/Kolkata", now=START)
        pair = await make_pair(session, programme=programme, now=START - timedelta(days=30))
        topics = [("hybrid-working", "Hybrid and remote working"), ("ai-tools-at-work", "AI tools at work"), ("own:1", "Our own topic")]
        [hybrid, *_] = await make_roadmap(session, pair=pair, topics=topics)
        hybrid.covered_at = START - timedelta(days=7)
        await make_session(session, pair=pair, starts_at=START - timedelta(hours=2), topic_key="own:1")
    roadmap_order = "1. Hybrid and remote working\\n2. AI tools at work\\n3. Our own topic\\n4. Something else"
    await _say(slack, workspace, MENTOR, "yes")
    await _say(slack, workspace, MENTOR, "me")
    assert roadmap_order in await _say(slack, workspace, MENTOR, "4")
    await _click(slack, workspace, MENTOR, "Use a form instead", expect_posts=0)
    await workspace.wait_for_calls("views.open")
    blocks = {block.get("block_id"): block for block in workspace.modal_stacks[MENTOR][-1]["blocks"]}
    listed = [option["text"]["text"] for option in blocks["topic"]["element"]["options"]]
    assert listed == ["Hybrid and remote working", "AI tools at work", "Our own topic", "Something else"]
