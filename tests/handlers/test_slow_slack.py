"""Slow work never delays the ack: with every Web API call taking 4 seconds (Slack drops a request not
acknowledged within 3), a command and a button are acknowledged before any such call has come back,
and the answer still arrives afterwards.

The observable is an order of events, not a stopwatch: the local Web API marks each call answered only
once its delay is over, so a call the bot waited on before acknowledging would be marked answered by
the time the acknowledgement reached us.
"""

from dataclasses import dataclass

import pytest

from bot.runtime import Runtime
from prompts import admin as admin_prompts
from prompts import charter as charter_prompts
from prompts import session_list
from prompts import sessions as prompts
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Call, Workspace
from tests.factories import make_charter, make_pair, make_programme

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"
SLOW = 4.0  # seconds per Web API call: longer than Slack waits for an ack


@pytest.fixture
async def pair(bot: Runtime, clock):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now())
        await make_charter(session, pair=pair, now=clock.now())
    return pair


def _answered_since(workspace: Workspace, since: int) -> list[Call]:
    return [call for call in workspace.calls[since:] if call.answered]


async def test_a_command_is_acknowledged_before_its_slow_slack_calls_return(slack: SlackRequests, workspace: Workspace, pair):
    assert await slack.command_reply(MENTOR, "help") is not None  # Bolt's one-off auth.test, at normal speed
    workspace.delay_seconds = SLOW
    since = len(workspace.calls)
    body = slack.command_body(MENTOR, "sessions")  # the pair's people are new: the bot asks Slack who they are
    url_id = slack.response_url_id(body)

    response = await slack.post(body, "application/x-www-form-urlencoded")

    assert (response.status, response.text) == (200, "")
    assert _answered_since(workspace, since) == []  # nothing the bot asked Slack had come back yet
    assert await workspace.wait_for_calls("users.info", within=SLOW)  # the slow work did happen, after the ack

    def reply() -> list[dict]:
        return [posted for posted in workspace.responses if posted["url_id"] == url_id]

    assert await workspace.wait_until(lambda: bool(reply()), within=4 * SLOW)
    assert reply()[0]["response_type"] == "ephemeral"
    assert session_list.build_sessions_list([], [])["text"] == reply()[0]["text"]
    # The answer waited for the slow calls, not the other way round.
    assert all(call.answered for call in workspace.calls_to("users.info"))


async def test_a_button_is_acknowledged_before_its_slow_slack_calls_return(
    slack: SlackRequests, workspace: Workspace, bot: Runtime, pair
):
    # 09:00 in New York is 18:30 in Kolkata: inside both working days, so booked without asking.
    assert await slack.command_reply(MENTEE, "schedule next tuesday 9am") is not None
    await workspace.wait_for_calls("chat.postMessage", 2)
    message = workspace.dm_messages(MENTOR)[0].as_slack()
    session_id = int(next(block for block in message["blocks"] if block["type"] == "actions")["elements"][0]["value"])
    workspace.delay_seconds = SLOW
    since = len(workspace.calls)

    response = await slack.block_action(MENTOR, {"action_id": prompts.CONFIRM_ACTION, "value": str(session_id)}, message=message)

    assert (response.status, response.text) == (200, "")
    assert _answered_since(workspace, since) == []
    [told] = await workspace.wait_for_calls("chat.postEphemeral", within=4 * SLOW)
    assert told.args["user"] == MENTOR and "confirmed" in told.args["text"].lower()
    # Let what follows (the partner's notice, both Home tabs) go at normal speed, and finish before the bot stops.
    workspace.delay_seconds = 0
    assert await workspace.wait_until(lambda: all(call.answered for call in workspace.calls[since:]), within=2 * SLOW)


@dataclass(frozen=True)
class Typed:
    """A command, who types it, the Slack calls its slow work makes, and how its answer shows."""

    user_id: str
    text: str
    asks: tuple[str, ...]  # Web API calls made before the answer: they must come back after the ack
    answer: str  # "reply" (response_url), "views.open" or "chat.postMessage"
    shows: str  # text in the reply or message, or the modal's callback_id


TYPED = [
    # Not a programme admin: whether they are a workspace admin is asked of Slack before refusing.
    Typed(MENTOR, "admin pause <@U0MENTEE|tom>", ("users.info",), "reply", "only programme admins"),
    # Forms open with the trigger after the ack (it lasts 3 seconds; here nothing slow comes before it).
    Typed("U0ADMIN", "admin setup", (), "views.open", admin_prompts.SETUP_CALLBACK),
    Typed(MENTOR, "charter", (), "views.open", charter_prompts.CHARTER_CALLBACK),
    Typed(MENTOR, "actions", (), "chat.postMessage", "actions"),
    Typed(MENTOR, "goals", (), "reply", "goals"),
]


@pytest.mark.parametrize("typed", TYPED, ids=[typed.text.split(" <")[0] for typed in TYPED])
async def test_every_kind_of_command_is_acknowledged_before_its_slow_slack_calls_return(
    slack: SlackRequests, workspace: Workspace, pair, typed: Typed
):
    assert await slack.command_reply(MENTEE, "help") is not None  # Bolt's one-off auth.test, at normal speed
    workspace.delay_seconds = SLOW
    since = len(workspace.calls)
    body = slack.command_body(typed.user_id, typed.text)
    url_id = slack.response_url_id(body)

    response = await slack.post(body, "application/x-www-form-urlencoded")

    assert (response.status, response.text) == (200, "")
    assert _answered_since(workspace, since) == []  # nothing the bot asked Slack had come back yet
    for method in typed.asks:
        assert await workspace.wait_for_calls(method, within=SLOW)  # the slow work did happen, after the ack
    if typed.answer == "reply":

        def reply() -> list[dict]:
            return [posted for posted in workspace.responses if posted["url_id"] == url_id]

        assert await workspace.wait_until(lambda: bool(reply()), within=4 * SLOW)
        assert reply()[0]["response_type"] == "ephemeral"
        assert typed.shows in reply()[0]["text"].lower()
    else:
        [call] = await workspace.wait_for_calls(typed.answer, within=4 * SLOW)
        if typed.answer == "views.open":
            assert workspace.modal_stacks[typed.user_id][-1]["callback_id"] == typed.shows
        else:
            assert call.args["channel"] == typed.user_id and typed.shows in workspace.dm_messages(typed.user_id)[-1].text.lower()
    # The answer waited for the slow calls, not the other way round.
    assert all(call.answered for method in typed.asks for call in workspace.calls_to(method))
    workspace.delay_seconds = 0  # let anything after the answer finish before the bot stops
    assert await workspace.wait_until(lambda: all(call.answered for call in workspace.calls[since:]), within=2 * SLOW)
