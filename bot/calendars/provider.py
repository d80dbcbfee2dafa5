"""The one interface every calendar provider implements, and the errors they raise.

Small on purpose: what the bot does with a calendar is read when someone is busy, and keep one event
per session on the booker's calendar (create, update, cancel), plus the OAuth token calls around them.
Errors are ours, not each library's, so the sweep decides once what to retry and what to give up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

from domain.busy import BusyBlock


class CalendarError(Exception):
    """A provider call failed; `code` is a short reason safe to log (never a token or a body)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class TokenInvalid(CalendarError):
    """401: the access token expired or was withdrawn; a refresh may cure it."""


class GrantRevoked(CalendarError):
    """invalid_grant: the refresh token is dead (the person removed our access); only connecting again helps."""


class RateLimited(CalendarError):
    """429: try again after `retry_after` seconds, as the provider said."""

    def __init__(self, code: str, retry_after: float) -> None:
        super().__init__(code)
        self.retry_after = retry_after


class EventGone(CalendarError):
    """404 or 410: the event is no longer there (deleted by its owner)."""


class Unavailable(CalendarError):
    """5xx, a timeout or a dropped connection: worth trying again later."""


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str  # "" when the provider kept the old one (Google's refresh answers)
    expires_at: datetime


@dataclass(frozen=True)
class EventDraft:
    """A session as an event on the booker's calendar, with the partner invited."""

    summary: str
    description: str
    location: str
    starts_at: datetime
    ends_at: datetime
    tz: str  # the owner's zone, so the provider shows it in their time
    attendee_email: str  # "" when the partner's Slack profile shows no email: the event is theirs alone
    attendee_name: str


class CalendarProvider(Protocol):
    name: str
    scopes: tuple[str, ...]

    def authorize_url(self, *, state: str, redirect_uri: str, login_hint: str) -> str: ...

    async def exchange_code(self, *, code: str, redirect_uri: str, now: datetime) -> Tokens: ...

    async def refresh(self, *, refresh_token: str, now: datetime) -> Tokens: ...

    async def revoke(self, *, tokens: Tokens) -> None: ...

    async def account(self, *, access_token: str) -> str: ...

    async def busy(self, *, access_token: str, account: str, start: datetime, end: datetime, tz: str) -> list[BusyBlock]: ...

    async def create_event(self, *, access_token: str, draft: EventDraft) -> str: ...

    async def update_event(self, *, access_token: str, event_id: str, draft: EventDraft) -> None: ...

    async def cancel_event(self, *, access_token: str, event_id: str) -> None: ...


def busy_block(start: str, end: str, *, tz: str, zone_of_naive: str = "UTC") -> BusyBlock:
    """A busy span as a provider writes it: an RFC 3339 time, a naive one in `zone_of_naive` (Graph's
    dateTime), or a date alone for an all-day block, which covers the owner's whole local day(s)."""
    return BusyBlock(_moment(start, tz=tz, zone_of_naive=zone_of_naive), _moment(end, tz=tz, zone_of_naive=zone_of_naive))


def _moment(value: str, *, tz: str, zone_of_naive: str) -> datetime:
    if len(value) == 10:  # 2026-03-05: midnight at the start of that day in the owner's zone
        return datetime.combine(date.fromisoformat(value), time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)
    text = value.replace("Z", "+00:00")
    offset = text[19:].lstrip("0123456789.")  # Graph writes seven fractional digits and no offset
    parsed = datetime.fromisoformat(text[:19] + offset)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone_of_naive))
    return parsed.astimezone(UTC)
