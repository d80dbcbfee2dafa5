"""A session on the booker's connected calendar: planned in the outbox in the same transaction as the
booking, the move or the cancellation, and delivered by the sweep (bot/sweep/calendar_events.py).

One row per session version, keyed under the session's prefix, so a row not yet delivered (a provider
that is down, retried with backoff) is withdrawn with the session's other messages when the session
moves on, and the newer version takes its place: the next change retries. The row carries the event as
it should now be; the delivery creates it, or updates the event already there, or cancels it. The
event lives on the calendar of whoever booked the session, with the partner invited; a move by the
partner updates it there. A failing calendar never holds up the booking: it is only a row.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.calendar_connections import calendars_enabled
from bot.rules.nudges import session_key_prefix
from bot.services import Services
from domain.calendars import ConnectionStatus
from domain.nudges import Kind
from prompts import calendar as words
from store import calendars, outbox
from store.models import MentoringSession, Pair, Person

logger = logging.getLogger(__name__)


def calendar_key(session_id: int, *, version: int, cancelled: bool, owner: str) -> str:
    return f"{session_key_prefix(session_id)}calendar:v{version}:{'cancel' if cancelled else 'set'}:{owner}"


async def _email_of(services: Services, client: AsyncWebClient, user_id: str, now: datetime) -> str:
    """The partner's address from their Slack profile, to invite them; "" when it shows none or Slack failed."""
    try:
        user = await services.users.fetch(client, user_id, now=now)
    except Exception:  # the event still goes on the owner's calendar, without the invitation
        logger.info("calendar: could not read the profile of %s; the event invites nobody", user_id)
        return ""
    return user.email if user is not None else ""


async def plan_calendar_event(
    session: AsyncSession, services: Services, client: AsyncWebClient, *, row: MentoringSession, pair: Pair,
    people: dict[str, Person], cancelled: bool = False, now: datetime,
) -> list[str]:
    """Queue this version of the session for its owner's calendar; the key, to deliver at once (or none)."""
    if row.id is None or not calendars_enabled(services):
        return []
    existing = await calendars.get_event(session, team_id=row.team_id, session_id=row.id)
    owner = existing.owner_id if existing is not None else row.booked_by
    if cancelled and existing is None:
        return []  # never on a calendar: nothing to cancel there
    connection = await calendars.get_connection(session, team_id=row.team_id, user_id=owner)
    if connection is None or connection.status != ConnectionStatus.CONNECTED:
        return []
    members = (pair.mentor_id, pair.mentee_id)
    if owner not in members:
        return []
    partner = members[1] if owner == members[0] else members[0]
    partner_name = people[partner].name if partner in people else ""
    event = {
        "session_id": row.id, "owner": owner, "cancelled": cancelled,
        "summary": words.event_summary(partner_name=partner_name, topic=row.topic),
        "description": words.event_description(topic=row.topic), "location": row.location,
        "starts_at": row.starts_at.isoformat(), "ends_at": (row.starts_at + timedelta(minutes=row.minutes)).isoformat(),
        "tz": people[owner].tz if owner in people else "UTC",
        "attendee_email": "" if cancelled else await _email_of(services, client, partner, now), "attendee_name": partner_name,
    }
    key = calendar_key(row.id, version=row.reschedules, cancelled=cancelled, owner=owner)
    await outbox.enqueue(session, team_id=row.team_id, key=key, kind=Kind.CALENDAR_EVENT, recipient_id=owner, message=event, due_at=now, now=now)
    return [key]
