"""Booking, listing, confirming, moving, cancelling and logging sessions through signed requests."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from domain.statuses import OutboxStatus, SessionStatus
from prompts import sessions as prompts
from prompts.calendar import ADD_TO_CALENDAR_ACTION
from prompts.reflection_conversation import REFLECTION_TOOK_PLACE_ACTION
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import MentoringSession, Outbox, Person, Programme
from tests.factories import make_charter, make_pair, make_programme
from tests.factories_sessions import make_roadmap

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"


@pytest.fixture
async def pair(bot: Runtime, clock: ManualClock):
    paired = clock.now() - timedelta(days=14)  # a programme under way, so there is an earlier fortnight to log
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=paired)
        pair = await make_pair(session, programme=programme, now=paired)
        await make_charter(session, pair=pair, now=paired, session_minutes=45)
        await make_roadmap(session, pair=pair, topics=[("hybrid-working", "Hybrid working in practice"), ("ai-tools-at-work", "AI tools at work")])
    return pair


async def _programme(session) -> Programme:
    return (await session.exec(select(Programme))).one()


async def _sessions(bot: Runtime) -> list[MentoringSession]:
    async with bot.services.sessions() as session:
        return list((await session.exec(select(MentoringSession).order_by(MentoringSession.id))).all())


async def _outbox(bot: Runtime) -> list[Outbox]:
    async with bot.services.sessions() as session:
        return list((await session.exec(select(Outbox).order_by(Outbox.id))).all())


async def _reply_text(slack: SlackRequests, user_id: str, text: str) -> str:
    """What the person is told: commands acknowledge first and answer through response_url."""
    body = await slack.command_reply(user_id, text)
    assert body is not None and body["response_type"] == "ephemeral"
    return body["text"]


def _dm_texts(workspace: Workspace, user_id: str) -> list[str]:
    return [m.text for m in workspace.dm_messages(user_id) if m.ephemeral_to is None]


# --- typed booking ----------------------------------------------------------------------------------


async def test_typed_schedule_books_in_the_bookers_zone_and_tells_both_in_theirs(slack: SlackRequests, workspace: Workspace, bot, pair):
    # START is Wed 4 Mar 10:00 UTC; Tom is in New York, where clocks go forward on Sun 8 Mar. 09:00 there is
    # 18:30 in Kolkata, inside both working days (tests/handlers/test_booking_across_zones.py has the rest).
    reply = await _reply_text(slack, MENTEE, "schedule next tuesday 9am")
    assert reply.startswith(f"Booked: Tue 10 Mar, 09:00 EDT (45 min); for <@{MENTOR}> that's Tue 10 Mar, 18:30 IST.")
    [booked] = await _sessions(bot)
    assert booked.starts_at == datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
    assert (booked.status, booked.minutes, booked.booked_by, booked.topic_key) == (SessionStatus.BOOKED, 45, MENTEE, "hybrid-working")
    await workspace.wait_for_calls("chat.postMessage", 2)
    assert _dm_texts(workspace, MENTEE) == [f"You booked a session. Tue 10 Mar, 09:00 EDT (45 min); for <@{MENTOR}> that's Tue 10 Mar, 18:30 IST"]
    assert _dm_texts(workspace, MENTOR) == [
        f"<@{MENTEE}> booked a session with you. Tue 10 Mar, 18:30 IST (45 min); for <@{MENTEE}> that's Tue 10 Mar, 09:00 EDT"
    ]
    buttons = workspace.dm_messages(MENTOR)[0].blocks[1]["elements"]
    assert [b["action_id"] for b in buttons] == [prompts.CONFIRM_ACTION, prompts.RESCHEDULE_ACTION, prompts.CANCEL_ACTION, ADD_TO_CALENDAR_ACTION]


async def test_booking_plans_reminders_and_the_prompt_for_both(slack: SlackRequests, bot, pair):
    await slack.command_reply(MENTEE, "schedule next tuesday 9am")
    [booked] = await _sessions(bot)
    planned = {(row.kind, row.recipient_id, row.due_at) for row in await _outbox(bot) if row.kind in ("reminder", "reflection_prompt")}
    start = booked.starts_at
    assert planned == {
        (kind, user, due)
        for user in (MENTOR, MENTEE)
        for kind, due in (
            ("reminder", start - timedelta(days=1)),
            ("reminder", start - timedelta(hours=1)),
            ("reflection_prompt", start + timedelta(minutes=45 + 15)),
        )
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("yesterday 3pm", "is in the past"),
        ("banana o'clock", "couldn't read"),
        ("tuesday", "has no time of day"),
        ("wednesday 3pm", "today or next week"),
        ("3/4 2pm", "could mean two different dates"),
    ],
)
async def test_typed_schedule_refuses_times_it_cannot_book(slack: SlackRequests, bot, pair, typed, expected):
    assert expected in await _reply_text(slack, MENTEE, f"schedule {typed}")
    assert await _sessions(bot) == []


async def test_typed_schedule_refuses_an_overlap_with_the_pairs_booked_session(slack: SlackRequests, bot, pair):
    await slack.command_reply(MENTEE, "schedule next tuesday 9am")
    assert "You already have a session around Tue 10 Mar, 18:30 IST" in await _reply_text(slack, MENTOR, "schedule next tuesday 6:45pm")  # 18:30-19:15 IST is the booked session
    assert len(await _sessions(bot)) == 1


async def test_schedule_without_an_active_pair_says_so(slack: SlackRequests, bot, pair):
    assert "not in an active pair" in await _reply_text(slack, "U0OTHER", "schedule next tuesday 3pm")
    assert "not in an active pair" in await _reply_text(slack, "U0OTHER", "schedule")


async def test_booking_after_the_programme_ends_is_allowed_with_a_warning(slack: SlackRequests, bot, pair):
    assert "after the programme's planned end" in await _reply_text(slack, MENTEE, "schedule 21 December 2026 8:15am")
    assert len(await _sessions(bot)) == 1


# --- the modal ------------------------------------------------------------------------------------


def _form_values(when: datetime, *, minutes: str = "60", topic: str = "ai-tools-at-work", where: str = "Room 4") -> dict:
    return {
        prompts.WHEN_BLOCK: {prompts.VALUE: {"type": "datetimepicker", "selected_date_time": int(when.timestamp())}},
        prompts.LENGTH_BLOCK: {prompts.VALUE: {"type": "static_select", "selected_option": {"value": minutes}}},
        prompts.TOPIC_BLOCK: {prompts.VALUE: {"type": "static_select", "selected_option": {"value": topic}}},
        prompts.WHERE_BLOCK: {prompts.VALUE: {"type": "plain_text_input", "value": where}},
    }


async def test_schedule_opens_a_form_with_defaults_from_the_charter_and_roadmap(slack: SlackRequests, workspace: Workspace, pair):
    response = await slack.command(MENTOR, "schedule")
    assert response.status == 200
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks[MENTOR][-1]
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    picker = blocks[prompts.WHEN_BLOCK]["element"]
    assert picker["type"] == "datetimepicker"
    # The first time that suits both (bot/rules/suggested_times.py): their days share 30 minutes until New
    # York's clocks go forward on 8 March, then 90, so a 45-minute session first fits on Mon 9 Mar at
    # 12:00 UTC, 17:30 in Kolkata and 08:00 in New York (not 10:00 in Kolkata, Tom's midnight).
    assert picker["initial_date_time"] == int(datetime(2026, 3, 9, 12, 0, tzinfo=UTC).timestamp())
    assert blocks[prompts.LENGTH_BLOCK]["element"]["initial_option"]["value"] == "45"
    assert blocks[prompts.TOPIC_BLOCK]["element"]["initial_option"]["value"] == "hybrid-working"


async def test_submitting_the_form_books_the_session(slack: SlackRequests, workspace: Workspace, bot, clock, pair):
    await slack.command(MENTOR, "schedule")
    await workspace.wait_for_calls("views.open")
    when = clock.now() + timedelta(days=1, hours=3)  # Thu 5 Mar, 18:30 in Kolkata and 08:00 in New York
    response = await slack.view_submission(MENTOR, workspace.modal_stacks[MENTOR][-1], _form_values(when))
    assert response.status == 200 and not response.text
    [booked] = await _sessions(bot)
    assert (booked.starts_at, booked.minutes, booked.topic, booked.location) == (when, 60, "AI tools at work", "Room 4")
    assert booked.mentor_confirmed and not booked.mentee_confirmed
    await workspace.wait_for_calls("chat.postMessage", 2)


async def test_submitting_a_past_time_shows_the_error_on_the_picker(slack: SlackRequests, workspace: Workspace, bot, clock, pair):
    await slack.command(MENTOR, "schedule")
    await workspace.wait_for_calls("views.open")
    response = await slack.view_submission(MENTOR, workspace.modal_stacks[MENTOR][-1], _form_values(clock.now() - timedelta(hours=1)))
    assert response.json() == {"response_action": "errors", "errors": {prompts.WHEN_BLOCK: prompts.PICKED_PAST}}
    assert await _sessions(bot) == []


# --- listing and the buttons ----------------------------------------------------------------------


async def _book(slack: SlackRequests, workspace: Workspace, bot, typed: str = "next tuesday 9am") -> MentoringSession:
    before = len(workspace.calls_to("chat.postMessage"))
    await slack.command_reply(MENTEE, f"schedule {typed}")
    await workspace.wait_for_calls("chat.postMessage", before + 2)
    return (await _sessions(bot))[-1]


async def test_sessions_lists_upcoming_with_buttons_and_past_with_status(slack: SlackRequests, workspace: Workspace, bot, pair):
    booked = await _book(slack, workspace, bot)
    await slack.command_reply(MENTEE, "log yesterday 4pm")
    body = await slack.command_reply(MENTOR, "sessions")
    assert body is not None
    assert body["response_type"] == "ephemeral"
    actions = [block for block in body["blocks"] if block["type"] == "actions"]
    assert [block["block_id"] for block in actions] == [f"session-{booked.id}"]
    assert "Tue 10 Mar, 18:30 IST" in str(body["blocks"])
    assert "took place" in str(body["blocks"])


async def test_sessions_lists_a_cancelled_future_session_as_cancelled_not_earlier(slack: SlackRequests, workspace: Workspace, bot, pair):
    booked = await _book(slack, workspace, bot)
    await _cancel(slack, workspace, MENTEE, booked)

    body = await slack.command_reply(MENTOR, "sessions")

    assert body is not None
    assert "Earlier" not in str(body["blocks"])
    assert "Tue 10 Mar, 18:30 IST" in str(body["blocks"]) and "cancelled" in str(body["blocks"])
    assert [block for block in body["blocks"] if block["type"] == "actions"] == []
    assert body["text"] == "You have 0 sessions coming up."


def _button_message(workspace: Workspace, user_id: str) -> dict:
    return workspace.dm_messages(user_id)[0].as_slack()


async def test_confirm_records_it_and_tells_the_partner(slack: SlackRequests, workspace: Workspace, bot, pair):
    booked = await _book(slack, workspace, bot)
    await slack.block_action(MENTOR, {"action_id": prompts.CONFIRM_ACTION, "value": str(booked.id)}, message=_button_message(workspace, MENTOR))
    await workspace.wait_for_calls("chat.postMessage", 3)
    assert (await _sessions(bot))[0].mentor_confirmed
    assert _dm_texts(workspace, MENTEE)[-1] == f"<@{MENTOR}> confirmed your session on Tue 10 Mar, 09:00 EDT (45 min). :white_check_mark:"
    [ephemeral] = await workspace.wait_for_calls("chat.postEphemeral")
    assert ephemeral.args["user"] == MENTOR


async def test_reschedule_moves_the_session_records_who_and_why_and_replans_nudges(slack, workspace, bot, clock, pair):
    booked = await _book(slack, workspace, bot)
    await slack.block_action(MENTOR, {"action_id": prompts.RESCHEDULE_ACTION, "value": str(booked.id)}, message=_button_message(workspace, MENTOR))
    await workspace.wait_for_calls("views.open")
    modal = workspace.modal_stacks[MENTOR][-1]
    assert modal["callback_id"] == prompts.RESCHEDULE_CALLBACK
    new_time = booked.starts_at + timedelta(days=2)
    values = {
        prompts.WHEN_BLOCK: {prompts.VALUE: {"type": "datetimepicker", "selected_date_time": int(new_time.timestamp())}},
        prompts.REASON_BLOCK: {prompts.VALUE: {"type": "plain_text_input", "value": "Team offsite"}},
    }
    response = await slack.view_submission(MENTOR, modal, values)
    assert not response.text
    await workspace.wait_for_calls("chat.postMessage", 4)
    [moved] = await _sessions(bot)
    assert (moved.starts_at, moved.reschedules, moved.rescheduled_by, moved.rescheduled_at, moved.reschedule_reason) == (
        new_time, 1, MENTOR, clock.now(), "Team offsite",
    )
    assert _dm_texts(workspace, MENTEE)[-1] == "<@U0MENTOR> moved your session from Tue 10 Mar, 09:00 EDT to Thu 12 Mar, 09:00 EDT (45 min)."
    rows = await _outbox(bot)
    reminders = {(row.recipient_id, row.due_at, row.status) for row in rows if row.kind == "reminder"}
    assert (MENTEE, booked.starts_at - timedelta(hours=1), OutboxStatus.WITHDRAWN) in reminders
    assert (MENTEE, new_time - timedelta(hours=1), OutboxStatus.PENDING) in reminders


def _confirm_buttons(workspace: Workspace, user_id: str) -> list[str]:
    """The Confirm buttons on the person's latest DM from the bot."""
    latest = [m for m in workspace.dm_messages(user_id) if m.ephemeral_to is None][-1]
    return [e["value"] for b in latest.blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == prompts.CONFIRM_ACTION]


