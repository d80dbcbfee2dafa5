"""A failure on our side: the person is told nothing changed, Slack never sees a 500."""

from bot.runtime import Runtime
from prompts.errors import SOMETHING_WENT_WRONG
from sandbox.slack_requests import SlackRequests


async def test_a_failing_command_gets_a_kind_apology_not_a_server_error(bot: Runtime, slack: SlackRequests):
    async def explode(ack):
        raise RuntimeError("a bug")

    bot.app.command("/explode")(explode)
    response = await slack.command("U0MENTOR", "now", command="/explode")
    assert response.status == 200
    assert response.json() == {"response_type": "ephemeral", "text": SOMETHING_WENT_WRONG}
    assert "a bug" not in response.text


async def test_a_command_failing_after_its_ack_is_apologised_for_through_response_url(bot: Runtime, slack: SlackRequests):
    async def explode_later(ack):
        await ack()
        raise RuntimeError("a later bug")

    bot.app.command("/explode")(explode_later)
    reply = await slack.command_reply("U0MENTOR", "now", command="/explode")
    assert reply is not None
    assert (reply["response_type"], reply["text"]) == ("ephemeral", SOMETHING_WENT_WRONG)
    assert "a later bug" not in str(reply)
