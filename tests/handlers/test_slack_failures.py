"""A Slack call that fails in any shape (an HTML 502, a non-JSON 200, a dropped connection...) while
handling a command: the person is told something went wrong, only to them; nothing crashes."""

import pytest

from bot.runtime import Runtime
from prompts.errors import SOMETHING_WENT_WRONG
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from tests.factories import make_charter, make_pair, make_programme
from tests.slack_failures import FAILURE_SHAPES

MENTOR = "U0MENTOR"


@pytest.fixture
async def pair(bot: Runtime, clock):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now())
        await make_charter(session, pair=pair, now=clock.now())
    return pair


@pytest.mark.parametrize("shape", sorted(FAILURE_SHAPES))
async def test_a_command_whose_slack_call_fails_in_any_shape_tells_the_person_something_went_wrong(
    slack: SlackRequests, workspace: Workspace, pair, shape
):
    assert await slack.command_reply(MENTOR, "help") is not None  # Bolt's one-off auth.test, answered normally
    failures, _ = FAILURE_SHAPES[shape]
    # The pair's people are new: the bot asks Slack who they are. Twice the failures: aiohttp tries a
    # dropped GET once more on its own, besides slack_sdk's retries.
    queued = failures + failures
    workspace.failures["users.info"] = list(queued)
    reply = await slack.command_reply(MENTOR, "sessions")
    assert reply is not None
    assert (reply["response_type"], reply["text"]) == ("ephemeral", SOMETHING_WENT_WRONG)
    assert len(workspace.failures["users.info"]) < len(queued)  # it was Slack's failure the person was told about
