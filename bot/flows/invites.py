"""Email invites for a session (iMIP, RFC 6047), planned in the outbox in the same transaction as the
booking, the move or the cancellation, where the operator set SMTP_URL and CALENDAR_FROM.

One row per person and version: its key names the session, the SEQUENCE, the method and the person,
so a version is never sent twice, and being under the session's key prefix, an invite not yet sent
is withdrawn with the session's other messages when the session moves on (the newer one replaces it).
Each person's invite is in their own zone and names their partner; the organizer is CALENDAR_FROM and
both people are attendees. Someone whose Slack profile shows no email gets no invite (the .ics and the
links on the booking message still work for them). A cancellation goes only to someone who was sent
an invite for the session: a calendar never hears of an event it was never given.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.rules.calendar_event import Attendee, Method, SessionEvent, build_calendar, sequence_of
from bot.rules.nudges import session_key_prefix
from bot.services import Services
from domain.nudges import Kind
from prompts import calendar as words
from prompts.calendar import CalendarEntry
from store import outbox
from store.models import MentoringSession, Pair, Person

logger = logging.getLogger(__name__)

ORGANIZER_NAME = "Flipside"


def invites_prefix(session_id: int) -> str:
    return f"{session_key_prefix(session_id)}invite:"


def invite_key(session_id: int, *, sequence: int, method: Method, recipient: str) -> str:
    return f"{invites_prefix(session_id)}v{sequence}:{method.value.lower()}:{recipient}"


async def _emails(services: Services, client: AsyncWebClient, user_ids: tuple[str, ...], now: datetime) -> dict[str, str]:
    """Each person's email from their Slack profile (users:read.email): "" when it shows none; left out when
    Slack could not be asked (no invite this time, and no claim that they have no email)."""
    found = {}
    for user_id in user_ids:
        try:
            user = await services.users.fetch(client, user_id, now=now)
        except Exception:  # an invite is a courtesy: the change it follows stands without it
            logger.exception("invite: could not read the profile of %s; no email invite for them", user_id)
            continue
        found[user_id] = user.email if user is not None else ""
    return found


async def _tell_who_has_no_email(session: AsyncSession, row: MentoringSession, without: list[str], now: datetime) -> list[str]:
    """Once per person, ever: why no invite reached their mailbox, and what works instead."""
    keys = []
    for member in without:
        key = f"invite:no-email:{member}"
        if await outbox.enqueue(session, team_id=row.team_id, key=key, kind=Kind.NO_EMAIL, recipient_id=member,
                                message=words.build_no_email_notice(), due_at=now, now=now):
            keys.append(key)
    return keys


async def plan_invites(
    session: AsyncSession, services: Services, client: AsyncWebClient, *, row: MentoringSession, pair: Pair,
    people: dict[str, Person], cancelled: bool = False, now: datetime,
) -> list[str]:
    """Queue this version's invite (or cancellation) for each member with an email; the keys, to deliver at once."""
    smtp = services.settings.smtp
    if smtp is None or row.id is None:
        return []
    members = (pair.mentor_id, pair.mentee_id)
    told = list(members)
    if cancelled:
        told = [member for member in members if await outbox.sent_messages(
            session, team_id=row.team_id, recipient_id=member, kind=Kind.INVITE, key_prefix=invites_prefix(row.id))]
        if not told:
            return []
    asked = await _emails(services, client, members, now)
    emails = {member: email for member, email in asked.items() if email}
    keys = [] if cancelled else await _tell_who_has_no_email(session, row, [member for member in members if asked.get(member) == ""], now)
    if not emails:
        return keys
    names = {member: people[member].name if member in people else "" for member in members}
    attendees = tuple(Attendee(emails[member], names[member]) for member in members if member in emails)
    method = Method.CANCEL if cancelled else Method.REQUEST
    sequence = sequence_of(row.reschedules, cancelled=cancelled)
    for member in members:
        if member not in emails or member not in told:
            continue
        partner = members[1] if member == members[0] else members[0]
        tz = people[member].tz if member in people else "UTC"
        entry = CalendarEntry(row.id, row.starts_at, row.minutes, row.topic, row.location, names[partner])
        event = SessionEvent(
            team_id=row.team_id, session_id=row.id, sequence=sequence, starts_at=row.starts_at, minutes=row.minutes, tz=tz,
            summary=words.event_summary(partner_name=entry.partner_name, topic=row.topic),
            description=words.event_description(topic=row.topic), location=row.location,
            organizer=Attendee(smtp.from_address, ORGANIZER_NAME), attendees=attendees,
        )
        email = {
            "to": emails[member],
            "subject": words.invite_subject(entry, tz=tz, cancelled=cancelled, moved=row.reschedules > 0),
            "text": words.invite_text(entry, tz=tz, cancelled=cancelled),
            "method": method.value,
            "calendar": build_calendar(event, method=method, stamp=now).decode(),
        }
        key = invite_key(row.id, sequence=sequence, method=method, recipient=member)
        await outbox.enqueue(session, team_id=row.team_id, key=key, kind=Kind.INVITE, recipient_id=member, message=email, due_at=now, now=now)
        keys.append(key)
    return keys
