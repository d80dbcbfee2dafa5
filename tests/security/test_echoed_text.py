"""Text one person types, echoed to another (issue 14, finding 7): it must arrive as the words typed.

Slack reads `<...>` in mrkdwn as a mention, a broadcast or a link, so a cancellation reason of
`<!channel>` would ping everyone, `<@U0OTHER> says:` would put words in a colleague's mouth and
`<https://evil.example|Re-authenticate Slack>` would disguise a link. Each test has one person type
all three (and a literal `&amp;`) through the real app, then reads every mrkdwn string the partner was
sent, as the Web API stand-in recorded them: the escaped text is there, the live markup is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from prompts import actions as action_prompts
from prompts import charter as charter_prompts
from prompts import goals as goal_prompts
from prompts import sessions as session_prompts
from prompts import topics as topic_prompts
from prompts.blocks import escape
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from tests.conftest import START
from tests.factories import make_charter, make_pair, make_person, make_programme
from tests.factories_sessions import make_roadmap, make_session
from tests.handlers.admin_helpers import open_modal, with_values
from tests.handlers.pairing_support import buttons, initial_values, option
from tests.prompts.test_escape import OWN_CALENDAR_LINK

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"
HOSTILE = "<!channel> <@U0OTHER> says: <https://evil.example|Re-authenticate Slack> &amp;"
ESCAPED = "&lt;!channel&gt; &lt;@U0OTHER&gt; says: &lt;https://evil.example|Re-authenticate Slack&gt; &amp;amp;"
LIVE_MARKUP = ("<!channel>", "<@U0OTHER>", "<https://")


def _mrkdwn_in(node: Any) -> Iterator[str]:
    """Every mrkdwn text object inside blocks (section text, fields, context elements...)."""
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn":
            yield str(node.get("text", ""))
        for value in node.values():
            yield from _mrkdwn_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from _mrkdwn_in(value)


def _seen_by(workspace: Workspace, user_id: str, *extra: dict[str, Any]) -> str:
    """What Slack formats for this person: each DM's `text` (Slack formats it too) and its mrkdwn,
    their Home tab's mrkdwn, and any reply bodies given."""
    texts: list[str] = []
    for message in workspace.dm_messages(user_id):
        texts.append(message.text)
        texts += _mrkdwn_in(message.blocks)
    texts += _mrkdwn_in(workspace.home_views.get(user_id, {}))
    for body in extra:
        texts.append(str(body.get("text", "")))
        texts += _mrkdwn_in(body.get("blocks", []))
    return "\n".join(texts)


def _assert_defused(seen: str) -> None:
    seen = re.sub(OWN_CALENDAR_LINK, "", seen)  # the bot's own "Add to calendar" links, typed text only URL-encoded in them
    for markup in LIVE_MARKUP:
        assert markup not in seen, f"{markup} arrived as live markup"
    assert ESCAPED in seen, "the typed text should arrive, escaped"
    assert "&amp;lt;" not in seen and "&amp;amp;amp;" not in seen, "escaped twice: it would show as &lt;"


@pytest.fixture
async def pair(bot, clock):
    """An agreed pair with a roadmap, ready to book sessions."""
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now())
        await make_charter(session, pair=pair, now=clock.now(), session_minutes=45)
        await make_roadmap(session, pair=pair, topics=[("hybrid-working", "Hybrid working in practice"), ("ai-tools-at-work", "AI tools at work")])
    return pair


async def test_a_cancellation_reason_reaches_the_partner_as_typed_text(slack: SlackRequests, workspace: Workspace, pair):
    await slack.command_reply(MENTEE, "schedule next tuesday 9am")  # 18:30 for Priya: inside both working days
    await workspace.wait_for_calls("chat.postMessage", 2)
    booking = workspace.dm_messages(MENTEE)[0]
    cancel = buttons(booking.blocks)[session_prompts.CANCEL_ACTION]
    await slack.block_action(MENTEE, {"type": "button", "block_id": "b", **cancel}, message=booking.as_slack())
    await workspace.wait_for_calls("views.open")
    values = {session_prompts.REASON_BLOCK: {session_prompts.VALUE: {"type": "plain_text_input", "value": HOSTILE}}}
    assert not (await slack.view_submission(MENTEE, workspace.modal_stacks[MENTEE][-1], values)).text
    await workspace.wait_for_calls("chat.postMessage", 4)
    _assert_defused(_seen_by(workspace, MENTOR))


