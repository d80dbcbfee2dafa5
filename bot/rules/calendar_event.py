"""A session as an iCalendar object (RFC 5545), for a file in the DM or an invite by email (iTIP, RFC 5546):
a pure function of plain values, no I/O.

One UID per session, from its team and id, so every version updates the same event in a calendar;
SEQUENCE counts the versions (the session's moves; a cancellation is one more), so a calendar keeps the
newest. Times carry the zone of the person the file is for (DTSTART;TZID=... with its VTIMEZONE), so the
event sits at the right hour across a daylight-saving change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, vCalAddress, vText

PRODUCT_ID = "-//Flipside//Reverse mentoring//EN"


class Method(StrEnum):
    PUBLISH = "PUBLISH"  # a file to add to one's own calendar: no organizer to answer to
    REQUEST = "REQUEST"  # an invite (booked or moved): needs ORGANIZER and ATTENDEE (RFC 5546 3.2.2)
    CANCEL = "CANCEL"  # the session is off


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str = ""


@dataclass(frozen=True)
class SessionEvent:
    team_id: str
    session_id: int
    sequence: int
    starts_at: datetime
    minutes: int
    tz: str  # the zone of the person the file is for
    summary: str
    description: str
    location: str = ""
    organizer: Attendee | None = None  # the operator's CALENDAR_FROM: nobody reads replies, so no RSVP is asked
    attendees: tuple[Attendee, ...] = ()


def event_uid(team_id: str, session_id: int) -> str:
    """Stable for the session's whole life: every update and the cancellation name this event."""
    return f"session-{session_id}@{team_id.lower()}.flipside"


def sequence_of(moves: int, *, cancelled: bool) -> int:
    """SEQUENCE: 0 when booked, one more for each move, and one more again for the cancellation."""
    return moves + 1 if cancelled else moves


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _address(who: Attendee, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{who.email}")
    if who.name:
        address.params["CN"] = vText(who.name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def build_calendar(event: SessionEvent, *, method: Method, stamp: datetime) -> bytes:
    """The VCALENDAR with one VEVENT (and the VTIMEZONE it uses), as bytes ready for a file or an email part."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method.value)
    item = Event()
    item.add("uid", event_uid(event.team_id, event.session_id))
    item.add("sequence", event.sequence)
    item.add("dtstamp", stamp.astimezone(UTC))
    starts = event.starts_at.astimezone(_zone(event.tz))
    item.add("dtstart", starts)
    item.add("dtend", starts + timedelta(minutes=event.minutes))
    item.add("summary", event.summary)
    item.add("description", event.description)
    if event.location:
        item.add("location", event.location)
    item.add("status", "CANCELLED" if method is Method.CANCEL else "CONFIRMED")
    item.add("transp", "OPAQUE")
    if event.organizer is not None:
        item.add("organizer", _address(event.organizer))
    for attendee in event.attendees:
        item.add("attendee", _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"))
    calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