async def test_after_booking_only_the_partner_is_asked_to_confirm(slack, workspace, bot, pair):
    booked = await _book(slack, workspace, bot)
    assert _confirm_buttons(workspace, MENTEE) == []
    assert _confirm_buttons(workspace, MENTOR) == [str(booked.id)]


async def test_after_moving_only_the_partner_is_asked_to_confirm_not_the_mover(slack, workspace, bot, pair):
    booked = await _book(slack, workspace, bot)
    await slack.block_action(MENTOR, {"action_id": prompts.RESCHEDULE_ACTION, "value": str(booked.id)}, message=_button_message(workspace, MENTOR))
    await workspace.wait_for_calls("views.open")
    values = {prompts.WHEN_BLOCK: {prompts.VALUE: {"type": "datetimepicker", "selected_date_time": int((booked.starts_at + timedelta(days=2)).timestamp())}}}
    assert not (await slack.view_submission(MENTOR, workspace.modal_stacks[MENTOR][-1], values)).text
    await workspace.wait_for_calls("chat.postMessage", 4)

    assert _confirm_buttons(workspace, MENTOR) == []  # Priya moved it: nothing for her to confirm
    assert _confirm_buttons(workspace, MENTEE) == [str(booked.id)]


async def _cancel(slack, workspace, user_id: str, booked: MentoringSession, reason: str = "") -> None:
    await slack.block_action(user_id, {"action_id": prompts.CANCEL_ACTION, "value": str(booked.id)}, message=_button_message(workspace, user_id))
    await workspace.wait_for_calls("views.open", len(workspace.calls_to("views.open")) + 1)
    modal = workspace.modal_stacks[user_id][-1]
    values = {prompts.REASON_BLOCK: {prompts.VALUE: {"type": "plain_text_input", "value": reason}}}
    response = await slack.view_submission(user_id, modal, values)
    assert not response.text


