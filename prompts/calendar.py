"""Every word about a session as a calendar event: its title and description, the "Add to calendar"
choice (the .ics button and the links that open Google Calendar's and Outlook's new-event pages
pre-filled), and what the uploaded file and the invite email say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from prompts.blocks import Block, actions, button, context

ADD_TO_CALENDAR_ACTION = "session_add_to_calendar"

GOOGLE_NEW_EVENT = "https://calendar.google.com/calendar/render"
OUTLOOK_NEW_EVENT = "https://outlook.office.com/calendar/0/deeplink/compose"


@dataclass(frozen=True)
class CalendarEntry:
    """A session as one person's calendar shows it (the words are theirs: their partner's name)."""

    session_id: int
    starts_at: datetime
    minutes: int
    topic: str
    location: str
    partner_name: str


def event_summary(*, partner_name: str, topic: str) -> str:
    """The event's title in a calendar: who it is with and, once chosen, what about. Plain text, never mrkdwn."""
    who = partner_name.strip() or "your partner"
    title = f"Reverse mentoring with {who}"
    return f"{title}: {topic}" if topic else title


def event_description(*, topic: str) -> str:
    lines = ["Your reverse-mentoring session, booked in Flipside."]
    if topic:
        lines.append(f"Topic: {topic}")
    lines.append("To move or cancel it, use the buttons on the booking message in Slack, or type /mentor sessions.")
    return "\n".join(lines)


def _ends(view: CalendarEntry) -> datetime:
    return view.starts_at + timedelta(minutes=view.minutes)


def google_link(view: CalendarEntry) -> str:
    """Google Calendar's new-event page, filled in: times in UTC (`...Z`), which Google shows in the reader's zone."""
    stamp = "%Y%m%dT%H%M%SZ"
    query = {
        "action": "TEMPLATE",
        "text": event_summary(partner_name=view.partner_name, topic=view.topic),
        "dates": f"{view.starts_at.astimezone(UTC).strftime(stamp)}/{_ends(view).astimezone(UTC).strftime(stamp)}",
        "details": event_description(topic=view.topic),
    }
    if view.location:
        query["location"] = view.location
    return f"{GOOGLE_NEW_EVENT}?{urlencode(query)}"


def outlook_link(view: CalendarEntry) -> str:
    """Outlook's new-event page (Microsoft 365), filled in: times as UTC with their offset, shown in the reader's zone."""
    query = {
        "subject": event_summary(partner_name=view.partner_name, topic=view.topic),
        "startdt": view.starts_at.astimezone(UTC).isoformat(),
        "enddt": _ends(view).astimezone(UTC).isoformat(),
        "body": event_description(topic=view.topic),
    }
    if view.location:
        query["location"] = view.location
    return f"{OUTLOOK_NEW_EVENT}?{urlencode(query)}"


def add_to_calendar_blocks(view: CalendarEntry) -> list[Block]:
    """The "Add to calendar" choice under a session: a button that sends the .ics to the DM, and the two links.
    `urlencode` leaves no `|` or `>` in a link, so the mrkdwn link syntax cannot be broken by a title."""
    return [
        actions(button("Add to calendar (.ics)", ADD_TO_CALENDAR_ACTION, str(view.session_id)), block_id=f"calendar-{view.session_id}"),
        context(f"Or open it in <{google_link(view)}|Google Calendar> or <{outlook_link(view)}|Outlook>."),
    ]


def calendar_filename(view: CalendarEntry) -> str:
    return f"flipside-session-{view.session_id}-{view.starts_at.astimezone(UTC).strftime('%Y%m%d')}.ics"


def calendar_file_title(view: CalendarEntry) -> str:
    return event_summary(partner_name=view.partner_name, topic=view.topic)


def calendar_file_comment() -> str:
    return ("Here's your session as a calendar file: open it to add it to your calendar. "
            "If the session moves, I'll tell you here, and you can add the new time the same way.")

