""""Add to calendar": a session as a calendar file for the person who asked, in their zone, naming their partner.

The file has the session's stable UID and its current SEQUENCE, so adding it again after a move updates
the same event rather than making a second one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.flows.bookings import Outcome
from bot.flows.session_changes import session_for
from bot.rules.calendar_event import Method, SessionEvent, build_calendar, sequence_of
from bot.services import Services
from prompts import calendar as words
from prompts.sessions import SessionView


@dataclass
class CalendarFile:
    outcome: Outcome  # the refusal, or the session with its pair
    view: SessionView | None = None
    content: bytes = b""


async def calendar_file(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, session_id: int,
                        now: datetime) -> CalendarFile:
    """The .ics of a session still to come, for one of its pair; a refusal for anyone else or a session gone."""
    outcome = await session_for(services, client, team_id=team_id, user_id=user_id, session_id=session_id, now=now)
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        return CalendarFile(outcome)
    row, view = outcome.session, outcome.context.view(outcome.session, user_id)
    event = SessionEvent(
        team_id=team_id, session_id=view.id, sequence=sequence_of(row.reschedules, cancelled=False), starts_at=row.starts_at,
        minutes=row.minutes, tz=view.tz, summary=words.event_summary(partner_name=view.partner_name, topic=view.topic),
        description=words.event_description(topic=view.topic), location=view.location,
    )
    return CalendarFile(outcome, view, build_calendar(event, method=Method.PUBLISH, stamp=now))