async def test_an_action_reaches_the_partners_list_as_typed_text(slack: SlackRequests, workspace: Workspace, pair):
    await slack.command(MENTEE, "actions")
    await workspace.wait_for_calls("chat.postMessage")
    listing = workspace.dm_messages(MENTEE)[-1]
    add = buttons(listing.blocks)[action_prompts.ACTION_ADD_ACTION]
    await slack.block_action(MENTEE, {"type": "button", "block_id": "b", **add}, message=listing.as_slack())
    await workspace.wait_for_calls("views.open")
    values = {"text": {"value": {"type": "plain_text_input", "value": HOSTILE}}}
    assert not (await slack.view_submission(MENTEE, workspace.modal_stacks[MENTEE][-1], values)).text
    await workspace.wait_for_calls("chat.update")
    posts = len(workspace.calls_to("chat.postMessage"))
    await slack.command(MENTOR, "actions")
    await workspace.wait_for_calls("chat.postMessage", posts + 1)
    _assert_defused(_seen_by(workspace, MENTOR))


async def test_a_goal_reaches_the_partners_home_as_typed_text(slack: SlackRequests, workspace: Workspace, pair):
    action = {"type": "button", "block_id": "b", "action_id": goal_prompts.GOALS_EDIT_ACTION, "value": str(pair.id)}
    await slack.block_action(MENTEE, action, view={"id": "VHOME", "type": "home"})
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks[MENTEE][-1]
    values = initial_values(view)
    values[goal_prompts.goal_block(1)] = {goal_prompts.GOAL_ACTION: {"type": "plain_text_input", "value": HOSTILE}}
    values[goal_prompts.benefit_block(1)] = {goal_prompts.BENEFIT_ACTION: {"type": "plain_text_input", "value": HOSTILE}}
    await slack.view_submission(MENTEE, view, values)
    await workspace.wait_for_calls("views.publish", 2)
    _assert_defused(_seen_by(workspace, MENTOR))


async def test_a_custom_topic_title_reaches_the_partner_as_typed_text(slack: SlackRequests, workspace: Workspace, bot, clock):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now())
    action = {"type": "button", "block_id": "b", "action_id": topic_prompts.TOPICS_CHOOSE_ACTION, "value": str(pair.id)}
    await slack.block_action(MENTOR, action, view={"id": "VHOME", "type": "home"})
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks[MENTOR][-1]
    keys = ["hybrid-working", "ai-tools-at-work", "lived-experience"]
    values = {
        **initial_values(view),
        topic_prompts.CHOOSE_BLOCK: {topic_prompts.CHOOSE_ACTION: {"type": "multi_static_select", "selected_options": [option(key) for key in keys]}},
        topic_prompts.OWN_BLOCK: {topic_prompts.OWN_ACTION: {"type": "plain_text_input", "value": HOSTILE}},
    }
    await slack.view_submission(MENTOR, view, values)
    await workspace.wait_for_calls("views.publish", 2)
    _assert_defused(_seen_by(workspace, MENTEE))


async def test_a_charter_responsibility_and_own_rule_reach_the_partner_as_typed_text(slack: SlackRequests, workspace: Workspace, bot, clock):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        await make_pair(session, programme=programme, now=clock.now())
    await slack.command(MENTOR, "charter")
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks[MENTOR][-1]
    values = initial_values(view)
    values[charter_prompts.MENTOR_DUTIES_BLOCK] = {charter_prompts.MENTOR_DUTIES_ACTION: {"type": "plain_text_input", "value": HOSTILE}}
    values[charter_prompts.OWN_RULES_BLOCK] = {charter_prompts.OWN_RULES_ACTION: {"type": "plain_text_input", "value": HOSTILE}}
    await slack.view_submission(MENTOR, view, values)
    await workspace.wait_for_calls("views.publish", 2)
    _assert_defused(_seen_by(workspace, MENTEE))


