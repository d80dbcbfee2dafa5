"""`@Name` typed in the sandbox reaches the bot as Slack sends a chosen mention."""

from __future__ import annotations

from sandbox.directory import PEOPLE
from sandbox.mentions import escape_mentions
from sandbox.server import Sandbox


def test_full_names_handles_and_unique_first_names_become_escaped_mentions():
    text = escape_mentions("pair @Priya Nair @tom and @Helen", PEOPLE, with_handle=True)
    assert text == "pair <@U0PRIYA|priya> <@U0TOM|tom> and <@U0HELEN|helen>"


def test_case_and_accents_do_not_matter():
    assert escape_mentions("@LEO MARTIN, @sofia", PEOPLE, with_handle=True) == "<@U0LEO|leo>, <@U0SOFIA|sofia>"


def test_emails_and_names_nobody_answers_to_stay_as_typed():
    text = "priya.nair@flipside.example @nobody @priyanka"
    assert escape_mentions(text, PEOPLE, with_handle=True) == text


def test_a_message_event_carries_the_mention_without_the_handle():
    assert escape_mentions("thanks @Tom Becker!", PEOPLE, with_handle=False) == "thanks <@U0TOM>!"


async def test_a_typed_mention_in_a_dm_is_shown_as_the_person(sandbox: Sandbox):
    await sandbox.page.send("U0PRIYA", "hello @tom")
    await sandbox.workspace.wait_for_calls("chat.postMessage")
    assert sandbox.page.state("U0PRIYA")["messages"][0]["text"] == "hello <@U0TOM>"
