"""Booking across zones (issue 16, item 1): the booker sees the time in both zones, and a time outside
either person's working hours is booked only when they say "book anyway" (typed, or in the form).

START is Wed 4 Mar 2026 10:00 UTC. Priya (U0MENTOR) is in Kolkata (UTC+5:30), Tom (U0MENTEE) in New York
(UTC-5 until Sun 8 Mar); the programme's working hours are 08:00 to 19:00, so the only hours inside both
are 18:30-19:00 in Kolkata, 08:00-08:30 in New York."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from prompts import booking_hours
from prompts import sessions as prompts
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import MentoringSession
from tests.factories import make_charter, make_pair, make_programme
from tests.handlers.pairing_support import buttons, click_in_ephemeral, initial_values, text_of

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"


@pytest.fixture
async def pair(bot: Runtime, clock: ManualClock):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now())
        await make_charter(session, pair=pair, now=clock.now(), session_minutes=45)
    return pair


async def _sessions(bot: Runtime) -> list[MentoringSession]:
    async with bot.services.sessions() as session:
        return list((await session.exec(select(MentoringSession).order_by(MentoringSession.id))).all())


async def _ephemeral(slack: SlackRequests, user_id: str, text: str) -> dict:
    body = await slack.command_reply(user_id, text)
    assert body is not None and body["response_type"] == "ephemeral"
    return body


# --- typed ----------------------------------------------------------------------------------------


async def test_a_typed_time_in_the_partners_night_is_not_booked_until_the_booker_says_book_anyway(
    slack: SlackRequests, workspace: Workspace, bot, pair,
):
    body = await _ephemeral(slack, MENTOR, "schedule tomorrow 10am")

    warning = text_of(body["blocks"])
    assert "Thu 5 Mar, 10:00 IST" in warning and "Wed 4 Mar, 23:30 EST" in warning and f"<@{MENTEE}>" in warning
    assert "outside working hours" in warning
    assert await _sessions(bot) == []
    choices = buttons(body["blocks"])
    assert set(choices) == {booking_hours.BOOK_ANYWAY_ACTION, booking_hours.DONT_BOOK_ACTION}

    anyway = choices[booking_hours.BOOK_ANYWAY_ACTION]
    await click_in_ephemeral(slack, MENTOR, {"action_id": anyway["action_id"], "value": anyway["value"], "type": "button"})

    assert await workspace.wait_until(lambda: any(r.get("replace_original") for r in workspace.responses))
    [booked] = await _sessions(bot)
    assert (booked.starts_at, booked.booked_by, booked.minutes) == (datetime(2026, 3, 5, 4, 30, tzinfo=UTC), MENTOR, 45)
    [replaced] = [r for r in workspace.responses if r.get("replace_original")]
    assert replaced["text"].startswith("Booked: Thu 5 Mar, 10:00 IST (45 min)")
    assert "Wed 4 Mar, 23:30 EST" in replaced["text"]  # the partner's local time, in the confirmation
    await workspace.wait_for_calls("chat.postMessage", 2)
    [to_mentee] = [call for call in workspace.calls_to("chat.postMessage") if call.args["channel"] == MENTEE]
    assert "Wed 4 Mar, 23:30 EST" in to_mentee.args["text"]


async def test_a_typed_time_in_the_bookers_own_night_is_warned_too(slack: SlackRequests, bot, pair):
    body = await _ephemeral(slack, MENTOR, "schedule in 2 days at 3am")

    warning = text_of(body["blocks"])
    assert "Fri 6 Mar, 03:00 IST" in warning and "Thu 5 Mar, 16:30 EST" in warning
    assert "outside working hours for you" in warning
    assert booking_hours.BOOK_ANYWAY_ACTION in buttons(body["blocks"])
    assert await _sessions(bot) == []


async def test_a_time_inside_both_working_days_books_at_once_and_shows_both_zones(slack: SlackRequests, bot, pair):
    body = await _ephemeral(slack, MENTOR, "schedule tomorrow 6:30pm")

    assert body["text"].startswith("Booked: Thu 5 Mar, 18:30 IST (45 min)")
    assert "Thu 5 Mar, 08:00 EST" in body["text"]
    [booked] = await _sessions(bot)
    assert booked.starts_at == datetime(2026, 3, 5, 13, 0, tzinfo=UTC)


async def test_dont_book_leaves_nothing_booked_and_says_so(slack: SlackRequests, workspace: Workspace, bot, pair):
    body = await _ephemeral(slack, MENTOR, "schedule tomorrow 10am")
    dont = buttons(body["blocks"])[booking_hours.DONT_BOOK_ACTION]

    await click_in_ephemeral(slack, MENTOR, {"action_id": dont["action_id"], "value": dont["value"], "type": "button"})

    assert await workspace.wait_until(lambda: any(r.get("replace_original") for r in workspace.responses))
    [replaced] = [r for r in workspace.responses if r.get("replace_original")]
    assert "Not booked" in replaced["text"]
    assert await _sessions(bot) == []


async def test_book_anyway_clicked_twice_books_once(slack: SlackRequests, workspace: Workspace, bot, pair):
    body = await _ephemeral(slack, MENTOR, "schedule tomorrow 10am")
    anyway = buttons(body["blocks"])[booking_hours.BOOK_ANYWAY_ACTION]
    action = {"action_id": anyway["action_id"], "value": anyway["value"], "type": "button"}

    await click_in_ephemeral(slack, MENTOR, action)
    await workspace.wait_for_calls("chat.postMessage", 2)
    await click_in_ephemeral(slack, MENTOR, action)

    assert len(await _sessions(bot)) == 1


# --- the form ---------------------------------------------------------------------------------------


async def _open_form(slack: SlackRequests, workspace: Workspace, user_id: str) -> dict:
    await slack.command(user_id, "schedule")
    await workspace.wait_for_calls("views.open")
    return workspace.modal_stacks[user_id][-1]


def _with_time(view: dict, when: datetime) -> dict:
    values = initial_values(view)
    values[prompts.WHEN_BLOCK] = {prompts.VALUE: {"type": "datetimepicker", "selected_date_time": int(when.timestamp())}}
    values[prompts.WHERE_BLOCK] = {prompts.VALUE: {"type": "plain_text_input", "value": "Room 4"}}
    return values


async def test_the_form_asks_before_booking_in_the_partners_night_and_books_when_ticked(
    slack: SlackRequests, workspace: Workspace, bot, pair,
):
    view = await _open_form(slack, workspace, MENTOR)
    night_for_tom = datetime(2026, 3, 5, 4, 30, tzinfo=UTC)  # Thu 10:00 in Kolkata, Wed 23:30 in New York

    response = await slack.view_submission(MENTOR, view, _with_time(view, night_for_tom))

    answer = response.json()
    assert answer["response_action"] == "update"
    asked = answer["view"]
    assert asked["callback_id"] == prompts.SCHEDULE_CALLBACK
    warning = text_of(asked["blocks"])
    assert "Thu 5 Mar, 10:00 IST" in warning and "Wed 4 Mar, 23:30 EST" in warning and f"<@{MENTEE}>" in warning
    assert await _sessions(bot) == []
    # What was chosen is kept: the time, and the place typed.
    kept = {block.get("block_id"): block for block in asked["blocks"]}
    assert kept[prompts.WHEN_BLOCK]["element"]["initial_date_time"] == int(night_for_tom.timestamp())
    assert kept[prompts.WHERE_BLOCK]["element"]["initial_value"] == "Room 4"

    values = _with_time(asked, night_for_tom)
    anyway = kept[booking_hours.ANYWAY_BLOCK]["element"]["options"][0]
    values[booking_hours.ANYWAY_BLOCK] = {prompts.VALUE: {"type": "checkboxes", "selected_options": [anyway]}}
    response = await slack.view_submission(MENTOR, {**view, **asked, "id": view["id"]}, values)

    assert response.status == 200 and not response.text
    [booked] = await _sessions(bot)
    assert (booked.starts_at, booked.location) == (night_for_tom, "Room 4")
    await workspace.wait_for_calls("chat.postMessage", 2)
    [to_mentor] = [call for call in workspace.calls_to("chat.postMessage") if call.args["channel"] == MENTOR]
    assert "Wed 4 Mar, 23:30 EST" in to_mentor.args["text"]  # the booker's confirmation names Tom's time


async def test_the_forms_book_anyway_covers_only_the_time_it_was_shown_for(slack: SlackRequests, workspace: Workspace, bot, pair):
    view = await _open_form(slack, workspace, MENTOR)
    first = datetime(2026, 3, 5, 4, 30, tzinfo=UTC)
    asked = (await slack.view_submission(MENTOR, view, _with_time(view, first))).json()["view"]
    values = _with_time(asked, first + timedelta(hours=1))  # another night time for Tom, with the box ticked
    anyway = {block.get("block_id"): block for block in asked["blocks"]}[booking_hours.ANYWAY_BLOCK]["element"]["options"][0]
    values[booking_hours.ANYWAY_BLOCK] = {prompts.VALUE: {"type": "checkboxes", "selected_options": [anyway]}}

    response = await slack.view_submission(MENTOR, {**view, **asked, "id": view["id"]}, values)

    assert response.json()["response_action"] == "update"
    assert "Thu 5 Mar, 00:30 EST" in text_of(response.json()["view"]["blocks"])
    assert await _sessions(bot) == []


async def test_the_form_books_a_time_inside_both_working_days_at_once(slack: SlackRequests, workspace: Workspace, bot, pair):
    view = await _open_form(slack, workspace, MENTOR)
    both_awake = datetime(2026, 3, 5, 13, 0, tzinfo=UTC)  # 18:30 in Kolkata, 08:00 in New York

    response = await slack.view_submission(MENTOR, view, _with_time(view, both_awake))

    assert response.status == 200 and not response.text
    assert [row.starts_at for row in await _sessions(bot)] == [both_awake]


# --- moving ----------------------------------------------------------------------------------------


async def _open_move_form(slack: SlackRequests, workspace: Workspace, bot, pair, user_id: str) -> tuple[MentoringSession, dict]:
    both_awake = datetime(2026, 3, 5, 13, 0, tzinfo=UTC)
    async with bot.services.sessions.begin() as session:
        booked = MentoringSession(team_id=pair.team_id, pair_id=pair.id, starts_at=both_awake, minutes=45, booked_by=MENTEE,
                                  mentee_confirmed=True, created_at=both_awake - timedelta(days=2))
        session.add(booked)
    await click_in_ephemeral(slack, user_id, {"action_id": prompts.RESCHEDULE_ACTION, "value": str(booked.id), "type": "button"})
    await workspace.wait_for_calls("views.open")
    return booked, workspace.modal_stacks[user_id][-1]


def _moved_to(view: dict, when: datetime, reason: str = "Clash with a board meeting") -> dict:
    values = initial_values(view)
    values[prompts.WHEN_BLOCK] = {prompts.VALUE: {"type": "datetimepicker", "selected_date_time": int(when.timestamp())}}
    values[prompts.REASON_BLOCK] = {prompts.VALUE: {"type": "plain_text_input", "value": reason}}
    return values


async def test_moving_a_session_into_the_partners_night_asks_first_and_moves_when_ticked(
    slack: SlackRequests, workspace: Workspace, bot, pair,
):
    booked, view = await _open_move_form(slack, workspace, bot, pair, MENTEE)
    night_for_priya = datetime(2026, 3, 6, 21, 0, tzinfo=UTC)  # Fri 16:00 in New York, Sat 02:30 in Kolkata

    answer = (await slack.view_submission(MENTEE, view, _moved_to(view, night_for_priya))).json()

    assert answer["response_action"] == "update"
    asked = answer["view"]
    assert asked["callback_id"] == prompts.RESCHEDULE_CALLBACK
    warning = text_of(asked["blocks"])
    assert "Fri 6 Mar, 16:00 EST" in warning and "Sat 7 Mar, 02:30 IST" in warning and "outside working hours" in warning
    kept = {block.get("block_id"): block for block in asked["blocks"]}
    assert kept[prompts.REASON_BLOCK]["element"]["initial_value"] == "Clash with a board meeting"
    assert [row.starts_at for row in await _sessions(bot)] == [booked.starts_at]  # not moved yet

    values = _moved_to(asked, night_for_priya)
    anyway = kept[booking_hours.ANYWAY_BLOCK]["element"]["options"][0]
    values[booking_hours.ANYWAY_BLOCK] = {prompts.VALUE: {"type": "checkboxes", "selected_options": [anyway]}}
    response = await slack.view_submission(MENTEE, {**view, **asked, "id": view["id"]}, values)

    assert response.status == 200 and not response.text
    assert [row.starts_at for row in await _sessions(bot)] == [night_for_priya]


async def test_moving_a_session_to_a_time_inside_both_working_days_moves_it_at_once(slack: SlackRequests, workspace: Workspace, bot, pair):
    _booked, view = await _open_move_form(slack, workspace, bot, pair, MENTEE)
    both_awake = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # 08:00 in New York (summer time), 17:30 in Kolkata

    response = await slack.view_submission(MENTEE, view, _moved_to(view, both_awake))

    assert response.status == 200 and not response.text
    assert [row.starts_at for row in await _sessions(bot)] == [both_awake]
