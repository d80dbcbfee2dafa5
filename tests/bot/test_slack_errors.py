"""error_code against the real client and the local Web API: one code for every shape a call fails in."""

import pytest

from bot.slack_errors import SLACK_FAILURES, SlackClient, error_code
from sandbox.workspace import SlackApiError, Workspace
from tests.slack_failures import FAILURE_SHAPES


def _client(workspace: Workspace, slack_api: str, timeout: int = 30) -> SlackClient:
    """No retry handlers: the first failure comes back as it is."""
    return SlackClient(token=workspace.bot_token, base_url=slack_api, timeout=timeout, retry_handlers=[])


async def _failure_of(client: SlackClient) -> BaseException:
    try:
        # A POST, as aiohttp tries a dropped GET (users.info) once more on its own.
        await client.chat_postMessage(channel="U0MENTOR", text="hello")
    except SLACK_FAILURES as error:
        return error
    raise AssertionError("the call did not fail")


@pytest.mark.parametrize("shape", sorted(FAILURE_SHAPES))
async def test_each_failure_shape_has_its_code(workspace: Workspace, slack_api: str, shape):
    failures, code = FAILURE_SHAPES[shape]
    workspace.failures["chat.postMessage"] = [failures[0]]  # no retries: this client answers the first failure
    assert error_code(await _failure_of(_client(workspace, slack_api))) == code


async def test_slacks_own_error_code_is_kept(workspace: Workspace, slack_api: str):
    workspace.failures["chat.postMessage"] = [SlackApiError("account_inactive")]
    assert error_code(await _failure_of(_client(workspace, slack_api))) == "account_inactive"


async def test_an_answer_slower_than_the_clients_timeout_is_a_timeout(workspace: Workspace, slack_api: str):
    workspace.delay_seconds = 3.0
    assert error_code(await _failure_of(_client(workspace, slack_api, timeout=1))) == "timeout"
