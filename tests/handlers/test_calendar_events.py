"""A booking by someone whose calendar is connected puts the session on it, with the partner invited;
moving and cancelling follow. A failing calendar never blocks the booking: an expired token is
refreshed, a 429 waits out Retry-After, a provider that stays down or a revoked token is told to the
person once, and the next change tries again."""
# ruff: noqa: F811  (the calendar fixtures are imported, then requested by name)

from __future__ import annotations

from datetime import datetime, timedelta

import aiohttp
import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from domain.nudges import Kind
from domain.statuses import OutboxStatus
from prompts import sessions as session_prompts
from sandbox.calendar_accounts import Fault
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import calendars
from store.models import MentoringSession, Outbox
from tests.calendar_standins import StandIns, allow, bot, bot_port, settings, standins  # noqa: F401
from tests.factories import TEAM, make_charter, make_pair, make_programme
from tests.handlers.pairing_support import buttons

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"  # Priya (Kolkata), Tom (New York) who books
TOM, PRIYA = "tom@example.com", "priya@example.com"


@pytest.fixture
async def pair(bot, clock):
    paired = clock.now() - timedelta(days=14)
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=paired)
        pair = await make_pair(session, programme=programme, now=paired)
        await make_charter(session, pair=pair, now=paired, session_minutes=45)
    return pair


async def connect(slack: SlackRequests, workspace: Workspace, user_id: str, provider: str) -> None:
    reply = await slack.command_reply(user_id, "calendar")
    url = buttons(reply["blocks"])[f"calendar_connect_{provider}"]["url"]
    async with aiohttp.ClientSession() as browser:
        status, _ = await allow(browser, url)
    assert status == 200
    await workspace.wait_until(lambda: any("calendar is connected" in call.args.get("text", "") for call in workspace.calls_to("chat.postMessage")))


async def delivered(workspace: Workspace, published: int) -> None:
    """Wait until the change's deliveries are done: the Homes are republished after them."""
    await workspace.wait_for_calls("views.publish", published + 1)


async def book(slack: SlackRequests, bot: Runtime) -> MentoringSession:
    published = len(slack.workspace.calls_to("views.publish"))
    reply = await slack.command_reply(MENTEE, "schedule next tuesday 9am")
    assert reply["text"].startswith("Booked:")
    await delivered(slack.workspace, published)
    async with bot.services.sessions() as session:
        return (await session.exec(select(MentoringSession))).one()


def booking_message(workspace: Workspace, user_id: str) -> dict:
    return next(message for message in workspace.dm_messages(user_id) if "booked" in message.text.lower()).as_slack()


async def move(slack: SlackRequests, workspace: Workspace, booked: MentoringSession, *, days: int = 2) -> datetime:
    opened = len(workspace.calls_to("views.open"))
    await slack.block_action(MENTOR, {"action_id": session_prompts.RESCHEDULE_ACTION, "value": str(booked.id)},
                             message=booking_message(workspace, MENTOR))
    await workspace.wait_for_calls("views.open", opened + 1)
    when = booked.starts_at + timedelta(days=days)
    values = {session_prompts.WHEN_BLOCK: {session_prompts.VALUE: {"type": "datetimepicker", "selected_date_time": int(when.timestamp())}}}
    published = len(workspace.calls_to("views.publish"))
    assert not (await slack.view_submission(MENTOR, workspace.modal_stacks[MENTOR][-1], values)).text
    await delivered(workspace, published)
    return when


async def cancel(slack: SlackRequests, workspace: Workspace, booked: MentoringSession) -> None:
    opened = len(workspace.calls_to("views.open"))
    await slack.block_action(MENTEE, {"action_id": session_prompts.CANCEL_ACTION, "value": str(booked.id)},
                             message=booking_message(workspace, MENTEE))
    await workspace.wait_for_calls("views.open", opened + 1)
    published = len(workspace.calls_to("views.publish"))
    assert not (await slack.view_submission(MENTEE, workspace.modal_stacks[MENTEE][-1], {})).text
    await delivered(workspace, published)


async def calendar_rows(bot: Runtime) -> list[Outbox]:
    async with bot.services.sessions() as session:
        return list((await session.exec(select(Outbox).where(Outbox.kind == Kind.CALENDAR_EVENT).order_by(Outbox.id))).all())


def failure_notices(workspace: Workspace) -> list[str]:
    return [call.args["text"] for call in workspace.calls_to("chat.postMessage") if "couldn't update your" in call.args.get("text", "")]


def start_of(provider: str, event: dict) -> datetime:
    if provider == "google":
        return datetime.fromisoformat(event["start"]["dateTime"])
    return datetime.fromisoformat(event["start"]["dateTime"] + "+00:00")


