"""When a nudge may reach someone: working hours in their zone, away dates, mutes and a weekly cap.

Pure functions of the person's settings, the programme's hours and `now`; the delivery asks them
just before sending, so a deferred nudge simply waits in the outbox with a later `due_at`.

Decisions (see docs/pairs.md, "Sessions and nudges"):
- Session-bound messages (reminders before a session, the prompt after it, notices that a session
  was booked, moved or cancelled) always go: a reminder that waits until morning is worse than none.
- Everything else is delivered only Monday to Friday between the programme's `work_start_hour` and
  `work_end_hour` in the recipient's zone; outside them it waits for 10:00 on their next working day.
- Away dates hold every nudge but the session-bound ones: a session booked while someone is away is
  a commitment they made, and it is cancelled (and its reminders withdrawn) if they will not be there.
- At most `WEEKLY_CAP` non-session nudges per person in any rolling seven days; the rest wait, and
  the delivery takes the most important (highest priority) first when the week opens up.
- A kind the person turned off in `/mentor settings` is withdrawn, never sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.rules.nudges import mute_group

WEEKLY_CAP = 3
CAP_WINDOW = timedelta(days=7)
DEFERRED_HOUR = 10  # "10:00 on their next working day"


@dataclass(frozen=True)
class WorkingHours:
    start_hour: int = 8
    end_hour: int = 19

    @property
    def deferred_hour(self) -> int:
        """10:00, kept inside the working day when a programme's hours do not include it."""
        return min(max(DEFERRED_HOUR, self.start_hour), max(self.end_hour - 1, self.start_hour))


def is_working_time(when: datetime, tz: str, hours: WorkingHours) -> bool:
    local = when.astimezone(ZoneInfo(tz))
    return local.weekday() < 5 and hours.start_hour <= local.hour < hours.end_hour


def next_working_moment(when: datetime, tz: str, hours: WorkingHours) -> datetime:
    """`when` itself inside working hours; otherwise 10:00 on the next working day, in UTC."""
    if is_working_time(when, tz, hours):
        return when
    zone = ZoneInfo(tz)
    local = when.astimezone(zone)
    day = local.date()
    # Before the day's start on a working day: later today. Otherwise, from tomorrow on.
    if not (local.weekday() < 5 and local.hour < hours.start_hour):
        day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(hours.deferred_hour), tzinfo=zone).astimezone(when.tzinfo)


def parse_muted(muted: str | None) -> set[str]:
    return {kind.strip() for kind in (muted or "").split(",") if kind.strip()}


@dataclass(frozen=True)
class Recipient:
    """What delivery needs to know about a person to decide when a nudge may reach them."""

    tz: str = "UTC"
    muted: frozenset[str] = frozenset()
    away_until: date | None = None


@dataclass(frozen=True)
class Decision:
    send: bool = False
    defer_until: datetime | None = None
    withdraw_reason: str | None = None


SEND = Decision(send=True)


def decide(
    *,
    kind: str,
    session_bound: bool,
    recipient: Recipient,
    hours: WorkingHours,
    now: datetime,
    recent_sent: list[datetime],
    capped: bool = True,
) -> Decision:
    """Send now, wait until a later time, or withdraw: for one nudge to one person at `now`.

    `recent_sent` holds when this person's non-session nudges were sent in the last week.
    """
    if session_bound:
        return SEND
    if mute_group(kind) in recipient.muted:
        return Decision(withdraw_reason="turned off by the recipient")
    zone = ZoneInfo(recipient.tz)
    if recipient.away_until is not None and now.astimezone(zone).date() <= recipient.away_until:
        back = datetime.combine(recipient.away_until + timedelta(days=1), time(0), tzinfo=zone).astimezone(now.tzinfo)
        return Decision(defer_until=next_working_moment(back, recipient.tz, hours))
    window = sorted(sent for sent in recent_sent if now - CAP_WINDOW < sent <= now)
    if capped and len(window) >= WEEKLY_CAP:
        opens = window[-WEEKLY_CAP] + CAP_WINDOW
        return Decision(defer_until=next_working_moment(opens, recipient.tz, hours))
    if not is_working_time(now, recipient.tz, hours):
        return Decision(defer_until=next_working_moment(now, recipient.tz, hours))
    return SEND


def outside_working_hours(when: datetime, zones: dict[str, str], hours: WorkingHours) -> tuple[str, ...]:
    """Who, of these people (id -> zone), would find `when` outside their working hours: a session
    booked then needs the booker's "book anyway" (docs/pairs.md, "Booking across zones")."""
    return tuple(person for person, tz in zones.items() if not is_working_time(when, tz, hours))
