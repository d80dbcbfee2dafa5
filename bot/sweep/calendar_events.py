"""Delivering a session to its owner's connected calendar from the outbox: create the event, update it,
or cancel it, and settle the row like any other.

The access token is refreshed when it is about to expire, and once more when the provider answers 401.
A 429 is tried again after the provider's Retry-After; a 5xx, a timeout or a dropped connection with the
outbox's backoff, up to ATTEMPTS; a refresh token the provider refused (invalid_grant) marks the
connection revoked at once. Either way the booking stands, and the person is told once (until their
calendar works again) that it could not be updated; the next change of the session tries again.
Logs carry the row's key and the provider's short code, never a token or a body.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from bot.calendars.provider import (
    CalendarError,
    CalendarProvider,
    EventDraft,
    EventGone,
    GrantRevoked,
    RateLimited,
)
from bot.flows.calendar_access import CalendarAccess
from bot.flows.calendar_connections import providers
from bot.sweep.delivery_context import DeliveryReport, PassContext
from bot.sweep.delivery_retries import backoff
from domain.calendars import ConnectionStatus
from domain.nudges import Kind
from domain.statuses import OutboxStatus
from prompts import calendar_connections as words
from store import calendars, outbox
from store.calendar_models import CalendarConnection, CalendarEvent
from store.models import Outbox

logger = logging.getLogger(__name__)

ATTEMPTS = 4  # tried at once, then after 1, 2 and 4 minutes: then the person is told, and the next change tries again
SENT_BY = "calendar"


def _draft(event: dict[str, Any]) -> EventDraft:
    return EventDraft(
        summary=event["summary"], description=event["description"], location=event["location"],
        starts_at=datetime.fromisoformat(event["starts_at"]), ends_at=datetime.fromisoformat(event["ends_at"]), tz=event["tz"],
        attendee_email=event["attendee_email"], attendee_name=event["attendee_name"],
    )


class _Calendar:
    """One connection's calendar for one delivery: the row's event made so there."""

    def __init__(self, context: PassContext, provider: CalendarProvider, connection: CalendarConnection) -> None:
        self.provider = provider
        self.access = CalendarAccess(context.services, provider, connection, context.now)

    async def apply(self, event: dict[str, Any], stored: CalendarEvent | None) -> tuple[str, bool]:
        """Make the calendar match the row; the event id it now has there, and whether it is cancelled."""
        return await self.access.call(lambda token: self._apply(token, event, stored))

    async def _apply(self, token: str, event: dict[str, Any], stored: CalendarEvent | None) -> tuple[str, bool]:
        ours = stored if stored is not None and stored.provider == self.provider.name and not stored.cancelled else None
        if event["cancelled"]:
            if ours is not None:
                try:
                    await self.provider.cancel_event(access_token=token, event_id=ours.event_id)
                except EventGone:
                    pass  # its owner deleted it already
            return (ours.event_id if ours is not None else ""), True
        draft = _draft(event)
        if ours is not None:
            try:
                await self.provider.update_event(access_token=token, event_id=ours.event_id, draft=draft)
                return ours.event_id, False
            except EventGone:
                pass  # deleted by its owner: put it back
        return await self.provider.create_event(access_token=token, draft=draft), False


async def _tell_once(context: PassContext, row: Outbox, connection: CalendarConnection, *, revoked: bool) -> None:
    assert connection.id is not None
    async with context.services.sessions.begin() as session:
        if await calendars.mark_failing(session, connection_id=connection.id, revoked=revoked, now=context.now):
            await outbox.enqueue(session, team_id=row.team_id, key=f"calendar:failing:{connection.id}:{row.key}"[:200], kind=Kind.CALENDAR_NOTICE,
                                 recipient_id=connection.user_id, message=words.build_calendar_failed_notice(connection.provider, revoked=revoked),
                                 due_at=context.now, now=context.now)


async def deliver_calendar_event(context: PassContext, row: Outbox, event: dict[str, Any], *, report: DeliveryReport) -> None:
    async with context.services.sessions() as session:  # a read: no transaction to commit
        connection = await calendars.get_connection(session, team_id=row.team_id, user_id=event["owner"])
        stored = await calendars.get_event(session, team_id=row.team_id, session_id=int(event["session_id"]))
    provider = providers(context.services).get(connection.provider) if connection is not None else None
    if connection is None or provider is None or connection.status != ConnectionStatus.CONNECTED:
        await context.settle(row, OutboxStatus.WITHDRAWN, error="calendar_not_connected")
        report.withdrawn += 1
        return
    try:
        event_id, cancelled = await _Calendar(context, provider, connection).apply(event, stored)
    except GrantRevoked as error:
        await context.settle(row, OutboxStatus.DEAD, error=error.code, count_attempt=True)
        report.dead += 1
        logger.warning("outbox %s dead: %s (the person is asked to connect again)", row.key, error.code)
        await _tell_once(context, row, connection, revoked=True)
        return
    except CalendarError as error:
        if row.attempts + 1 >= ATTEMPTS:
            await context.settle(row, OutboxStatus.DEAD, error=error.code, count_attempt=True)
            report.dead += 1
            logger.warning("outbox %s dead: %s", row.key, error.code)
            await _tell_once(context, row, connection, revoked=False)
            return
        wait = timedelta(seconds=error.retry_after) if isinstance(error, RateLimited) else backoff(row.attempts + 1)
        await context.settle(row, OutboxStatus.PENDING, error=error.code, due_at=context.now + wait, count_attempt=True)
        report.retried += 1
        logger.info("outbox %s will retry in %ss: %s", row.key, int(wait.total_seconds()), error.code)
        return
    async with context.services.sessions.begin() as session:
        if event_id:
            await calendars.save_event(session, team_id=row.team_id, session_id=int(event["session_id"]), owner_id=event["owner"],
                                       provider=provider.name, event_id=event_id, cancelled=cancelled, now=context.now)
        assert connection.id is not None
        await calendars.mark_working(session, connection_id=connection.id, now=context.now)
    await context.settle(row, OutboxStatus.SENT, sent_channel=SENT_BY)
    report.sent += 1
