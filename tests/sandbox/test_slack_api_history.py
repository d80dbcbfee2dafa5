"""The Web API stand-in keeps message metadata and reads a conversation back as conversations.history does."""

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

OUTBOX = {"event_type": "flipside_outbox", "event_payload": {"key": "k1"}}


async def test_history_lists_a_dm_newest_first_with_metadata_only_when_asked(workspace, slack_api):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    first = await client.chat_postMessage(channel="U0MENTOR", text="one", metadata=OUTBOX)
    second = await client.chat_postMessage(channel="U0MENTOR", text="two")
    await client.chat_postMessage(channel="U0MENTEE", text="someone else's")
    channel = (await client.conversations_open(users="U0MENTOR"))["channel"]["id"]

    plain = await client.conversations_history(channel=channel)
    assert [(message["ts"], message["text"]) for message in plain["messages"]] == [(second["ts"], "two"), (first["ts"], "one")]
    assert all("metadata" not in message for message in plain["messages"])

    full = await client.conversations_history(channel=channel, include_all_metadata=True)
    assert [message.get("metadata") for message in full["messages"]] == [None, OUTBOX]


async def test_history_pages_with_limit_and_cursor_and_starts_after_oldest(workspace, slack_api):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    posted = [(await client.chat_postMessage(channel="U0MENTOR", text=f"m{index}"))["ts"] for index in range(5)]
    channel = workspace.dm_channel("U0MENTOR")

    page = await client.conversations_history(channel=channel, oldest=posted[0], limit=3)
    assert ([message["text"] for message in page["messages"]], page["has_more"]) == (["m4", "m3", "m2"], True)
    rest = await client.conversations_history(channel=channel, oldest=posted[0], limit=3, cursor=page["response_metadata"]["next_cursor"])
    assert ([message["text"] for message in rest["messages"]], rest["has_more"]) == (["m1"], False)  # m0 is `oldest`: not inclusive
    assert rest["response_metadata"]["next_cursor"] == ""


async def test_metadata_without_an_event_type_or_payload_is_refused(workspace, slack_api):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    for metadata in ({"event_payload": {"key": "k1"}}, {"event_type": "has spaces", "event_payload": {}}, {"event_type": "t", "event_payload": "k1"}):
        with pytest.raises(SlackApiError) as caught:
            await client.chat_postMessage(channel="U0MENTOR", text="x", metadata=metadata)
        assert caught.value.response["error"] == "invalid_metadata_format"
    assert workspace.messages == []


async def test_history_of_a_conversation_that_does_not_exist_is_channel_not_found(workspace, slack_api):
    client = AsyncWebClient(token=workspace.bot_token, base_url=slack_api)
    with pytest.raises(SlackApiError) as caught:
        await client.conversations_history(channel="D0NOBODY")
    assert caught.value.response["error"] == "channel_not_found"
