"""Moving, cancelling and confirming a booked session: one transaction each, which withdraws the
session's planned nudges, plans them again where it still takes place, and tells both members.

Handlers call these and then deliver the returned notice keys at once (`bot.sweep.delivery.deliver_due`).
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.bookings import (
    Outcome,
    PairContext,
    Refusal,
    clash_with,
    facts_of,
    first_of_form,
    keep_form_open,
    load_pair_context,
    members,
    notify,
    plan_session_nudges,
)
from bot.flows.calendar_events import plan_calendar_event
from bot.flows.invites import plan_invites
from bot.rules import nudges
from bot.rules.nudges import consecutive_cancellations, session_key_prefix
from bot.rules.time_reading import is_late_cancellation
from bot.services import Services
from domain.nudges import Kind
from domain.roles import Role
from domain.statuses import SessionStatus
from prompts import nudges as nudge_prompts
from prompts import sessions as prompts
from store import outbox, pairs
from store import sessions as store
from store.models import MentoringSession


async def _own_session(
    session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str, session_id: int, now: datetime,
    for_booking: bool = True,
) -> tuple[Outcome | None, PairContext | None, MentoringSession | None]:
    """The session with its pair when it is the person's and still to come; else the refusal first."""
    row = await store.get_session(session, team_id=team_id, session_id=session_id)
    if row is None:
        return Outcome(refusal=Refusal.NOT_YOURS), None, None
    pair = await pairs.get_pair(session, team_id=team_id, pair_id=row.pair_id)
    if pair is None or user_id not in (pair.mentor_id, pair.mentee_id):
        return Outcome(refusal=Refusal.NOT_YOURS), None, None
    context = await load_pair_context(session, client, team_id=team_id, user_id=user_id, now=now, pair=pair, for_booking=for_booking)
    if context is None:
        return Outcome(refusal=Refusal.NO_PAIR), None, None
    if row.status != SessionStatus.BOOKED or row.starts_at <= now:
        return Outcome(refusal=Refusal.GONE, session=row, context=context), context, row
    return None, context, row


async def session_for(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, session_id: int, now: datetime
) -> Outcome:
    """A session the person may still move or cancel (for opening those modals)."""
    async with services.sessions.begin() as session:
        refused, context, row = await _own_session(session, client, team_id=team_id, user_id=user_id, session_id=session_id, now=now)
    if refused is not None:
        return refused
    assert row is not None
    return Outcome(session=row, context=context, late=is_late_cancellation(row.starts_at, now))


async def reschedule(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, session_id: int, starts_at: datetime,
    reason: str, now: datetime, view_id: str = "",
) -> Outcome:
    async with services.sessions.begin() as session:
        refused, context, row = await _own_session(session, client, team_id=team_id, user_id=user_id, session_id=session_id, now=now)
        if refused is not None:
            return refused
        assert context is not None and row is not None and row.id is not None
        if not await first_of_form(session, team_id=team_id, view_id=view_id, now=now):
            return Outcome(repeat=True)
        if starts_at <= now:
            return await keep_form_open(session, team_id, view_id, Outcome(refusal=Refusal.IN_THE_PAST, context=context, session=row))
        clash = await clash_with(session, context, starts_at, row.minutes, excluding=row.id)
        if clash is not None:
            return await keep_form_open(session, team_id, view_id, Outcome(refusal=Refusal.OVERLAP, clash=clash, context=context, session=row))
        previous = row.starts_at
        await outbox.withdraw(session, team_id=team_id, key_prefix=session_key_prefix(row.id))
        row.starts_at = starts_at
        row.reschedules += 1
        row.rescheduled_by = user_id
        row.rescheduled_at = now
        row.reschedule_reason = reason.strip()
        mover_is_mentor = pairs.role_in(context.pair, user_id) is Role.MENTOR
        row.mentor_confirmed, row.mentee_confirmed = mover_is_mentor, not mover_is_mentor
        session.add(row)
        await session.flush()
        deliver = await plan_session_nudges(session, context, row, now=now)
        for member in members(context):
            body = prompts.build_moved_notice(context.view(row, member), moved_by_reader=member == user_id, previous=previous,
                                              reason=row.reschedule_reason)
            deliver.append(await notify(session, row, key=f"{session_key_prefix(row.id)}moved-{row.reschedules}:{member}",
                                        kind=Kind.MOVED, recipient=member, body=body, now=now))
        deliver += await plan_invites(session, services, client, row=row, pair=context.pair, people=context.people, now=now)
        deliver += await plan_calendar_event(session, services, client, row=row, pair=context.pair, people=context.people, now=now)
    return Outcome(session=row, context=context, deliver_now=deliver)