async def test_cancelling_well_ahead_is_recorded_and_not_late(slack, workspace, bot, clock, pair):
    booked = await _book(slack, workspace, bot)
    await _cancel(slack, workspace, MENTEE, booked, "Board meeting moved")
    await workspace.wait_for_calls("chat.postMessage", 4)
    [cancelled] = await _sessions(bot)
    assert (cancelled.status, cancelled.cancelled_by, cancelled.cancelled_at, cancelled.cancel_reason, cancelled.late_cancel) == (
        SessionStatus.CANCELLED, MENTEE, clock.now(), "Board meeting moved", False,
    )
    assert _dm_texts(workspace, MENTOR)[-1] == "<@U0MENTEE> cancelled your session on Tue 10 Mar, 18:30 IST (45 min)."
    assert {row.status for row in await _outbox(bot) if row.kind in ("reminder", "reflection_prompt")} == {OutboxStatus.WITHDRAWN}


async def test_cancelling_less_than_a_day_ahead_is_late(slack, workspace, bot, clock, pair):
    booked = await _book(slack, workspace, bot)
    clock.set(booked.starts_at - timedelta(hours=5))
    await _cancel(slack, workspace, MENTEE, booked)
    assert (await _sessions(bot))[0].late_cancel is True
    late_note = workspace.modal_stacks[MENTEE][-1]["blocks"][1]
    assert "late cancellation" in str(late_note)


