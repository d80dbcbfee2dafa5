"""The session as an iCalendar object: parsed back with `icalendar`, as a calendar would read it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from bot.rules.calendar_event import Attendee, Method, SessionEvent, build_calendar, event_uid, sequence_of

STAMP = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def _event(**changes) -> SessionEvent:
    values = dict(team_id="T0FLIP", session_id=7, sequence=0, starts_at=datetime(2026, 3, 10, 14, 0, tzinfo=UTC), minutes=45,
                  tz="America/New_York", summary="Reverse mentoring with Priya: Inclusion", description="Booked in Flipside.")
    values.update(changes)
    return SessionEvent(**values)


def _parsed(raw: bytes):
    calendar = Calendar.from_ical(raw)
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_a_booking_is_a_request_with_a_stable_uid_in_the_readers_zone():
    organizer, partner = Attendee("tom@example.com", "Tom"), Attendee("priya@example.com", "Priya")
    calendar, event = _parsed(build_calendar(_event(organizer=organizer, attendees=(organizer, partner)), method=Method.REQUEST, stamp=STAMP))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == event_uid("T0FLIP", 7) == "session-7@t0flip.flipside"
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert start == datetime(2026, 3, 10, 14, 0, tzinfo=UTC) and start.hour == 10  # 10:00 in New York (EDT from 8 March)
    assert event.decoded("DTEND") - start == timedelta(minutes=45)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert str(event["SUMMARY"]) == "Reverse mentoring with Priya: Inclusion"
    assert str(event["ORGANIZER"]) == "mailto:tom@example.com"
    assert [str(a) for a in event["ATTENDEE"]] == ["mailto:tom@example.com", "mailto:priya@example.com"]


def test_a_move_keeps_the_uid_and_raises_the_sequence_and_a_cancellation_raises_it_again():
    moved = _parsed(build_calendar(_event(sequence=sequence_of(1, cancelled=False)), method=Method.REQUEST, stamp=STAMP))[1]
    calendar, cancelled = _parsed(build_calendar(_event(sequence=sequence_of(1, cancelled=True)), method=Method.CANCEL, stamp=STAMP))
    assert str(moved["UID"]) == str(cancelled["UID"])
    assert (int(moved["SEQUENCE"]), int(cancelled["SEQUENCE"])) == (1, 2)
    assert str(calendar["METHOD"]) == "CANCEL" and str(cancelled["STATUS"]) == "CANCELLED"


def test_an_unknown_zone_falls_back_to_utc():
    event = _parsed(build_calendar(_event(tz="Mars/Olympus"), method=Method.PUBLISH, stamp=STAMP))[1]
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