async def cancel(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, session_id: int, reason: str, now: datetime,
    view_id: str = "",
) -> Outcome:
    async with services.sessions.begin() as session:
        if not await first_of_form(session, team_id=team_id, view_id=view_id, now=now):
            # Before the checks: Submit pressed again would otherwise be refused as "cancelled already".
            return Outcome(repeat=True)
        refused, context, row = await _own_session(session, client, team_id=team_id, user_id=user_id, session_id=session_id, now=now)
        if refused is not None:
            return refused
        assert context is not None and row is not None and row.id is not None
        await outbox.withdraw(session, team_id=team_id, key_prefix=session_key_prefix(row.id))
        row.status = SessionStatus.CANCELLED
        row.cancelled_by = user_id
        row.cancelled_at = now
        row.cancel_reason = reason.strip()
        row.late_cancel = is_late_cancellation(row.starts_at, now)
        session.add(row)
        await session.flush()
        deliver = []
        for member in members(context):
            body = prompts.build_cancelled_notice(context.view(row, member), cancelled_by_reader=member == user_id, reason=row.cancel_reason)
            deliver.append(await notify(session, row, key=f"{session_key_prefix(row.id)}cancelled:{member}",
                                        kind=Kind.CANCELLED, recipient=member, body=body, now=now))
        deliver += await plan_invites(session, services, client, row=row, pair=context.pair, people=context.people, cancelled=True,
                                      now=now)
        deliver += await plan_calendar_event(session, services, client, row=row, pair=context.pair, people=context.people,
                                             cancelled=True, now=now)
        assert context.pair.id is not None
        history = await store.pair_sessions(session, team_id=team_id, pair_id=context.pair.id)
        streak = consecutive_cancellations([facts_of(s) for s in history], mentor_id=context.pair.mentor_id, mentee_id=context.pair.mentee_id)
        if streak.count >= nudges.STREAK_LIMIT:
            for member in members(context):
                body = nudge_prompts.build_cancel_streak_nudge(partner_id=pairs.partner_of(context.pair, member),
                                                               cancelled_by_reader=member == user_id)
                await outbox.enqueue(
                    session, team_id=team_id, key=f"streak:pair:{context.pair.id}:session:{row.id}:{member}",
                    kind=Kind.CANCEL_STREAK, recipient_id=member, message=body, due_at=now, now=now,
                    priority=nudges.PRIORITY[Kind.CANCEL_STREAK],
                )
    return Outcome(session=row, context=context, deliver_now=deliver)


async def confirm(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, session_id: int, now: datetime) -> Outcome:
    async with services.sessions.begin() as session:
        # A confirmation shows who is who and when: no charter or roadmap needed.
        refused, context, row = await _own_session(session, client, team_id=team_id, user_id=user_id, session_id=session_id, now=now,
                                                   for_booking=False)
        if refused is not None:
            return refused
        assert context is not None and row is not None and row.id is not None
        if pairs.role_in(context.pair, user_id) is Role.MENTOR:
            row.mentor_confirmed = True
        else:
            row.mentee_confirmed = True
        session.add(row)
        await session.flush()
        partner = pairs.partner_of(context.pair, user_id)
        body = prompts.build_confirmed_notice(context.view(row, partner), confirmer_id=user_id)
        key = await notify(session, row, key=f"{session_key_prefix(row.id)}v{row.reschedules}:confirmed:{user_id}",
                           kind=Kind.CONFIRMED, recipient=partner, body=body, now=now)
    return Outcome(session=row, context=context, deliver_now=[key])
