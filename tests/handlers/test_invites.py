"""Email invites (iMIP) for a session, received by a real SMTP server in the test's own loop (aiosmtpd on a
free port) and read with `icalendar`: the booking's REQUEST, the move's REQUEST with a higher SEQUENCE and
the cancellation's CANCEL, for the same UID; nothing sent twice; a server that refuses never blocks a booking."""

from __future__ import annotations

import asyncio
import dataclasses
import email
from datetime import timedelta
from email.message import Message

import pytest
from aiosmtpd.smtp import SMTP
from icalendar import Calendar
from sqlmodel import select

from bot.config import Settings, SmtpSettings
from bot.sweep.delivery_retries import MAX_ATTEMPTS
from domain.nudges import Kind
from domain.statuses import OutboxStatus
from prompts import sessions as session_prompts
from store.models import MentoringSession, Outbox
from tests.factories import TEAM, make_charter, make_pair, make_programme
from tests.factories_sessions import make_roadmap

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"
PRIYA, TOM = "priya@example.com", "tom@example.com"
SENDER = "mentoring@flipside.example"


class Inbox:
    """What an SMTP server received, by recipient; `refuse_with` answers every message with that reply instead."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.refuse_with: str | None = None
        self.arrived = asyncio.Event()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        if self.refuse_with is not None:
            return self.refuse_with
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        self.arrived.set()
        return "250 Message accepted for delivery"

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(5):
            while len(self.messages) < count:
                self.arrived.clear()
                await self.arrived.wait()

    def calendars_to(self, address: str) -> list[Calendar]:
        return [_calendar_of(message) for recipients, message in self.messages if address in recipients]


def _calendar_of(message: Message) -> Calendar:
    [part] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert part.get_param("method") == Calendar.from_ical(part.get_payload(decode=True))["METHOD"]
    return Calendar.from_ical(part.get_payload(decode=True))


def _event(calendar: Calendar):
    [event] = calendar.walk("VEVENT")
    return event


@pytest.fixture
async def inbox():
    received = Inbox()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(received, loop=loop, hostname="mail.test"), "127.0.0.1", 0)
    received.port = server.sockets[0].getsockname()[1]
    yield received
    server.close()
    await server.wait_closed()


@pytest.fixture
def settings(settings: Settings, inbox: Inbox) -> Settings:
    smtp = SmtpSettings(hostname="127.0.0.1", port=inbox.port, username=None, password=None, use_tls=False, from_address=SENDER)
    return dataclasses.replace(settings, smtp=smtp)


@pytest.fixture
async def pair(bot, clock):
    paired = clock.now() - timedelta(days=14)
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=paired)
        pair = await make_pair(session, programme=programme, now=paired)
        await make_charter(session, pair=pair, now=paired, session_minutes=45)
        await make_roadmap(session, pair=pair, topics=[("hybrid-working", "Hybrid working in practice")])
    return pair


async def _book(slack, bot) -> MentoringSession:
    reply = await slack.command_reply(MENTEE, "schedule next tuesday 9am")
    assert reply is not None and reply["text"].startswith("Booked:")
    async with bot.services.sessions() as session:
        return (await session.exec(select(MentoringSession))).one()


async def _invite_rows(bot) -> list[Outbox]:
    async with bot.services.sessions() as session:
        return list((await session.exec(select(Outbox).where(Outbox.kind == Kind.INVITE).order_by(Outbox.id))).all())


def _booking_message(workspace, user_id: str) -> dict:
    return workspace.dm_messages(user_id)[0].as_slack()


async def _move(slack, workspace, booked: MentoringSession) -> None:
    await slack.block_action(MENTOR, {"action_id": session_prompts.RESCHEDULE_ACTION, "value": str(booked.id)},
                             message=_booking_message(workspace, MENTOR))
    await workspace.wait_for_calls("views.open", len(workspace.calls_to("views.open")) + 1)
    when = booked.starts_at + timedelta(days=2)
    values = {session_prompts.WHEN_BLOCK: {session_prompts.VALUE: {"type": "datetimepicker", "selected_date_time": int(when.timestamp())}}}
    response = await slack.view_submission(MENTOR, workspace.modal_stacks[MENTOR][-1], values)
    assert not response.text


async def _cancel(slack, workspace, booked: MentoringSession) -> None:
    await slack.block_action(MENTEE, {"action_id": session_prompts.CANCEL_ACTION, "value": str(booked.id)},
                             message=_booking_message(workspace, MENTEE))
    await workspace.wait_for_calls("views.open", len(workspace.calls_to("views.open")) + 1)
    response = await slack.view_submission(MENTEE, workspace.modal_stacks[MENTEE][-1], {})
    assert not response.text


async def test_a_booking_emails_each_person_a_request_in_their_own_zone(slack, workspace, bot, inbox, pair):
    booked = await _book(slack, bot)

    await inbox.wait_for(2)

    for address, zone, partner in ((PRIYA, "Asia/Kolkata", "Tom Becker"), (TOM, "America/New_York", "Priya Nair")):
        [calendar] = inbox.calendars_to(address)
        event = _event(calendar)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(event["UID"]) == f"session-{booked.id}@{TEAM.lower()}.flipside"
        assert int(event["SEQUENCE"]) == 0
        assert event["DTSTART"].params["TZID"] == zone and event.decoded("DTSTART") == booked.starts_at
        assert str(event["SUMMARY"]) == f"Reverse mentoring with {partner}: Hybrid working in practice"
        assert str(event["ORGANIZER"]) == f"mailto:{SENDER}"
        assert sorted(str(attendee) for attendee in event["ATTENDEE"]) == [f"mailto:{PRIYA}", f"mailto:{TOM}"]
    [(_, message)] = [item for item in inbox.messages if TOM in item[0]]
    assert message["From"] == SENDER and message["Subject"].startswith("Invitation: Reverse mentoring with Priya Nair")


async def test_a_move_sends_a_request_with_a_higher_sequence_and_a_cancellation_a_cancel_for_the_same_uid(slack, workspace, bot, inbox, pair):
    booked = await _book(slack, bot)
    await inbox.wait_for(2)

    await _move(slack, workspace, booked)
    await inbox.wait_for(4)
    await _cancel(slack, workspace, booked)
    await inbox.wait_for(6)

    booking, move, cancellation = inbox.calendars_to(TOM)
    assert len({str(_event(calendar)["UID"]) for calendar in (booking, move, cancellation)}) == 1
    assert [str(calendar["METHOD"]) for calendar in (booking, move, cancellation)] == ["REQUEST", "REQUEST", "CANCEL"]
    assert [int(_event(calendar)["SEQUENCE"]) for calendar in (booking, move, cancellation)] == [0, 1, 2]
    assert _event(move).decoded("DTSTART") == booked.starts_at + timedelta(days=2)
    assert str(_event(cancellation)["STATUS"]) == "CANCELLED"
    assert [calendar["METHOD"] for calendar in inbox.calendars_to(PRIYA)] == ["REQUEST", "REQUEST", "CANCEL"]


async def test_nothing_is_emailed_twice_when_the_sweep_runs_again(slack, workspace, bot, clock, inbox, pair):
    await _book(slack, bot)
    await inbox.wait_for(2)

    await bot.sweep_now()
    clock.advance(timedelta(minutes=5))
    await bot.sweep_now()

    assert len(inbox.messages) == 2
    assert {row.status for row in await _invite_rows(bot)} == {OutboxStatus.SENT}


async def test_a_server_that_refuses_is_retried_then_the_invite_is_dead_and_the_booking_stands(slack, workspace, bot, clock, inbox, pair):
    inbox.refuse_with = "451 Requested action aborted: local error in processing"

    booked = await _book(slack, bot)  # answered "Booked:" although the server refused

    await workspace.wait_for_calls("chat.postMessage", 2)  # both were told in Slack
    await workspace.wait_for_calls("views.publish", 2)  # both Homes republished: after the delivery settled
    rows = await _invite_rows(bot)
    assert [(row.status, row.attempts, row.last_error) for row in rows] == [(OutboxStatus.PENDING, 1, "smtp_451")] * 2
    for _ in range(MAX_ATTEMPTS - 1):
        clock.advance(timedelta(hours=2))
        await bot.sweep_now()
    assert [(row.status, row.attempts, row.last_error) for row in await _invite_rows(bot)] == [(OutboxStatus.DEAD, MAX_ATTEMPTS, "smtp_451")] * 2
    assert inbox.messages == []
    async with bot.services.sessions() as session:
        assert (await session.get(MentoringSession, booked.id)).status == "booked"


async def test_a_session_cancelled_before_its_invite_went_out_sends_no_cancellation(slack, workspace, bot, inbox, pair):
    inbox.refuse_with = "451 Try again later"
    booked = await _book(slack, bot)
    await workspace.wait_for_calls("views.publish", 2)

    await _cancel(slack, workspace, booked)
    await workspace.wait_for_calls("views.publish", 4)

    rows = await _invite_rows(bot)
    assert [row.status for row in rows] == [OutboxStatus.WITHDRAWN] * 2  # the unsent requests, and no cancel queued
    assert all(":request:" in row.key for row in rows)


async def test_someone_with_no_email_in_slack_gets_no_invite_and_their_partner_still_does(slack, workspace, bot, inbox, pair):
    workspace.members[MENTEE].email = ""

    await _book(slack, bot)
    await inbox.wait_for(1)

    assert [recipients for recipients, _ in inbox.messages] == [[PRIYA]]
    assert [row.recipient_id for row in await _invite_rows(bot)] == [MENTOR]
    assert str(_event(inbox.calendars_to(PRIYA)[0])["ATTENDEE"]) == f"mailto:{PRIYA}"  # the only attendee


async def test_someone_with_no_email_is_told_once_why_no_invite_reaches_them(slack, workspace, bot, clock, inbox, pair):
    workspace.members[MENTEE].email = ""
    booked = await _book(slack, bot)
    await inbox.wait_for(1)
    await workspace.wait_for_calls("views.publish", 2)
    await _move(slack, workspace, booked)
    await inbox.wait_for(2)

    told = [message.text for message in workspace.dm_messages(MENTEE) if message.text == "No calendar invites by email for you"]
    assert len(told) == 1
    assert not any(message.text == "No calendar invites by email for you" for message in workspace.dm_messages(MENTOR))
