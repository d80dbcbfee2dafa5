"""A slash command reaches its listener whatever words it carries."""

from __future__ import annotations


async def test_a_command_whose_text_says_payload_is_answered(bot, slack):
    reply = await slack.command_reply("U0MENTOR", "payload")
    assert reply is not None and "I don't know `/mentor payload`" in reply["text"]


async def test_an_unsigned_command_that_says_payload_is_still_refused(bot, slack):
    body = slack.command_body("U0MENTOR", "payload")
    response = await slack.post(body, "application/x-www-form-urlencoded", headers={"X-Slack-Signature": "v0=forged"})
    assert response.status == 401
