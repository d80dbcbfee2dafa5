"""The sandbox refuses the blocks real Slack refuses, so the tests catch them before a workspace does."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from sandbox.block_checks import block_problems, view_problems


def _button(action_id: str, text: str = "Go") -> dict:
    return {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": text}}


def test_buttons_sharing_an_action_id_in_one_block_are_refused():
    blocks = [{"type": "actions", "elements": [_button("took_place"), _button("took_place")]}]
    assert block_problems(blocks, view=False) == ["blocks[0] (actions): action_id 'took_place' is used by more than one element"]


def test_the_same_action_id_in_different_blocks_is_fine():
    blocks = [{"type": "actions", "elements": [_button("more")]}, {"type": "actions", "elements": [_button("more")]}]
    assert block_problems(blocks, view=False) == []


def test_a_block_id_used_twice_is_refused():
    blocks = [{"type": "divider", "block_id": "b"}, {"type": "divider", "block_id": "b"}]
    assert block_problems(blocks, view=True) == ["blocks[1] (divider): block_id 'b' is used twice"]


def test_lengths_and_counts_past_slacks_limits_are_refused():
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}, {"type": "actions", "elements": [_button("a", "y" * 76)]}]
    assert len(block_problems(blocks, view=False)) == 2
    assert block_problems([{"type": "divider"}] * 51, view=False) == ["51 blocks, more than 50"]
    assert block_problems([{"type": "divider"}] * 100, view=True) == []


def test_a_modal_title_longer_than_24_characters_is_refused():
    view = {"type": "modal", "title": {"type": "plain_text", "text": "A title far too long for Slack"}, "blocks": []}
    assert view_problems(view) == ["the view's title: view_title text is 30 characters, more than 24"]


async def test_the_web_api_answers_invalid_blocks_for_a_message_slack_would_refuse(sandbox):
    with pytest.raises(SlackApiError) as raised:
        await sandbox.runtime.app.client.chat_postMessage(
            channel="U0TOM", text="Pick", blocks=[{"type": "actions", "elements": [_button("same"), _button("same")]}])
    assert raised.value.response["error"] == "invalid_blocks"
    assert sandbox.page.state("U0TOM")["messages"] == []
