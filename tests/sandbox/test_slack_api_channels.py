"""The Web API stand-in's channels, as Slack shows them to a bot: conversations.info in Slack's shape,
and a post refused when the channel is gone, archived, or private without the bot."""

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from sandbox.workspace import Channel


async def _error(call) -> str:
    with pytest.raises(SlackApiError) as caught:
        await call
    return caught.value.response["error"]


async def test_info_describes_a_channel_the_bot_can_see(workspace, slack_api):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    answer = await client.conversations_info(channel="C0MENTORS")
    channel = answer["channel"]
    assert (channel["id"], channel["name"], channel["is_private"], channel["is_archived"], channel["is_member"]) == (
        "C0MENTORS", "mentors-circle", True, False, True
    )


async def test_info_of_a_channel_that_is_gone_or_private_without_the_bot_is_channel_not_found(workspace, slack_api):
    workspace.add_channel(Channel(id="C0SECRET", name="secret", is_private=True, bot_is_member=False))
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    assert await _error(client.conversations_info(channel="C0NOPE")) == "channel_not_found"
    assert await _error(client.conversations_info(channel="C0SECRET")) == "channel_not_found"


async def test_a_post_is_refused_where_slack_refuses_it(workspace, slack_api):
    workspace.add_channel(Channel(id="C0OLD", name="old", is_archived=True))
    workspace.add_channel(Channel(id="C0PUBLIC", name="general-chat", bot_is_member=False))
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    assert await _error(client.chat_postMessage(channel="C0NOPE", text="hi")) == "channel_not_found"
    assert await _error(client.chat_postMessage(channel="C0OLD", text="hi")) == "is_archived"
    assert await _error(client.chat_postMessage(channel="C0PUBLIC", text="hi")) == "not_in_channel"
    assert (await client.chat_postMessage(channel="C0MENTORS", text="hi"))["channel"] == "C0MENTORS"
