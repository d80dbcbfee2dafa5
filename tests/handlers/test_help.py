"""`/mentor`, `/mentor help` and unknown subcommands, through signed HTTP into the real app."""

import ast
from pathlib import Path

import pytest

import handlers.admin
from bot.commands import ADMIN_SUBCOMMANDS, SUBCOMMANDS, words
from bot.flows.pair_changes import PAIR_VERBS
from bot.flows.pair_end import END_CHANGES
from prompts import help as help_prompts
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from tests.factories import make_programme
from tests.security.support import registered_listeners


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


ADMIN_HEADING = "For programme admins"


async def _programme(bot, clock, *, admin_id: str = "U0ADMIN") -> None:
    async with bot.services.sessions.begin() as session:
        await make_programme(session, now=clock.now(), admin_id=admin_id)


async def test_help_shows_the_admin_commands_to_a_programme_admin(bot, slack: SlackRequests, clock):
    await _programme(bot, clock)
    shown = _text_of(await slack.command_reply("U0ADMIN", "help"))
    assert ADMIN_HEADING in shown and "/mentor admin setup" in shown and "/mentor admin report" in shown


async def test_help_keeps_the_admin_commands_from_a_participant(bot, slack: SlackRequests, clock):
    await _programme(bot, clock)
    shown = _text_of(await slack.command_reply("U0MENTOR", "help"))
    assert ADMIN_HEADING not in shown and "/mentor admin" not in shown


async def test_with_no_programme_help_shows_a_workspace_admin_how_to_set_one_up(slack: SlackRequests):
    # Sam is a workspace owner and admin; Léo is not.
    assert "/mentor admin setup" in _text_of(await slack.command_reply("U0OWNER", "help"))
    assert "/mentor admin" not in _text_of(await slack.command_reply("U0OTHER", "help"))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("shedule tomorrow 3pm", "/mentor schedule tomorrow 3pm"),
        ("admn setup", "/mentor admin setup"),
        ("Reflcet", "/mentor reflect"),
        ("admin stup new", "/mentor admin setup new"),
        ("admin exprot", "/mentor admin export"),
    ],
)
async def test_a_typo_asks_did_you_mean_with_the_rest_of_the_words_kept(bot, slack: SlackRequests, clock, typed, meant):
    await _programme(bot, clock)
    body = await slack.command_reply("U0ADMIN", typed)
    assert body is not None and body["response_type"] == "ephemeral"
    assert f"Did you mean `{meant}`?" in body["text"]
    assert "/mentor charter" not in _text_of(body)  # not the whole help


async def test_help_typed_in_the_dm_gets_the_help(bot, slack: SlackRequests, workspace: Workspace, clock):
    await _programme(bot, clock)
    await slack.direct_message("U0MENTOR", "Help")
    [reply] = await workspace.wait_for_calls("chat.postMessage")
    shown = _text_of(reply.args)
    assert "I didn't catch that" not in shown and "/mentor schedule" in shown


def test_the_words_a_typo_is_matched_against_are_the_subcommands_the_app_listens_for():
    # Read from the handlers' own register(app), as tests/security/test_inventory.py does.
    registered = registered_listeners().subcommands
    first_words = {subcommand.split()[0] for subcommand in registered if subcommand}
    admin_words = {subcommand.split()[1] for subcommand in registered if subcommand.startswith("admin ")}
    assert first_words | {"help"} == set(SUBCOMMANDS)
    assert admin_words | set(PAIR_VERBS) | set(END_CHANGES) | _verbs_the_admin_command_routes() | {
        words(command)[2] for command, _ in help_prompts.ADMIN_COMMANDS
    } <= set(ADMIN_SUBCOMMANDS)


def _verbs_the_admin_command_routes() -> set[str]:
    """The words `handlers/admin.py` compares `verb` with (`verb == "reopen"`, `verb in ("enrol", ...)`)."""
    tree = ast.parse(Path(handlers.admin.__file__).read_text())
    compared = [node.comparators[0] for node in ast.walk(tree) if isinstance(node, ast.Compare) and getattr(node.left, "id", None) == "verb"]
    constants = [node for value in compared for node in ast.walk(value) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return {node.value for node in constants}
