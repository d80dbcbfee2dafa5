"""Home and help for someone in a pair: where they stand, and the next step, kept up to date."""

from __future__ import annotations

from prompts import charter as charter_prompts
from prompts import content
from prompts import goals as goal_prompts
from prompts import home as home_prompts
from prompts import topics as topic_prompts
from store import goals
from store.goals import GoalDraft
from tests.factories import TEAM
from tests.handlers.pairing_support import buttons, initial_values, seed_pair, text_of


def _headers(view: dict) -> list[str]:
    return [block["text"]["text"] for block in view["blocks"] if block["type"] == "header"]


async def test_a_participants_home_shows_pair_next_step_charter_goals_and_roadmap(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    async with bot.services.sessions.begin() as session:
        await goals.set_goals(session, team_id=TEAM, pair_id=pair.id, owner_id="U0MENTEE", drafts=[GoalDraft(text="Hear it straight")], now=clock.now())
    await slack.app_home_opened("U0MENTOR")
    await workspace.wait_for_calls("views.publish")
    view = workspace.home_views["U0MENTOR"]
    assert _headers(view) == [
        "Your reverse-mentoring pair",
        home_prompts.HOME_NEXT_HEADER,
        home_prompts.HOME_SESSION_HEADER,
        home_prompts.HOME_CHARTER_HEADER,
        home_prompts.HOME_GOALS_HEADER,
        home_prompts.HOME_ACTIONS_HEADER,
        home_prompts.HOME_ROADMAP_HEADER,
    ]
    text = text_of(view["blocks"])
    assert "You're the *reverse-mentor* in a pair with <@U0MENTEE>" in text
    assert "Hear it straight" in text
    next_step = buttons(view["blocks"][3:4])
    assert next_step[charter_prompts.CHARTER_EDIT_ACTION]["text"]["text"] == "Start your charter"


async def test_saving_the_charter_republishes_home_for_both_sides(slack, workspace, bot, clock):
    await seed_pair(bot, clock)
    await slack.command("U0MENTOR", "charter")
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks["U0MENTOR"][-1]
    await slack.view_submission("U0MENTOR", view, initial_values(view))
    publishes = await workspace.wait_for_calls("views.publish", 2)
    assert {call.args["user_id"] for call in publishes} == {"U0MENTOR", "U0MENTEE"}
    mentee_home = text_of(workspace.home_views["U0MENTEE"]["blocks"])
    assert "Your partner agreed version 1; waiting for you." in mentee_home
    assert "waiting for you to agree your charter" in mentee_home
    assert "Set one to three personal goals" in text_of(workspace.home_views["U0MENTOR"]["blocks"])


async def test_saving_goals_republishes_home_for_both_sides(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    action = {"type": "button", "block_id": "b", "action_id": goal_prompts.GOALS_EDIT_ACTION, "value": str(pair.id)}
    await slack.block_action("U0MENTEE", action, view={"id": "VHOME", "type": "home"})
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks["U0MENTEE"][-1]
    values = initial_values(view)
    values[goal_prompts.goal_block(1)] = {goal_prompts.GOAL_ACTION: {"type": "plain_text_input", "value": "Understand hybrid working"}}
    await slack.view_submission("U0MENTEE", view, values)
    await workspace.wait_for_calls("views.publish", 2)
    assert "Understand hybrid working" in text_of(workspace.home_views["U0MENTOR"]["blocks"])


async def test_help_for_a_participant_shows_where_they_stand_and_the_next_step(slack, bot, clock):
    await seed_pair(bot, clock)
    body = await slack.command_reply("U0MENTEE", "help")
    text = text_of(body["blocks"])
    assert "You're the *mentee* in a pair with <@U0MENTOR>" in text
    assert "*Your next step:* Agree a charter" in text
    assert "/mentor charter" in text


async def test_help_for_someone_not_in_a_pair_still_lists_the_commands(slack):
    body = await slack.command_reply("U0OTHER", "help")
    text = text_of(body["blocks"])
    assert "Your next step" not in text
    assert "/mentor goals" in text


async def _submit_and_settle(slack, workspace, user_id: str, view: dict, values: dict) -> None:
    """Submit, then wait for both Home tabs to be republished: the last thing every change does."""
    publishes = len(workspace.calls_to("views.publish"))
    await slack.view_submission(user_id, view, values)
    await workspace.wait_for_calls("views.publish", publishes + 2)


async def _open_from_home(slack, workspace, user_id: str, action_id: str, pair_id: int) -> dict:
    opened = len(workspace.calls_to("views.open"))
    await slack.block_action(user_id, {"type": "button", "block_id": "b", "action_id": action_id, "value": str(pair_id)}, view={"id": "V", "type": "home"})
    await workspace.wait_for_calls("views.open", opened + 1)
    return workspace.modal_stacks[user_id][-1]


async def test_a_pair_that_has_agreed_everything_is_told_to_book_the_first_session(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    for user_id in ("U0MENTOR", "U0MENTEE"):  # the second save, unchanged, is the second agreement
        view = await _open_from_home(slack, workspace, user_id, charter_prompts.CHARTER_EDIT_ACTION, pair.id)
        await _submit_and_settle(slack, workspace, user_id, view, initial_values(view))
    for user_id in ("U0MENTOR", "U0MENTEE"):
        view = await _open_from_home(slack, workspace, user_id, goal_prompts.GOALS_EDIT_ACTION, pair.id)
        values = initial_values(view)
        values[goal_prompts.goal_block(1)] = {goal_prompts.GOAL_ACTION: {"type": "plain_text_input", "value": f"A goal of {user_id}"}}
        await _submit_and_settle(slack, workspace, user_id, view, values)
    view = await _open_from_home(slack, workspace, "U0MENTOR", topic_prompts.TOPICS_CHOOSE_ACTION, pair.id)
    keys = [topic["key"] for topic in content.topic_catalogue()[:4]]
    chosen = {"type": "multi_static_select", "selected_options": [{"text": {"type": "plain_text", "text": k}, "value": k} for k in keys]}
    await _submit_and_settle(slack, workspace, "U0MENTOR", view, {**initial_values(view), topic_prompts.CHOOSE_BLOCK: {topic_prompts.CHOOSE_ACTION: chosen}})
    agree = buttons(workspace.home_views["U0MENTEE"]["blocks"])[topic_prompts.TOPICS_AGREE_ACTION]
    publishes = len(workspace.calls_to("views.publish"))
    await slack.block_action("U0MENTEE", {"type": "button", "block_id": "b", **agree}, view={"id": "V", "type": "home"})
    await workspace.wait_for_calls("views.publish", publishes + 2)
    for user_id in ("U0MENTOR", "U0MENTEE"):
        text = text_of(workspace.home_views[user_id]["blocks"])
        assert "You're all set up. Book your first session" in text
        assert "In force: you both agreed version 1." in text
        assert "You've both agreed this roadmap." in text
