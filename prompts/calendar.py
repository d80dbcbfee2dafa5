"""Every word about a session as a calendar event: its title and description, the "Add to calendar"
choice (the .ics button and the links that open Google Calendar's and Outlook's new-event pages
pre-filled), and what the uploaded file and the invite email say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from prompts.blocks import Block, button, context, message, section
from prompts.timefmt import format_when

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


def _ends(entry: CalendarEntry) -> datetime:
    return entry.starts_at + timedelta(minutes=entry.minutes)


def google_link(entry: CalendarEntry) -> str:
    """Google Calendar's new-event page, filled in: times in UTC (`...Z`), which Google shows in the reader's zone."""
    stamp = "%Y%m%dT%H%M%SZ"
    query = {
        "action": "TEMPLATE",
        "text": event_summary(partner_name=entry.partner_name, topic=entry.topic),
        "dates": f"{entry.starts_at.astimezone(UTC).strftime(stamp)}/{_ends(entry).astimezone(UTC).strftime(stamp)}",
        "details": event_description(topic=entry.topic),
    }
    if entry.location:
        query["location"] = entry.location
    return f"{GOOGLE_NEW_EVENT}?{urlencode(query)}"


def outlook_link(entry: CalendarEntry) -> str:
    """Outlook's new-event page (Microsoft 365), filled in: times as UTC with their offset, shown in the reader's zone."""
    query = {
        "subject": event_summary(partner_name=entry.partner_name, topic=entry.topic),
        "startdt": entry.starts_at.astimezone(UTC).isoformat(),
        "enddt": _ends(entry).astimezone(UTC).isoformat(),
        "body": event_description(topic=entry.topic),
    }
    if entry.location:
        query["location"] = entry.location
    return f"{OUTLOOK_NEW_EVENT}?{urlencode(query)}"


def add_to_calendar_button(entry: CalendarEntry) -> dict[str, Any]:
    """Beside a session's other buttons: the .ics sent to the DM."""
    return button("Add to calendar", ADD_TO_CALENDAR_ACTION, str(entry.session_id))


def calendar_links(entry: CalendarEntry) -> Block:
    """Under a session's buttons: Google Calendar's and Outlook's new-event pages, filled in. `urlencode`
    leaves no `|` or `>` in a link, so a title cannot break the mrkdwn link syntax."""
    return context(f"Or add it in <{google_link(entry)}|Google Calendar> or <{outlook_link(entry)}|Outlook>.")


def calendar_filename(entry: CalendarEntry) -> str:
    return f"flipside-session-{entry.session_id}-{entry.starts_at.astimezone(UTC).strftime('%Y%m%d')}.ics"


def calendar_file_title(entry: CalendarEntry) -> str:
    return event_summary(partner_name=entry.partner_name, topic=entry.topic)


def calendar_file_comment() -> str:
    return ("Here's your session as a calendar file: open it to add it to your calendar. "
            "If the session moves, I'll tell you here, and you can add the new time the same way.")



# --- invites by email (iMIP) --------------------------------------------------------------------------


def invite_subject(entry: CalendarEntry, *, tz: str, cancelled: bool, moved: bool) -> str:
    """The email's subject, in the reader's zone. Plain text, never mrkdwn."""
    when = format_when(entry.starts_at, tz)
    summary = event_summary(partner_name=entry.partner_name, topic=entry.topic)
    if cancelled:
        return f"Cancelled: {summary} ({when})"
    return f"{'Moved' if moved else 'Invitation'}: {summary}, {when}"


def invite_text(entry: CalendarEntry, *, tz: str, cancelled: bool) -> str:
    """The email's plain-text part, for mail programs that do not read the calendar part."""
    when = f"{format_when(entry.starts_at, tz)} ({entry.minutes} min)"
    who = entry.partner_name.strip() or "your partner"
    if cancelled:
        return (f"Your reverse-mentoring session with {who} on {when} has been cancelled, and this removes it from your calendar.\n"
                "To book another, type /mentor schedule in Slack.")
    lines = [f"Your reverse-mentoring session with {who}: {when}."]
    if entry.topic:
        lines.append(f"Topic: {entry.topic}")
    if entry.location:
        lines.append(f"Where: {entry.location}")
    lines.append("Accept it to keep the time in your calendar. To move or cancel it, use the buttons on the booking message "
                 "in Slack (or /mentor sessions): this invite will follow.")
    return "\n".join(lines)


def build_no_email_notice() -> dict[str, Any]:
    text = ("Your sessions' calendar invites go by email, and your Slack profile shows no email address, so none can reach "
            "you. Use *Add to calendar* on a booking message instead: it sends you the event as a file, or opens it in "
            "Google Calendar or Outlook.")
    return message("No calendar invites by email for you", [section(text)])
