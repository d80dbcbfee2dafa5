"""A slash command reaches its listener whatever words it carries."""

from __future__ import annotations


async def test_a_command_whose_text_says_payload_is_answered(bot, slack):
    response = await slack.command("U0MENTOR", "payload")
    assert response.status == 200
    assert "I don't know `/mentor payload`" in response.json()["text"]


async def test_an_unsigned_command_that_says_payload_is_still_refused(bot, slack):
    body = slack.command_body("U0MENTOR", "payload")
    response = await slack.post(body, "application/x-www-form-urlencoded", headers={"X-Slack-Signature": "v0=forged"})
    assert response.status == 401