async def test_two_cancellations_in_a_row_by_one_side_nudge_both_kindly(slack, workspace, bot, pair):
    first = await _book(slack, workspace, bot)
    await _cancel(slack, workspace, MENTEE, first)
    second = await _book(slack, workspace, bot, "next thursday 8am")
    await _cancel(slack, workspace, MENTEE, second)
    streak = [row for row in await _outbox(bot) if row.kind == "cancel_streak"]
    assert sorted(row.recipient_id for row in streak) == [MENTEE, MENTOR]


async def test_a_button_on_a_cancelled_session_says_it_has_gone(slack, workspace, bot, pair):
    booked = await _book(slack, workspace, bot)
    await _cancel(slack, workspace, MENTEE, booked)
    await slack.block_action(MENTOR, {"action_id": prompts.RESCHEDULE_ACTION, "value": str(booked.id)}, message=_button_message(workspace, MENTOR))
    [ephemeral] = await workspace.wait_for_calls("chat.postEphemeral")
    assert "already been cancelled" in ephemeral.args["text"]


# --- logging ----------------------------------------------------------------------------------------


async def test_log_records_a_held_session_and_asks_both_at_once(slack: SlackRequests, workspace: Workspace, bot, pair):
    assert "Logged your session" in await _reply_text(slack, MENTEE, "log yesterday 4pm")
    [logged] = await _sessions(bot)
    assert (logged.status, logged.logged_after, logged.starts_at) == (SessionStatus.HELD, True, datetime(2026, 3, 3, 21, 0, tzinfo=UTC))
    await workspace.wait_for_calls("chat.postMessage", 2)
    for user_id in (MENTOR, MENTEE):
        [prompt] = workspace.dm_messages(user_id)
        buttons = prompt.blocks[1]["elements"]
        assert [(b["action_id"], b["value"]) for b in buttons] == [
            (f"{REFLECTION_TOOK_PLACE_ACTION}_{number}", f"{logged.id}:{answer}")
            for number, answer in enumerate(("yes", "cancelled", "no_show"))
        ]


