"""Slow work never delays the ack: with every Web API call taking 4 seconds (Slack drops a request not
acknowledged within 3), a command and a button are acknowledged before any such call has come back,
and the answer still arrives afterwards.

The observable is an order of events, not a stopwatch: the local Web API marks each call answered only
once its delay is over, so a call the bot waited on before acknowledging would be marked answered by
the time the acknowledgement reached us.
"""

import pytest

from bot.runtime import Runtime
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
    assert prompts.build_sessions_list([], [])["text"] == reply()[0]["text"]
    # The answer waited for the slow calls, not the other way round.
    assert all(call.answered for call in workspace.calls_to("users.info"))


async def test_a_button_is_acknowledged_before_its_slow_slack_calls_return(
    slack: SlackRequests, workspace: Workspace, bot: Runtime, pair
):
    assert await slack.command_reply(MENTEE, "schedule next tuesday 3pm") is not None
    await workspace.wait_for_calls("chat.postMessage", 2)
    message = workspace.dm_messages(MENTOR)[0].as_slack()
    session_id = int(message["blocks"][-2]["elements"][0]["value"])
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
