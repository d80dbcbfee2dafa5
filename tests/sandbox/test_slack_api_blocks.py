"""The Web API stand-in refuses blocks Slack would refuse, so every test catches them."""

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient


def _button(action_id: str) -> dict:
    return {"type": "button", "text": {"type": "plain_text", "text": "Go"}, "action_id": action_id}


async def test_an_action_id_used_twice_in_one_block_is_invalid_blocks(workspace, slack_api):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    with pytest.raises(SlackApiError) as caught:
        await client.chat_postMessage(channel="U0MENTOR", text="x", blocks=[{"type": "actions", "elements": [_button("same"), _button("same")]}])
    assert caught.value.response["error"] == "invalid_blocks"
    posted = await client.chat_postMessage(channel="U0MENTOR", text="x", blocks=[{"type": "actions", "elements": [_button("a"), _button("b")]}])
    assert posted["ok"]


async def test_a_message_takes_at_most_fifty_blocks(workspace, slack_api):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    divider = {"type": "divider"}
    with pytest.raises(SlackApiError) as caught:
        await client.chat_postMessage(channel="U0MENTOR", text="x", blocks=[divider] * 51)
    assert caught.value.response["error"] == "invalid_blocks"


async def test_past_the_rate_limit_the_stand_in_answers_429_with_retry_after(workspace, slack_api):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)  # no retry handlers: see the 429 itself
    workspace.rate_limits["chat.postMessage"] = 2
    answers = []
    for _ in range(3):
        try:
            answers.append((await client.chat_postMessage(channel="U0MENTOR", text="x")).status_code)
        except SlackApiError as error:
            answers.append((error.response.status_code, error.response.headers.get("Retry-After"), error.response["error"]))
    assert answers == [200, 200, (429, "1", "ratelimited")]
