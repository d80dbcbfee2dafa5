"""The charter through signed requests: the modal, two-sided agreement, reset on edit, and refusals."""

from __future__ import annotations

from bot.runtime import Runtime
from domain.statuses import PairStatus
from prompts import charter as charter_prompts
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import charters
from store.models import Charter, Pair
from tests.factories import TEAM
from tests.handlers.pairing_support import buttons, initial_values, option, seed_pair, text_of


async def _open_modal(slack: SlackRequests, workspace: Workspace, user_id: str) -> dict:
    opened = len(workspace.calls_to("views.open"))
    response = await slack.command(user_id, "charter")
    assert response.status == 200
    await workspace.wait_for_calls("views.open", opened + 1)
    return workspace.modal_stacks[user_id][-1]


async def _save(slack: SlackRequests, workspace: Workspace, user_id: str, **changes: dict) -> None:
    view = await _open_modal(slack, workspace, user_id)
    values = initial_values(view)
    for block_id, state in changes.items():
        values[block_id] = state
    posts = len(workspace.calls_to("chat.postMessage"))
    publishes = len(workspace.calls_to("views.publish"))
    response = await slack.view_submission(user_id, view, values)
    assert response.status == 200
    assert not response.text or "errors" not in response.json()
    await workspace.wait_for_calls("chat.postMessage", posts + 2)
    await workspace.wait_for_calls("views.publish", publishes + 2)  # the last thing a save does


async def _charter(bot: Runtime, pair_id: int) -> Charter:
    async with bot.services.sessions.begin() as session:
        charter = await charters.get_charter(session, team_id=TEAM, pair_id=pair_id)
    assert charter is not None
    return charter


async def _click_agree(slack: SlackRequests, workspace: Workspace, user_id: str) -> None:
    request = workspace.dm_messages(user_id)[-1]
    agree = buttons(request.blocks)[charter_prompts.CHARTER_AGREE_ACTION]
    publishes = len(workspace.calls_to("views.publish"))
    await slack.block_action(user_id, {"type": "button", "block_id": "b", **agree}, message=request.as_slack())
    await workspace.wait_for_calls("views.publish", publishes + 2)  # the last thing agreeing does


def _cadence(days: int) -> dict:
    return {charter_prompts.CADENCE_ACTION: {"type": "static_select", "selected_option": option(str(days))}}


async def test_charter_command_opens_the_modal_with_the_programmes_rhythm(slack, workspace, bot, clock):
    await seed_pair(bot, clock, programme_fields={"cadence_days": 14, "session_minutes": 45})
    view = await _open_modal(slack, workspace, "U0MENTOR")
    assert view["callback_id"] == charter_prompts.CHARTER_CALLBACK
    values = initial_values(view)
    assert values[charter_prompts.CADENCE_BLOCK][charter_prompts.CADENCE_ACTION]["selected_option"]["value"] == "14"
    assert values[charter_prompts.LENGTH_BLOCK][charter_prompts.LENGTH_ACTION]["selected_option"]["value"] == "45"
    assert len(view["title"]["text"]) <= 24


async def test_charter_command_without_a_pair_is_refused_with_the_reason(slack, workspace):
    body = await slack.command_reply("U0OTHER", "charter")
    assert body["response_type"] == "ephemeral"
    assert "not in a pair yet" in body["text"]
    assert workspace.calls_to("views.open") == []


