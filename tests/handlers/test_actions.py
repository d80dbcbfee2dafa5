"""`/mentor actions`: the list, its Done / Edit / Drop / Add buttons, and the due reminders."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.flows.action_reminders import schedule_due_reminder
from store.models import Action, Outbox
from tests.conftest import START
from tests.factories import make_pair, make_person, make_programme
from tests.factories_sessions import make_action

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"


@pytest.fixture
async def pair(bot):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=30))
        await make_person(session, user_id=MENTOR, tz="Asia/Kolkata", now=START)
        await make_person(session, user_id=MENTEE, tz="America/New_York", now=START)
        pair = await make_pair(session, programme=programme, now=START - timedelta(days=30))
        mine = await make_action(session, pair=pair, owner_id=MENTOR, text="Write up the graduate survey", now=START, due_on=date(2026, 3, 10))
        await schedule_due_reminder(session, action=mine, tz="Asia/Kolkata", now=START)
        await make_action(session, pair=pair, owner_id=MENTEE, text="Sponsor one graduate project", now=START)
        await make_action(session, pair=pair, owner_id=MENTOR, text="Read the report", now=START, status="done", done_at=START)
        return pair


def _elements(message) -> list[dict]:
    found = []
    for block in message.blocks:
        if block.get("accessory"):
            found.append(block["accessory"])
        if block["type"] == "actions":
            found.extend(block["elements"])
    return found


async def _list(slack, workspace, user_id: str):
    before = len(workspace.calls_to("chat.postMessage"))
    response = await slack.command(user_id, "actions")
    assert response.status == 200
    await workspace.wait_for_calls("chat.postMessage", before + 1)
    return workspace.dm_messages(user_id)[-1]


async def _click(slack, workspace, user_id: str, message, text: str, value: str | None = None):
    for element in _elements(message):
        if element["text"]["text"] == text and (value is None or element.get("value") == value):
            return await slack.block_action(user_id, {**element, "type": "button", "block_id": "b"}, message=message.as_slack())
    raise AssertionError(f"no {text!r} button")


async def _action(bot, text: str) -> Action:
    async with bot.services.sessions() as session:
        # The text is encrypted at rest (a fresh nonce each time), so it is matched after reading.
        return next(action for action in (await session.exec(select(Action))).all() if action.text == text)


async def _reminders(bot) -> list[Outbox]:
    async with bot.services.sessions() as session:
        return list((await session.exec(select(Outbox).where(Outbox.kind == "action_due").order_by(Outbox.id))).all())


async def test_list_shows_open_and_done_actions_of_the_pair(bot, slack, workspace, pair):
    listing = await _list(slack, workspace, MENTOR)
    text = json.dumps(listing.blocks)
    assert "Write up the graduate survey" in text and "Sponsor one graduate project" in text and "~Read the report~" in text
    # Done only on the viewer's own open actions.
    assert [element.get("value") for element in _elements(listing) if element["text"]["text"] == "Done"] == [
        str((await _action(bot, "Write up the graduate survey")).id)
    ]


async def test_done_updates_the_list_in_place_and_withdraws_the_reminder(bot, slack, workspace, pair):
    listing = await _list(slack, workspace, MENTOR)
    await _click(slack, workspace, MENTOR, listing, "Done")
    updates = await workspace.wait_for_calls("chat.update")
    assert updates[-1].args["ts"] == listing.ts
    assert "~Write up the graduate survey~" in json.dumps(updates[-1].args["blocks"])
    action = await _action(bot, "Write up the graduate survey")
    assert (action.status, action.done_at) == ("done", START)
    assert [row.status for row in await _reminders(bot)] == ["withdrawn"]


async def test_partner_cannot_tick_off_someone_elses_action(bot, slack, workspace, pair):
    listing = await _list(slack, workspace, MENTOR)
    await slack.block_action(MENTEE, {**next(e for e in _elements(listing) if e["text"]["text"] == "Done"), "type": "button"}, message=listing.as_slack())
    await workspace.wait_for_calls("chat.postEphemeral")
    assert (await _action(bot, "Write up the graduate survey")).status == "open"


async def test_drop_removes_it_from_the_list(bot, slack, workspace, pair):
    listing = await _list(slack, workspace, MENTOR)
    await _click(slack, workspace, MENTOR, listing, "Drop")
    updates = await workspace.wait_for_calls("chat.update")
    assert "Write up the graduate survey" not in json.dumps(updates[-1].args["blocks"])
    assert (await _action(bot, "Write up the graduate survey")).status == "dropped"


async def test_add_creates_an_action_with_a_reminder_at_ten_in_the_owners_zone(bot, slack, workspace, pair):
    listing = await _list(slack, workspace, MENTEE)
    await _click(slack, workspace, MENTEE, listing, "Add an action")
    await workspace.wait_for_calls("views.open")
    values = {
        "text": {"value": {"type": "plain_text_input", "value": "Review our graduate pay bands"}},
        "due": {"value": {"type": "datepicker", "selected_date": "2026-04-01"}},
        "scope": {"value": {"type": "radio_buttons", "selected_option": {"value": "organisational"}}},
    }
    response = await slack.view_submission(MENTEE, workspace.modal_stacks[MENTEE][-1], values)
    assert response.status == 200 and not response.text
    updates = await workspace.wait_for_calls("chat.update")
    assert "Review our graduate pay bands" in json.dumps(updates[-1].args["blocks"])
    action = await _action(bot, "Review our graduate pay bands")
    assert (action.owner_id, action.due_on, action.scope) == (MENTEE, date(2026, 4, 1), "organisational")
    reminder = (await _reminders(bot))[-1]
    assert (reminder.key, reminder.recipient_id, reminder.due_at) == (
        f"action-due:action:{action.id}:2026-04-01",
        MENTEE,
        datetime(2026, 4, 1, 14, 0, tzinfo=UTC),  # 10:00 in New York
    )
    assert "Review our graduate pay bands" in reminder.payload


async def test_add_with_a_past_date_or_no_text_is_refused_under_the_fields(bot, slack, workspace, pair):
    listing = await _list(slack, workspace, MENTEE)
    await _click(slack, workspace, MENTEE, listing, "Add an action")
    await workspace.wait_for_calls("views.open")
    values = {"text": {"value": {"type": "plain_text_input", "value": " "}}, "due": {"value": {"type": "datepicker", "selected_date": "2026-03-01"}}}
    response = await slack.view_submission(MENTEE, workspace.modal_stacks[MENTEE][-1], values)
    assert set(response.json()["errors"]) == {"text", "due"}


async def test_editing_the_due_date_moves_the_reminder(bot, slack, workspace, pair):
    listing = await _list(slack, workspace, MENTOR)
    await _click(slack, workspace, MENTOR, listing, "Edit")
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks[MENTOR][-1]
    assert view["blocks"][0]["element"]["initial_value"] == "Write up the graduate survey"
    values = {
        "text": {"value": {"type": "plain_text_input", "value": "Write up the graduate survey for Tom"}},
        "due": {"value": {"type": "datepicker", "selected_date": "2026-03-12"}},
    }
    await slack.view_submission(MENTOR, view, values)
    await workspace.wait_for_calls("chat.update")
    reminders = await _reminders(bot)
    assert [(row.status, row.due_at) for row in reminders] == [
        ("withdrawn", datetime(2026, 3, 10, 4, 30, tzinfo=UTC)),
        ("pending", datetime(2026, 3, 12, 4, 30, tzinfo=UTC)),  # 10:00 in Kolkata
    ]


async def test_done_from_the_due_reminder_updates_the_reminder(bot, slack, workspace, pair):
    reminder = (await _reminders(bot))[0]
    payload = json.loads(reminder.payload)
    posted = await bot.app.client.chat_postMessage(channel=MENTOR, **payload)
    message = next(m for m in workspace.dm_messages(MENTOR) if m.ts == posted["ts"])
    await _click(slack, workspace, MENTOR, message, "Done")
    updates = await workspace.wait_for_calls("chat.update")
    assert "Done: Write up the graduate survey" in updates[-1].args["text"]
    assert (await _action(bot, "Write up the graduate survey")).status == "done"


async def test_actions_without_a_pair_says_so(bot, slack):
    body = await slack.command_reply("U0OTHER", "actions")
    assert "aren't in a mentoring pair" in json.dumps(body)
