""""Add to calendar" on a session: the .ics in the DM and the links to Google Calendar's and Outlook's
new-event pages, through the real app and the local Web API; the file parsed back with `icalendar`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from icalendar import Calendar
from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from prompts import calendar as words
from prompts import sessions as session_prompts
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import MentoringSession
from tests.factories import TEAM, make_charter, make_pair, make_programme
from tests.factories_sessions import make_roadmap

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"
TUESDAY_9AM_NEW_YORK = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)  # New York is on EDT from 8 March


@pytest.fixture
async def pair(bot: Runtime, clock: ManualClock):
    paired = clock.now() - timedelta(days=14)
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=paired)
        pair = await make_pair(session, programme=programme, now=paired)
        await make_charter(session, pair=pair, now=paired, session_minutes=45)
        await make_roadmap(session, pair=pair, topics=[("hybrid-working", "Hybrid working in practice")])
    return pair


async def _book(slack: SlackRequests, workspace: Workspace, bot: Runtime) -> MentoringSession:
    await slack.command_reply(MENTEE, "schedule next tuesday 9am")
    await workspace.wait_for_calls("chat.postMessage", 2)
    async with bot.services.sessions() as session:
        return (await session.exec(select(MentoringSession))).one()


def _booking_message(workspace: Workspace, user_id: str) -> dict:
    return workspace.dm_messages(user_id)[0].as_slack()


async def _add_to_calendar(slack: SlackRequests, workspace: Workspace, user_id: str, session_id: int) -> Calendar:
    before = len(workspace.calls_to("files.completeUploadExternal"))
    await slack.block_action(user_id, {"action_id": words.ADD_TO_CALENDAR_ACTION, "value": str(session_id)},
                             message=_booking_message(workspace, user_id))
    completed = await workspace.wait_for_calls("files.completeUploadExternal", before + 1)
    uploaded = workspace.files[completed[-1].args["files"][0]["id"]]
    assert uploaded["name"].endswith(".ics")
    return Calendar.from_ical(uploaded["content"])


async def test_the_booking_message_offers_the_file_and_links_to_google_and_outlook(slack, workspace, bot, pair):
    booked = await _book(slack, workspace, bot)

    blocks = _booking_message(workspace, MENTOR)["blocks"]

    buttons = [element for block in blocks if block["type"] == "actions" for element in block["elements"]]
    assert (words.ADD_TO_CALENDAR_ACTION, str(booked.id)) in [(button["action_id"], button.get("value")) for button in buttons]
    links = [part.split("|")[0] for part in str(blocks).split("<")[1:] if part.startswith("https://")]
    google = parse_qs(urlparse(next(link for link in links if "calendar.google.com" in link)).query)
    assert google["action"] == ["TEMPLATE"]
    assert google["dates"] == ["20260310T130000Z/20260310T134500Z"]
    assert google["text"][0].endswith(": Hybrid working in practice")
    outlook = parse_qs(urlparse(next(link for link in links if "outlook.office.com" in link)).query)
    assert (outlook["startdt"], outlook["enddt"]) == (["2026-03-10T13:00:00+00:00"], ["2026-03-10T13:45:00+00:00"])


async def test_add_to_calendar_uploads_an_ics_in_the_clickers_zone_to_their_dm(slack, workspace, bot, pair):
    booked = await _book(slack, workspace, bot)

    calendar = await _add_to_calendar(slack, workspace, MENTOR, booked.id)

    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"session-{booked.id}@{TEAM.lower()}.flipside"
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].params["TZID"] == "Asia/Kolkata"  # Priya's zone: 18:30 for her
    assert event.decoded("DTSTART") == TUESDAY_9AM_NEW_YORK and event.decoded("DTSTART").hour == 18
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Kolkata"]
    assert str(event["SUMMARY"]).startswith("Reverse mentoring with ") and "Hybrid working" in str(event["SUMMARY"])
    shared = [message for message in workspace.dm_messages(MENTOR) if message.files]
    assert len(shared) == 1


async def test_after_a_move_the_file_has_the_same_uid_and_a_higher_sequence(slack, workspace, bot, clock, pair):
    booked = await _book(slack, workspace, bot)
    first = next(iter(Calendar.walk(await _add_to_calendar(slack, workspace, MENTEE, booked.id), "VEVENT")))
    await slack.block_action(MENTOR, {"action_id": session_prompts.RESCHEDULE_ACTION, "value": str(booked.id)},
                             message=_booking_message(workspace, MENTOR))
    [opened] = await workspace.wait_for_calls("views.open")
    new_time = booked.starts_at + timedelta(days=2)
    values = {session_prompts.WHEN_BLOCK: {session_prompts.VALUE: {"type": "datetimepicker", "selected_date_time": int(new_time.timestamp())}}}
    await slack.view_submission(MENTOR, workspace.modal_stacks[MENTOR][-1], values)
    await workspace.wait_for_calls("chat.postMessage", 4)
    clock.advance(timedelta(minutes=5))  # a later click, not the second of a double-click

    moved = next(iter(Calendar.walk(await _add_to_calendar(slack, workspace, MENTEE, booked.id), "VEVENT")))

    assert str(moved["UID"]) == str(first["UID"])
    assert (int(first["SEQUENCE"]), int(moved["SEQUENCE"])) == (0, 1)
    assert moved.decoded("DTSTART") == new_time


async def test_add_to_calendar_on_a_cancelled_session_says_it_has_gone_and_sends_no_file(slack, workspace, bot, pair):
    booked = await _book(slack, workspace, bot)
    await slack.block_action(MENTEE, {"action_id": session_prompts.CANCEL_ACTION, "value": str(booked.id)},
                             message=_booking_message(workspace, MENTEE))
    await workspace.wait_for_calls("views.open")
    await slack.view_submission(MENTEE, workspace.modal_stacks[MENTEE][-1], {})
    await workspace.wait_for_calls("chat.postMessage", 4)

    await slack.block_action(MENTOR, {"action_id": words.ADD_TO_CALENDAR_ACTION, "value": str(booked.id)},
                             message=_booking_message(workspace, MENTOR))

    [ephemeral] = await workspace.wait_for_calls("chat.postEphemeral")
    assert "already been cancelled" in ephemeral.args["text"]
    assert workspace.calls_to("files.completeUploadExternal") == []


async def test_with_no_calendar_provider_set_mentor_calendar_says_connecting_is_off(slack: SlackRequests, bot: Runtime):
    reply = await slack.command_reply("U0MENTOR", "calendar")

    assert "isn't set up in this workspace" in reply["text"] and "Add to calendar" in reply["text"]