@pytest.mark.parametrize("provider", ["google", "microsoft"])
async def test_a_booking_goes_on_the_bookers_calendar_with_the_partner_invited_and_follows_the_move_and_the_cancellation(
    slack: SlackRequests, workspace: Workspace, bot: Runtime, standins: StandIns, pair, provider: str
):
    await connect(slack, workspace, MENTEE, provider)
    account = standins.of(provider).account(TOM)

    booked = await book(slack, bot)

    [event] = account.events.values()
    invited = [attendee.get("email") or attendee["emailAddress"]["address"] for attendee in event["attendees"]]
    assert invited == [PRIYA] and "Priya Nair" in (event.get("summary") or event.get("subject"))
    assert start_of(provider, event) == booked.starts_at
    async with bot.services.sessions() as session:
        stored = await calendars.get_event(session, team_id=TEAM, session_id=booked.id)
    assert stored is not None and stored.event_id == event["id"] and stored.owner_id == MENTEE

    moved_to = await move(slack, workspace, booked)  # the partner moves it: it moves on the booker's calendar
    assert start_of(provider, account.events[event["id"]]) == moved_to

    await cancel(slack, workspace, booked)
    assert event["id"] in account.cancelled and not account.events
    assert [row.status for row in await calendar_rows(bot)] == [OutboxStatus.SENT] * 3


async def test_nothing_goes_to_a_calendar_when_the_booker_has_none_connected(
    slack: SlackRequests, workspace: Workspace, bot: Runtime, standins: StandIns, pair
):
    await connect(slack, workspace, MENTOR, "google")  # the partner's calendar is not the booker's

    await book(slack, bot)

    assert await calendar_rows(bot) == [] and not standins.google.calls_to("insert")


async def test_an_expired_access_token_is_refreshed_and_the_event_still_made(
    slack: SlackRequests, workspace: Workspace, bot: Runtime, standins: StandIns, pair
):
    await connect(slack, workspace, MENTEE, "microsoft")
    standins.microsoft.expire(TOM)  # its access token now answers 401, as an expired one does

    await book(slack, bot)

    assert [call.body["grant_type"] for call in standins.microsoft.calls_to("token")] == ["authorization_code", "refresh_token"]
    assert len(standins.microsoft.account(TOM).events) == 1 and failure_notices(workspace) == []


async def test_a_429_waits_out_retry_after_before_trying_again(
    slack: SlackRequests, workspace: Workspace, bot: Runtime, clock: ManualClock, standins: StandIns, pair
):
    await connect(slack, workspace, MENTEE, "google")
    standins.google.faults["insert"] = [Fault(429, retry_after=300)]

    await book(slack, bot)  # the booking stands
    [row] = await calendar_rows(bot)
    assert (row.status, row.due_at) == (OutboxStatus.PENDING, clock.now() + timedelta(seconds=300))

    clock.advance(timedelta(seconds=200))
    await bot.sweep_now()
    assert len(standins.google.calls_to("insert")) == 1  # not yet: Google said five minutes
    clock.advance(timedelta(seconds=101))
    await bot.sweep_now()
    assert len(standins.google.calls_to("insert")) == 2 and len(standins.google.account(TOM).events) == 1


async def test_a_revoked_token_is_told_once_and_the_booking_stands(
    slack: SlackRequests, workspace: Workspace, bot: Runtime, clock: ManualClock, standins: StandIns, pair
):
    await connect(slack, workspace, MENTEE, "google")
    standins.google.revoke(TOM)  # Tom removed Flipside's access in his Google account

    booked = await book(slack, bot)
    await bot.sweep_now()
    await move(slack, workspace, booked)
    await bot.sweep_now()

    assert booked.status == "booked" and not standins.google.account(TOM).events
    [told] = failure_notices(workspace)
    assert "no longer lets me in" in told and "/mentor calendar" in told
    notices = [call for call in workspace.calls_to("chat.postMessage") if "couldn't update" in call.args.get("text", "")]
    assert notices[0].args["channel"] == MENTEE
    assert "stopped letting me in" in (await slack.command_reply(MENTEE, "calendar"))["text"]


async def test_a_provider_that_stays_down_is_told_once_and_the_next_change_puts_the_session_on_the_calendar(
    slack: SlackRequests, workspace: Workspace, bot: Runtime, clock: ManualClock, standins: StandIns, pair
):
    await connect(slack, workspace, MENTEE, "microsoft")
    standins.microsoft.faults["insert"] = [Fault(503)] * 4

    booked = await book(slack, bot)
    for minutes in (1, 2, 4):  # the outbox's backoff
        clock.advance(timedelta(minutes=minutes, seconds=1))
        await bot.sweep_now()
    await bot.sweep_now()  # the notice, planned when the last attempt failed

    assert len(standins.microsoft.calls_to("insert")) == 4 and not standins.microsoft.account(TOM).events
    assert len(failure_notices(workspace)) == 1 and "didn't answer" in failure_notices(workspace)[0]

    moved_to = await move(slack, workspace, booked, days=1)

    [event] = standins.microsoft.account(TOM).events.values()
    assert start_of("microsoft", event) == moved_to
    assert len(failure_notices(workspace)) == 1


async def test_erasing_the_booker_revokes_their_calendar_and_deletes_the_connection(
    slack: SlackRequests, workspace: Workspace, bot: Runtime, standins: StandIns, pair
):
    from bot.flows.privacy import delete_my_data

    await connect(slack, workspace, MENTEE, "google")
    await book(slack, bot)

    await delete_my_data(bot.services, bot.app.client, team_id=TEAM, user_id=MENTEE)

    assert standins.google.calls_to("revoke") and not standins.google.refresh
    async with bot.services.sessions() as session:
        assert await calendars.get_connection(session, team_id=TEAM, user_id=MENTEE) is None
