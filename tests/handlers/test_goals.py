"""Goals through signed requests: one to three each, seen by both, progress with a note, refusals."""

from __future__ import annotations

from domain.statuses import GoalProgress, PairStatus
from prompts import goals as goal_prompts
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import goals
from store.goals import GoalDraft
from store.models import Goal
from tests.factories import TEAM
from tests.handlers.pairing_support import buttons, initial_values, seed_pair, text_of


def _typed(action_id: str, value: str) -> dict:
    return {action_id: {"type": "plain_text_input", "value": value}}


async def _open_goals_modal(slack: SlackRequests, workspace: Workspace, user_id: str, pair_id: int) -> dict:
    opened = len(workspace.calls_to("views.open"))
    action = {"type": "button", "block_id": "b", "action_id": goal_prompts.GOALS_EDIT_ACTION, "value": str(pair_id)}
    await slack.block_action(user_id, action, view={"id": "VHOME", "type": "home"})
    await workspace.wait_for_calls("views.open", opened + 1)
    return workspace.modal_stacks[user_id][-1]


async def _goals(bot, pair_id: int, owner_id: str) -> list[Goal]:
    async with bot.services.sessions.begin() as session:
        return await goals.goals_of(session, team_id=TEAM, pair_id=pair_id, owner_id=owner_id)


async def _seed_goals(bot, clock, pair_id: int, owner_id: str, *texts: str) -> list[Goal]:
    async with bot.services.sessions.begin() as session:
        return await goals.set_goals(
            session, team_id=TEAM, pair_id=pair_id, owner_id=owner_id, drafts=[GoalDraft(text=text) for text in texts], now=clock.now()
        )


async def test_goals_command_shows_both_sides_goals(slack, bot, clock):
    pair = await seed_pair(bot, clock)
    await _seed_goals(bot, clock, pair.id, "U0MENTOR", "Speak up in senior meetings")
    await _seed_goals(bot, clock, pair.id, "U0MENTEE", "Understand why graduates leave")
    body = await slack.command_reply("U0MENTOR", "goals")
    assert body["response_type"] == "ephemeral"
    text = text_of(body["blocks"])
    assert "Speak up in senior meetings" in text
    assert "Understand why graduates leave" in text


async def test_only_my_own_goals_have_update_buttons(slack, bot, clock):
    pair = await seed_pair(bot, clock)
    mine = await _seed_goals(bot, clock, pair.id, "U0MENTOR", "Speak up in senior meetings")
    await _seed_goals(bot, clock, pair.id, "U0MENTEE", "Understand why graduates leave")
    body = await slack.command_reply("U0MENTOR", "goals")
    updates = [block["accessory"]["value"] for block in body["blocks"] if block.get("accessory", {}).get("action_id") == goal_prompts.GOAL_UPDATE_ACTION]
    assert updates == [str(mine[0].id)]


async def test_goals_command_without_a_pair_is_refused(slack):
    body = await slack.command_reply("U0OTHER", "goals")
    assert "not in a pair yet" in body["text"]


