"""A DM the bot does not understand gets a short pointer to help."""

from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace


async def test_unrecognised_dm_gets_a_pointer_to_help(slack: SlackRequests, workspace: Workspace):
    response = await slack.direct_message("U0MENTOR", "hello?")
    assert response.status == 200
    posts = await workspace.wait_for_calls("chat.postMessage")
    assert len(posts) == 1
    assert posts[0].args["channel"] == workspace.dm_channel("U0MENTOR")
    assert "/mentor help" in posts[0].args["text"]


async def test_bot_messages_and_edits_get_no_reply(slack: SlackRequests, workspace: Workspace):
    await slack.event({"type": "message", "channel_type": "im", "channel": "D0MENTOR", "user": "U0MENTOR", "subtype": "message_changed", "ts": "1.1"})
    await slack.event({"type": "message", "channel_type": "im", "channel": "D0MENTOR", "bot_id": "B0OTHER", "text": "hi", "ts": "1.2"})
    await slack.direct_message("U0MENTEE", "and this one does")
    posts = await workspace.wait_for_calls("chat.postMessage")
    assert [post.args["channel"] for post in posts] == [workspace.dm_channel("U0MENTEE")]