async def test_saving_counts_as_the_savers_agreement_and_asks_the_partner(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _save(slack, workspace, "U0MENTOR")
    charter = await _charter(bot, pair.id)
    assert charter.version == 1
    assert charter.mentor_agreed_at == clock.now()
    assert charter.mentee_agreed_at is None
    request = workspace.dm_messages("U0MENTEE")[-1]
    assert "<@U0MENTOR> has proposed your pair charter" in request.text
    assert set(buttons(request.blocks)) == {charter_prompts.CHARTER_AGREE_ACTION, charter_prompts.CHARTER_EDIT_ACTION}


async def test_charter_is_in_force_once_the_partner_agrees(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _save(slack, workspace, "U0MENTOR")
    await _click_agree(slack, workspace, "U0MENTEE")
    charter = await _charter(bot, pair.id)
    assert charters.in_force(charter)
    told = await workspace.wait_for_calls("chat.postMessage", 3)
    assert told[-1].args["channel"] == "U0MENTOR"
    assert "now in force" in told[-1].args["text"]
    assert "You agreed version 1" in workspace.calls_to("chat.update")[-1].args["text"]


async def test_editing_after_the_partner_agreed_asks_them_again_and_shows_what_changed(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _save(slack, workspace, "U0MENTOR")
    await _click_agree(slack, workspace, "U0MENTEE")
    await workspace.wait_for_calls("chat.postMessage", 3)
    await _save(slack, workspace, "U0MENTEE", **{charter_prompts.CADENCE_BLOCK: _cadence(14)})
    charter = await _charter(bot, pair.id)
    assert charter.version == 2
    assert charter.mentor_agreed_at is None
    assert charter.mentee_agreed_at is not None
    request = workspace.dm_messages("U0MENTOR")[-1]
    assert "changed your charter (now version 2)" in request.text
    assert "*How often*: was every month, now every two weeks." in text_of(request.blocks)


async def test_agreeing_an_older_version_agrees_nothing_and_shows_the_latest(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _save(slack, workspace, "U0MENTOR")
    old_request = workspace.dm_messages("U0MENTEE")[-1]
    await _save(slack, workspace, "U0MENTOR", **{charter_prompts.CADENCE_BLOCK: _cadence(7)})
    agree = buttons(old_request.blocks)[charter_prompts.CHARTER_AGREE_ACTION]
    await slack.block_action("U0MENTEE", {"type": "button", "block_id": "b", **agree}, message=old_request.as_slack())
    updates = await workspace.wait_for_calls("chat.update")
    assert "has changed since" in updates[-1].args["text"]
    assert (await _charter(bot, pair.id)).mentee_agreed_at is None


async def test_saving_unchanged_terms_is_the_partners_agreement(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _save(slack, workspace, "U0MENTOR")
    await _save(slack, workspace, "U0MENTEE")
    charter = await _charter(bot, pair.id)
    assert charter.version == 1
    assert charters.in_force(charter)


async def test_start_your_charter_button_opens_the_modal(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    action = {"type": "button", "block_id": "b", "action_id": charter_prompts.CHARTER_OPEN_ACTION, "value": str(pair.id)}
    await slack.block_action("U0MENTEE", action, message={"ts": "1.1", "text": "welcome"})
    await workspace.wait_for_calls("views.open")
    assert workspace.modal_stacks["U0MENTEE"][-1]["private_metadata"] == str(pair.id)


async def test_someone_outside_the_pair_cannot_open_its_charter(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    action = {"type": "button", "block_id": "b", "action_id": charter_prompts.CHARTER_OPEN_ACTION, "value": str(pair.id)}
    await slack.block_action("U0OTHER", action, message={"ts": "1.1", "text": "forwarded"})
    told = await workspace.wait_for_calls("chat.postEphemeral")
    assert told[0].args["user"] == "U0OTHER"
    assert "not part of" in told[0].args["text"]
    assert workspace.calls_to("views.open") == []


async def test_a_paused_pair_can_read_its_charter_but_not_edit_it(slack, workspace, bot, clock):
    await seed_pair(bot, clock, status=PairStatus.PAUSED)
    body = await slack.command_reply("U0MENTOR", "charter")
    assert body["response_type"] == "ephemeral"
    assert "paused" in body["text"]
    assert workspace.calls_to("views.open") == []


async def test_an_ended_pair_cannot_change_its_charter(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock, status=PairStatus.ENDED)
    action = {"type": "button", "block_id": "b", "action_id": charter_prompts.CHARTER_EDIT_ACTION, "value": str(pair.id)}
    await slack.block_action("U0MENTOR", action, message={"ts": "1.1", "text": "old"})
    told = await workspace.wait_for_calls("chat.postEphemeral")
    assert "has ended" in told[0].args["text"]


async def test_a_charter_with_no_format_chosen_is_sent_back_with_the_reason(slack, workspace, bot, clock):
    await seed_pair(bot, clock)
    view = await _open_modal(slack, workspace, "U0MENTOR")
    values = initial_values(view)
    values[charter_prompts.FORMAT_BLOCK] = {charter_prompts.FORMAT_ACTION: {"type": "radio_buttons", "selected_option": None}}
    body = (await slack.view_submission("U0MENTOR", view, values)).json()
    assert body["response_action"] == "errors"
    assert charter_prompts.FORMAT_BLOCK in body["errors"]


async def test_a_partner_who_cannot_be_messaged_does_not_undo_the_save(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock, mentee_id="U0GONE")
    view = await _open_modal(slack, workspace, "U0MENTOR")
    await slack.view_submission("U0MENTOR", view, initial_values(view))
    await workspace.wait_for_calls("views.publish", 2)
    posts = workspace.calls_to("chat.postMessage")
    assert [call.args["channel"] for call in posts] == ["U0GONE", "U0MENTOR"]
    assert "Saved and agreed on your side" in posts[-1].args["text"]
    assert (await _charter(bot, pair.id)).mentor_agreed_at is not None


async def test_a_charter_submitted_after_the_pair_was_paused_is_not_saved(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    view = await _open_modal(slack, workspace, "U0MENTOR")
    async with bot.services.sessions.begin() as session:
        row = await session.get(Pair, pair.id)
        row.status = PairStatus.PAUSED
        session.add(row)
    body = (await slack.view_submission("U0MENTOR", view, initial_values(view))).json()
    assert body["response_action"] == "update"
    assert "paused" in text_of(body["view"]["blocks"])
    async with bot.services.sessions.begin() as session:
        assert await charters.get_charter(session, team_id=TEAM, pair_id=pair.id) is None