async def test_log_refuses_a_time_before_the_programme_started(slack: SlackRequests, bot, pair):
    # The programme started on Wed 18 Feb (START less a fortnight), in Tom's zone as in everyone's.
    reply = await _reply_text(slack, MENTEE, "log 16 February 4pm")
    assert "The programme started on Wed 18 Feb 2026" in reply
    assert await _sessions(bot) == []


async def test_log_refuses_a_time_before_the_pair_existed(slack: SlackRequests, bot, clock, pair):
    async with bot.services.sessions.begin() as session:
        later = await make_pair(session, programme=await _programme(session), now=clock.now(), mentor_id="U0OTHER", mentee_id="U0ADMIN")
    assert later.created_at == clock.now()
    reply = await _reply_text(slack, "U0OTHER", "log yesterday 4pm")
    assert "You and <@U0ADMIN> were paired on Wed 4 Mar" in reply
    assert await _sessions(bot) == []


async def test_log_refuses_a_time_still_to_come(slack: SlackRequests, bot, pair):
    assert "hasn't happened yet" in await _reply_text(slack, MENTEE, "log tomorrow 4pm")
    assert await _sessions(bot) == []


async def test_log_form_records_the_session(slack: SlackRequests, workspace: Workspace, bot, clock, pair):
    await slack.command(MENTOR, "log")
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks[MENTOR][-1]
    assert view["callback_id"] == prompts.LOG_CALLBACK
    when = clock.now() - timedelta(days=1)
    values = _form_values(when)
    del values[prompts.WHERE_BLOCK]
    assert not (await slack.view_submission(MENTOR, view, values)).text
    [logged] = await _sessions(bot)
    assert (logged.status, logged.starts_at, logged.topic_key) == (SessionStatus.HELD, when, "ai-tools-at-work")


# --- settings ---------------------------------------------------------------------------------------


async def test_settings_turns_off_chosen_nudges_and_sets_away_dates(slack: SlackRequests, workspace: Workspace, bot, pair):
    from prompts import nudges as nudge_prompts

    await slack.command(MENTEE, "settings")
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks[MENTEE][-1]
    values = {
        nudge_prompts.KINDS_BLOCK: {nudge_prompts.VALUE: {"type": "checkboxes", "selected_options": [{"value": "cancel_streak"}]}},
        nudge_prompts.AWAY_BLOCK: {nudge_prompts.VALUE: {"type": "datepicker", "selected_date": "2026-03-20"}},
    }
    assert not (await slack.view_submission(MENTEE, view, values)).text
    await workspace.wait_for_calls("chat.postMessage")
    async with bot.services.sessions() as session:
        person = (await session.exec(select(Person).where(Person.user_id == MENTEE))).one()
    assert person.muted_nudges == "action_due,momentum,pair_stalled,tips"
    assert str(person.away_until) == "2026-03-20"
