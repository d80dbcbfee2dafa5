"""The sandbox page's JSON API: what a person does reaches the real bot as Slack would send it, and
what the bot answers is shown to them as Slack would show it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp
from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from sandbox.page import clock_steps, fill_ids
from sandbox.server import Sandbox

MODAL = {
    "type": "modal",
    "callback_id": "sandbox_test_form",
    "title": {"type": "plain_text", "text": "Test form"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {"type": "input", "block_id": "name", "label": {"type": "plain_text", "text": "Name"},
         "element": {"type": "plain_text_input", "action_id": "value"}},
    ],
}


def _values(text: str) -> dict:
    return {"name": {"value": {"type": "plain_text_input", "value": text}}}


def _open_modal_on_click(sandbox: Sandbox, answer: dict | None = None) -> list[dict]:
    """Test listeners on the real app: a button that opens MODAL, and its submission answered with `answer`."""
    submissions: list[dict] = []

    async def open_form(ack: AsyncAck, body: dict, client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=MODAL)

    async def submit_form(ack: AsyncAck, view: dict) -> None:
        submissions.append(view["state"]["values"])
        await ack(**(answer or {}))

    sandbox.runtime.app.action("sandbox_test_open")(open_form)
    sandbox.runtime.app.view("sandbox_test_form")(submit_form)
    return submissions


async def _open_form(sandbox: Sandbox, user: str = "U0TOM") -> None:
    await sandbox.page.action(user, "message", {"type": "button", "action_id": "sandbox_test_open", "block_id": "b"}, ts=await _post_button(sandbox, user))
    await sandbox.workspace.wait_for_calls("views.open")


async def _post_button(sandbox: Sandbox, user: str) -> str:
    answer = await sandbox.runtime.app.client.chat_postMessage(
        channel=user, text="Open the form",
        blocks=[{"type": "actions", "block_id": "b", "elements": [{"type": "button", "action_id": "sandbox_test_open", "text": {"type": "plain_text", "text": "Open"}}]}],
    )
    return answer["ts"]


async def test_a_slash_command_reaches_the_bot_signed_and_its_ack_is_shown_only_to_that_person(sandbox: Sandbox):
    await sandbox.page.send("U0TOM", "/mentor help")
    tom = sandbox.page.state("U0TOM")["messages"]
    assert [m["ephemeral"] for m in tom] == [True]
    assert tom[0]["blocks"][0]["text"]["text"] == "Flipside: reverse mentoring, kept on track"
    assert sandbox.page.state("U0PRIYA")["messages"] == []


async def test_a_command_other_than_mentor_gets_a_pointer_and_is_not_sent(sandbox: Sandbox):
    await sandbox.page.send("U0TOM", "/remind me")
    [message] = sandbox.page.state("U0TOM")["messages"]
    assert message["ephemeral"] and "/mentor help" in message["text"]


async def test_a_plain_message_appears_in_the_dm_and_the_bot_answers_it(sandbox: Sandbox):
    await sandbox.page.send("U0PRIYA", "hello there")
    await sandbox.workspace.wait_for_calls("chat.postMessage")
    messages = sandbox.page.state("U0PRIYA")["messages"]
    assert [(m["user"], m["ephemeral"]) for m in messages] == [("U0PRIYA", False), ("U0BOT", False)]
    assert messages[0]["text"] == "hello there"


async def test_opening_the_home_tab_sends_app_home_opened_and_shows_the_published_view(sandbox: Sandbox):
    await sandbox.page.open_tab("U0HELEN", "home")
    await sandbox.workspace.wait_for_calls("views.publish")
    home = sandbox.page.state("U0HELEN")["home"]
    assert home["type"] == "home" and home["blocks"][0]["text"]["text"] == "Welcome to Flipside"


async def test_a_button_in_a_message_sends_block_actions_and_the_modal_it_opens_is_shown(sandbox: Sandbox):
    _open_modal_on_click(sandbox)
    await _open_form(sandbox)
    [modal] = sandbox.page.state("U0TOM")["modals"]
    assert modal["callback_id"] == "sandbox_test_form"


async def test_a_submission_with_errors_keeps_the_modal_and_shows_the_error_under_its_field(sandbox: Sandbox):
    _open_modal_on_click(sandbox, {"response_action": "errors", "errors": {"name": "Please give a name."}})
    await _open_form(sandbox)
    await sandbox.page.submit("U0TOM", _values(""))
    state = sandbox.page.state("U0TOM")
    assert len(state["modals"]) == 1
    assert state["errors"] == {"name": "Please give a name."}


async def test_a_modal_left_open_comes_back_after_a_reload_without_its_old_errors(sandbox: Sandbox):
    _open_modal_on_click(sandbox, {"response_action": "errors", "errors": {"name": "Please give a name."}})
    await _open_form(sandbox)
    await sandbox.page.submit("U0TOM", _values(""))
    async with aiohttp.ClientSession() as session:
        # Switching tabs keeps what was typed, and the errors about it.
        async with session.post(f"{sandbox.url}sandbox/api/open", json={"user": "U0TOM", "tab": "home"}) as response:
            assert (await response.json())["errors"] == {"name": "Please give a name."}
        # The page (re)loaded: what was typed is gone, so are the errors about it; the modal stays.
        async with session.post(f"{sandbox.url}sandbox/api/open", json={"user": "U0TOM", "tab": "messages", "arriving": True}) as response:
            state = await response.json()
    assert [view["title"]["text"] for view in state["modals"]] == ["Test form"]
    assert state["errors"] == {}


async def test_a_plain_ack_closes_the_modal_and_the_bot_got_the_values(sandbox: Sandbox):
    submissions = _open_modal_on_click(sandbox)
    await _open_form(sandbox)
    await sandbox.page.submit("U0TOM", _values("Tom"))
    assert sandbox.page.state("U0TOM")["modals"] == []
    assert submissions == [_values("Tom")]


async def test_response_action_update_replaces_the_modal(sandbox: Sandbox):
    updated = {**MODAL, "title": {"type": "plain_text", "text": "Thank you"}}
    _open_modal_on_click(sandbox, {"response_action": "update", "view": updated})
    await _open_form(sandbox)
    await sandbox.page.submit("U0TOM", _values("Tom"))
    [modal] = sandbox.page.state("U0TOM")["modals"]
    assert modal["title"]["text"] == "Thank you"


async def test_response_action_push_stacks_a_view_and_clear_closes_them_all(sandbox: Sandbox):
    pushed = {**MODAL, "title": {"type": "plain_text", "text": "Step two"}}
    _open_modal_on_click(sandbox, {"response_action": "push", "view": pushed})
    await _open_form(sandbox)
    await sandbox.page.submit("U0TOM", _values("Tom"))
    assert [m["title"]["text"] for m in sandbox.page.state("U0TOM")["modals"]] == ["Test form", "Step two"]


async def test_response_action_clear_closes_every_view(sandbox: Sandbox):
    _open_modal_on_click(sandbox, {"response_action": "clear"})
    await _open_form(sandbox)
    await sandbox.page.submit("U0TOM", _values("Tom"))
    assert sandbox.page.state("U0TOM")["modals"] == []


async def test_a_response_url_reply_to_a_button_replaces_the_original_message(sandbox: Sandbox):
    async def replace(ack: AsyncAck, respond) -> None:  # noqa: ANN001
        await ack()
        await respond(text="Done: thanks!", replace_original=True)

    sandbox.runtime.app.action("sandbox_test_open")(replace)
    ts = await _post_button(sandbox, "U0TOM")
    await sandbox.page.action("U0TOM", "message", {"type": "button", "action_id": "sandbox_test_open", "block_id": "b"}, ts=ts)
    await sandbox.workspace.wait_until(lambda: bool(sandbox.workspace.responses))
    [message] = sandbox.page.state("U0TOM")["messages"]
    assert message["ts"] == ts and message["text"] == "Done: thanks!" and message["edited"]


async def test_a_response_url_reply_without_replace_is_an_ephemeral_for_that_person(sandbox: Sandbox):
    async def reply(ack: AsyncAck, respond) -> None:  # noqa: ANN001
        await ack()
        await respond(text="Only for you")

    sandbox.runtime.app.action("sandbox_test_open")(reply)
    ts = await _post_button(sandbox, "U0TOM")
    await sandbox.page.action("U0TOM", "message", {"type": "button", "action_id": "sandbox_test_open", "block_id": "b"}, ts=ts)
    await sandbox.workspace.wait_until(lambda: bool(sandbox.workspace.responses))
    messages = sandbox.page.state("U0TOM")["messages"]
    assert [(m["text"], m["ephemeral"]) for m in messages] == [("Open the form", False), ("Only for you", True)]


async def test_moving_the_clock_a_day_sweeps_every_quarter_hour(sandbox: Sandbox):
    start = sandbox.clock.now()
    result = await sandbox.page.move_clock(by="day")
    assert sandbox.clock.now() == start + timedelta(days=1)
    assert result["sweeps"] == 96


async def test_the_clock_does_not_move_backwards(sandbox: Sandbox):
    start = sandbox.clock.now()
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{sandbox.url}sandbox/api/clock", json={"user": "U0TOM", "to_local": "2020-01-01T09:00", "tz": "Europe/London"}) as response:
            assert response.status == 400
            assert "only moves forward" in (await response.json())["error"]
    assert sandbox.clock.now() == start


async def test_the_clock_moves_to_a_time_given_in_the_persons_zone(sandbox: Sandbox):
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{sandbox.url}sandbox/api/clock", json={"user": "U0PRIYA", "to_local": "2026-03-05T09:00", "tz": "Asia/Kolkata"}) as response:
            state = await response.json()
    assert state["clock"]["now"] == "2026-03-05T03:30:00+00:00"


async def test_the_state_long_poll_returns_when_the_bot_posts(sandbox: Sandbox):
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{sandbox.url}sandbox/api/state", params={"user": "U0TOM"}) as response:
            version = (await response.json())["version"]
        await sandbox.runtime.app.client.chat_postMessage(channel="U0TOM", text="A reminder")
        async with session.get(f"{sandbox.url}sandbox/api/state", params={"user": "U0TOM", "since": str(version)}) as response:
            state = await response.json()
    assert [m["text"] for m in state["messages"]] == ["A reminder"]


async def test_the_page_and_uploaded_files_are_served(sandbox: Sandbox):
    sandbox.workspace.files["F1"] = {"id": "F1", "name": "report.csv", "content": b"pair,status\n1,green\n"}
    async with aiohttp.ClientSession() as session:
        async with session.get(sandbox.url) as response:
            assert response.status == 200 and "Flipside sandbox" in await response.text()
        async with session.get(f"{sandbox.url}api/files/F1") as response:
            assert response.status == 200 and await response.read() == b"pair,status\n1,green\n"


async def test_an_unknown_person_gets_a_clear_400(sandbox: Sandbox):
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{sandbox.url}sandbox/api/send", json={"user": "U0NOBODY", "text": "hi"}) as response:
            assert response.status == 400
            assert "no person" in (await response.json())["error"]


def test_clock_steps_are_fine_for_a_day_then_hourly():
    start = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    steps = clock_steps(start, start + timedelta(weeks=1))
    assert len(steps) == 96 + 144
    assert steps[0] == start + timedelta(minutes=15) and steps[-1] == start + timedelta(weeks=1)


def test_blocks_without_ids_get_stable_ones():
    blocks = [{"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Go"}}]}]
    fill_ids(blocks)
    first = (blocks[0]["block_id"], blocks[0]["elements"][0]["action_id"])
    fill_ids(blocks)
    assert (blocks[0]["block_id"], blocks[0]["elements"][0]["action_id"]) == first


async def test_closing_a_modal_that_asks_for_it_sends_view_closed(sandbox: Sandbox):
    closed: list[str] = []

    async def on_close(ack: AsyncAck, view: dict) -> None:
        closed.append(view["callback_id"])
        await ack()

    notifying = {**MODAL, "notify_on_close": True}
    sandbox.runtime.app.view_closed("sandbox_test_form")(on_close)

    async def open_form(ack: AsyncAck, body: dict, client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=notifying)

    sandbox.runtime.app.action("sandbox_test_open")(open_form)
    await _open_form(sandbox)
    await sandbox.page.close_modal("U0TOM")
    assert sandbox.page.state("U0TOM")["modals"] == []
    assert closed == ["sandbox_test_form"]
