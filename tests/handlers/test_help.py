"""`/mentor`, `/mentor help` and unknown subcommands, through signed HTTP into the real app."""

from sandbox.slack_requests import SlackRequests


def _text_of(body: dict) -> str:
    return " ".join(block.get("text", {}).get("text", "") for block in body["blocks"])


async def test_help_answers_ephemerally_with_what_people_can_do(slack: SlackRequests):
    # Acknowledged at once (empty), answered through the command's response_url.
    response = await slack.command("U0MENTOR", "help")
    assert (response.status, response.text) == (200, "")
    body = await slack.command_reply("U0MENTOR", "help")
    assert body is not None
    assert body["response_type"] == "ephemeral"
    assert "/mentor help" in _text_of(body)


async def test_bare_mentor_command_shows_help(slack: SlackRequests):
    body = await slack.command_reply("U0MENTEE", "")
    assert body is not None
    assert body["response_type"] == "ephemeral"
    assert "I don't know" not in _text_of(body)
    assert "/mentor help" in _text_of(body)


async def test_unknown_subcommand_gets_help_not_an_error(slack: SlackRequests):
    body = await slack.command_reply("U0MENTOR", "frobnicate now")
    assert body is not None
    assert "I don't know `/mentor frobnicate now`" in _text_of(body)
    assert "/mentor help" in _text_of(body)