async def test_a_shared_reflection_and_its_actions_reach_the_partner_as_typed_text(slack: SlackRequests, workspace: Workspace, bot):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=30))
        await make_person(session, user_id=MENTOR, tz="Asia/Kolkata", now=START)
        await make_person(session, user_id=MENTEE, tz="America/New_York", now=START)
        pair = await make_pair(session, programme=programme, now=START - timedelta(days=30))
        await make_roadmap(session, pair=pair, topics=[("hybrid-working", "Hybrid and remote working"), ("ai-tools-at-work", "AI tools at work")])
        await make_session(session, pair=pair, starts_at=START - timedelta(hours=2))
    for user_id, typed in ((MENTEE, HOSTILE), (MENTOR, "Listened more than I spoke")):
        posts = len(workspace.calls_to("chat.postMessage"))
        await slack.command(user_id, "reflect")
        await workspace.wait_for_calls("chat.postMessage", posts + 1)
        question = workspace.dm_messages(user_id)[-1]
        form = buttons(question.blocks)["reflection_open_form"]
        opened = len(workspace.calls_to("views.open"))
        await slack.block_action(user_id, {"type": "button", "block_id": "b", **form}, message=question.as_slack())
        await workspace.wait_for_calls("views.open", opened + 1)
        values = {
            "took_place": {"value": {"type": "radio_buttons", "selected_option": {"value": "yes"}}},
            "learning": {"value": {"type": "plain_text_input", "value": typed}},
            "actions": {"value": {"type": "plain_text_input", "value": typed}},
            "share": {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}},
        }
        posts = len(workspace.calls_to("chat.postMessage"))
        assert not (await slack.view_submission(user_id, workspace.modal_stacks[user_id][-1], values)).text
        await workspace.wait_for_calls("chat.postMessage", posts + 2)
    reflections = await slack.command_reply(MENTOR, "reflections")
    posts = len(workspace.calls_to("chat.postMessage"))
    await slack.command(MENTOR, "actions")
    await workspace.wait_for_calls("chat.postMessage", posts + 1)
    assert reflections is not None
    _assert_defused(_seen_by(workspace, MENTOR, reflections))


async def test_a_programme_name_reaches_the_people_enrolled_as_typed_text(slack: SlackRequests, workspace: Workspace):
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    await slack.view_submission("U0ADMIN", view, with_values(view, name=HOSTILE))
    await workspace.wait_for_calls("chat.postMessage")
    await slack.command_reply("U0ADMIN", "admin enrol mentee <@U0MENTEE|tom>")
    await workspace.wait_for_calls("chat.postMessage", 2)
    _assert_defused(_seen_by(workspace, "U0ADMIN"))
    _assert_defused(_seen_by(workspace, MENTEE))


async def test_a_department_is_echoed_back_as_typed_text(slack: SlackRequests, workspace: Workspace):
    view = await open_modal(slack, workspace, MENTOR, "profile")
    await slack.view_submission(MENTOR, view, with_values(view, department=HOSTILE, interests=["hybrid-working"]))
    await workspace.wait_for_calls("chat.postMessage")
    _assert_defused(_seen_by(workspace, MENTOR))


# --- the helper ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<@U0OTHER> says:", "&lt;@U0OTHER&gt; says:"),
        ("<https://evil.example|Re-authenticate Slack>", "&lt;https://evil.example|Re-authenticate Slack&gt;"),
        ("Fish & chips", "Fish &amp; chips"),
        ("&lt; is how you write <", "&amp;lt; is how you write &lt;"),  # `&` first: the new `&lt;` is left alone
        ("&amp;", "&amp;amp;"),  # what was typed is shown, not read as an entity
        ("plain words, *bold* and _italic_ :wave:", "plain words, *bold* and _italic_ :wave:"),
        ("", ""),
    ],
)
def test_escape_turns_slacks_three_control_characters_into_entities(typed, escaped):
    assert escape(typed) == escaped