async def test_saving_goals_stores_them_with_what_the_organisation_gains(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    view = await _open_goals_modal(slack, workspace, "U0MENTEE", pair.id)
    values = initial_values(view)
    values[goal_prompts.goal_block(1)] = _typed(goal_prompts.GOAL_ACTION, "Understand why graduates leave")
    values[goal_prompts.benefit_block(1)] = _typed(goal_prompts.BENEFIT_ACTION, "Better retention")
    values[goal_prompts.goal_block(2)] = _typed(goal_prompts.GOAL_ACTION, "Learn how people use AI tools")
    await slack.view_submission("U0MENTEE", view, values)
    await workspace.wait_for_calls("views.publish", 2)  # the last thing a save does
    saved = await _goals(bot, pair.id, "U0MENTEE")
    assert [(goal.text, goal.org_benefit) for goal in saved] == [
        ("Understand why graduates leave", "Better retention"),
        ("Learn how people use AI tools", ""),
    ]
    partner_told = [call for call in workspace.calls_to("chat.postMessage") if call.args["channel"] == "U0MENTOR"]
    assert "has set 2 goals" in partner_told[0].args["text"]


async def test_the_goals_form_offers_three_goals_at_most(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    view = await _open_goals_modal(slack, workspace, "U0MENTOR", pair.id)
    goal_blocks = [block["block_id"] for block in view["blocks"] if block.get("block_id", "").startswith("goal_")]
    assert goal_blocks == ["goal_1", "goal_2", "goal_3"]


async def test_saving_no_goals_at_all_is_sent_back(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    view = await _open_goals_modal(slack, workspace, "U0MENTOR", pair.id)
    body = (await slack.view_submission("U0MENTOR", view, initial_values(view))).json()
    assert body["response_action"] == "errors"
    assert body["errors"] == {"goal_1": "Write at least one goal."}
    assert await _goals(bot, pair.id, "U0MENTOR") == []


async def test_the_store_refuses_a_fourth_goal(bot, clock):
    pair = await seed_pair(bot, clock)
    try:
        await _seed_goals(bot, clock, pair.id, "U0MENTOR", "one", "two", "three", "four")
    except goals.TooManyGoals:
        pass
    else:
        raise AssertionError("four goals were accepted")
    assert await _goals(bot, pair.id, "U0MENTOR") == []


async def test_editing_goals_keeps_progress_and_removes_a_cleared_one(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    first, _ = await _seed_goals(bot, clock, pair.id, "U0MENTOR", "Speak up", "Build a network")
    async with bot.services.sessions.begin() as session:
        goal = await goals.get_goal(session, team_id=TEAM, goal_id=first.id)
        await goals.update_progress(session, goal=goal, progress=GoalProgress.UNDER_WAY, note="Spoke twice", now=clock.now())
    view = await _open_goals_modal(slack, workspace, "U0MENTOR", pair.id)
    values = initial_values(view)
    values[goal_prompts.goal_block(1)] = _typed(goal_prompts.GOAL_ACTION, "Speak up in senior meetings")
    values[goal_prompts.goal_block(2)] = _typed(goal_prompts.GOAL_ACTION, "")
    await slack.view_submission("U0MENTOR", view, values)
    await workspace.wait_for_calls("views.publish", 2)  # the last thing a save does
    saved = await _goals(bot, pair.id, "U0MENTOR")
    assert [(goal.id, goal.text, goal.progress) for goal in saved] == [(first.id, "Speak up in senior meetings", GoalProgress.UNDER_WAY)]


async def test_updating_progress_saves_it_with_a_note_and_refreshes_both_homes(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    (goal,) = await _seed_goals(bot, clock, pair.id, "U0MENTOR", "Speak up in senior meetings")
    listing = await slack.command_reply("U0MENTOR", "goals")
    update = buttons(listing["blocks"])[goal_prompts.GOAL_UPDATE_ACTION]
    await slack.block_action("U0MENTOR", {"type": "button", "block_id": "b", **update}, message={"ts": "1.1", "text": "goals"})
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks["U0MENTOR"][-1]
    values = initial_values(view)
    values[goal_prompts.PROGRESS_BLOCK] = {goal_prompts.PROGRESS_ACTION: {"type": "radio_buttons", "selected_option": {"value": "achieved"}}}
    values[goal_prompts.NOTE_BLOCK] = _typed(goal_prompts.NOTE_ACTION, "Led the all-hands Q&A")
    await slack.view_submission("U0MENTOR", view, values)
    publishes = await workspace.wait_for_calls("views.publish", 2)
    assert {call.args["user_id"] for call in publishes} == {"U0MENTOR", "U0MENTEE"}
    (saved,) = await _goals(bot, pair.id, "U0MENTOR")
    assert (saved.id, saved.progress, saved.note) == (goal.id, GoalProgress.ACHIEVED, "Led the all-hands Q&A")
    assert "Led the all-hands Q&amp;A" in text_of(workspace.home_views["U0MENTEE"]["blocks"])


async def test_the_partner_cannot_update_my_goal(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    (goal,) = await _seed_goals(bot, clock, pair.id, "U0MENTOR", "Speak up in senior meetings")
    action = {"type": "button", "block_id": "b", "action_id": goal_prompts.GOAL_UPDATE_ACTION, "value": str(goal.id)}
    await slack.block_action("U0MENTEE", action, message={"ts": "1.1", "text": "goals"})
    told = await workspace.wait_for_calls("chat.postEphemeral")
    assert "Only the person who set a goal" in told[0].args["text"]
    assert workspace.calls_to("views.open") == []


async def test_someone_outside_the_pair_cannot_open_a_goal(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    (goal,) = await _seed_goals(bot, clock, pair.id, "U0MENTOR", "Speak up in senior meetings")
    action = {"type": "button", "block_id": "b", "action_id": goal_prompts.GOAL_UPDATE_ACTION, "value": str(goal.id)}
    await slack.block_action("U0OTHER", action, message={"ts": "1.1", "text": "goals"})
    told = await workspace.wait_for_calls("chat.postEphemeral")
    assert "not part of" in told[0].args["text"]
    assert "Speak up" not in told[0].args["text"]
    assert workspace.calls_to("views.open") == []


async def test_a_paused_pair_sees_goals_without_update_buttons(slack, bot, clock):
    pair = await seed_pair(bot, clock, status=PairStatus.PAUSED)
    await _seed_goals(bot, clock, pair.id, "U0MENTOR", "Speak up in senior meetings")
    body = await slack.command_reply("U0MENTOR", "goals")
    assert "Speak up in senior meetings" in text_of(body["blocks"])
    assert buttons(body["blocks"]) == {}
    assert "paused" in text_of(body["blocks"])
