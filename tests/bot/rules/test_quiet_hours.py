"""Quiet hours, away dates, mutes and the weekly cap, decided at a fixed `now`."""

from datetime import UTC, date, datetime, timedelta

from bot.rules.quiet_hours import (
    Recipient,
    WorkingHours,
    decide,
    is_working_time,
    next_working_moment,
    outside_working_hours,
)

HOURS = WorkingHours(8, 19)
LONDON = Recipient(tz="Europe/London")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_working_hours_are_weekdays_in_the_recipients_zone():
    assert is_working_time(at("2026-03-04 09:00"), "Europe/London", HOURS)  # Wed 09:00
    assert not is_working_time(at("2026-03-04 07:59"), "Europe/London", HOURS)
    assert not is_working_time(at("2026-03-04 19:00"), "Europe/London", HOURS)
    assert not is_working_time(at("2026-03-07 12:00"), "Europe/London", HOURS)  # Saturday
    # 09:00 UTC is 14:30 in Kolkata (working) and 04:00 in New York (not).
    assert is_working_time(at("2026-03-04 09:00"), "Asia/Kolkata", HOURS)
    assert not is_working_time(at("2026-03-04 09:00"), "America/New_York", HOURS)


def test_after_hours_waits_for_ten_the_next_working_day():
    assert next_working_moment(at("2026-03-04 20:00"), "Europe/London", HOURS) == at("2026-03-05 10:00")


def test_before_hours_on_a_working_day_waits_for_ten_that_day():
    assert next_working_moment(at("2026-03-04 06:00"), "Europe/London", HOURS) == at("2026-03-04 10:00")


def test_friday_evening_waits_for_monday_in_their_zone():
    # Fri 6 Mar 23:00 UTC is 18:00 in New York (still working); 01:00 UTC Saturday is 20:00 Friday there.
    assert next_working_moment(at("2026-03-07 01:00"), "America/New_York", HOURS) == at("2026-03-09 14:00")  # Mon 10:00 EDT


def test_session_bound_messages_always_go():
    decision = decide(kind="reminder", session_bound=True, recipient=LONDON, hours=HOURS, now=at("2026-03-07 03:00"), recent_sent=[])
    assert decision.send


def test_a_nudge_at_night_is_deferred():
    decision = decide(kind="momentum", session_bound=False, recipient=LONDON, hours=HOURS, now=at("2026-03-04 22:00"), recent_sent=[])
    assert (decision.send, decision.defer_until) == (False, at("2026-03-05 10:00"))


def test_a_muted_kind_is_withdrawn():
    recipient = Recipient(tz="Europe/London", muted=frozenset({"momentum"}))
    decision = decide(kind="momentum", session_bound=False, recipient=recipient, hours=HOURS, now=at("2026-03-04 11:00"), recent_sent=[])
    assert decision.withdraw_reason is not None and not decision.send


def test_away_holds_nudges_until_the_working_day_after_they_are_back():
    recipient = Recipient(tz="Europe/London", away_until=date(2026, 3, 6))  # back Monday
    decision = decide(kind="momentum", session_bound=False, recipient=recipient, hours=HOURS, now=at("2026-03-04 11:00"), recent_sent=[])
    assert decision.defer_until == at("2026-03-09 10:00")


def test_away_does_not_hold_a_reminder_of_a_booked_session():
    recipient = Recipient(tz="Europe/London", away_until=date(2026, 3, 6))
    assert decide(kind="reminder", session_bound=True, recipient=recipient, hours=HOURS, now=at("2026-03-04 11:00"), recent_sent=[]).send


def test_a_fourth_nudge_in_a_week_waits_until_the_oldest_is_a_week_old():
    now = at("2026-03-04 11:00")
    sent = [now - timedelta(days=6), now - timedelta(days=2), now - timedelta(hours=1)]
    decision = decide(kind="momentum", session_bound=False, recipient=LONDON, hours=HOURS, now=now, recent_sent=sent)
    assert decision.defer_until == now + timedelta(days=1)
    older = [now - timedelta(days=8), now - timedelta(days=2), now - timedelta(hours=1)]
    assert decide(kind="momentum", session_bound=False, recipient=LONDON, hours=HOURS, now=now, recent_sent=older).send


def test_turning_off_tips_turns_off_every_detectors_tip():
    recipient = Recipient(tz="Europe/London", muted=frozenset({"tips"}))
    decision = decide(kind="detector_cosy_chat", session_bound=False, recipient=recipient, hours=HOURS, now=at("2026-03-04 11:00"), recent_sent=[])
    assert decision.withdraw_reason is not None


def test_a_report_is_held_to_working_hours_but_not_to_the_weekly_cap():
    now = at("2026-03-04 11:00")
    sent = [now - timedelta(days=1)] * 3
    assert decide(kind="final_report", session_bound=False, recipient=LONDON, hours=HOURS, now=now, recent_sent=sent, capped=False).send


def test_a_booking_is_outside_working_hours_for_whoever_it_falls_at_night_or_a_weekend_for():
    zones = {"priya": "Asia/Kolkata", "tom": "America/New_York"}
    assert outside_working_hours(at("2026-03-05 04:30"), zones, HOURS) == ("tom",)  # 10:00 Kolkata, 23:30 New York
    assert outside_working_hours(at("2026-03-05 21:30"), zones, HOURS) == ("priya",)  # 03:00 Kolkata, 16:30 New York
    assert outside_working_hours(at("2026-03-05 13:00"), zones, HOURS) == ()  # 18:30 Kolkata, 08:00 New York
    assert outside_working_hours(at("2026-03-07 13:00"), zones, HOURS) == ("priya", "tom")  # a Saturday for both
