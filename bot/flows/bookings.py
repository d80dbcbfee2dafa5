"""Booking and logging sessions, and what every change to a session shares (the pair as booking reads
it, the outcome, the nudges planned in the outbox): one transaction each. Moving, cancelling and
confirming a booked session are bot/flows/session_changes.py.

Handlers call these and then deliver the returned notice keys at once (`bot.sweep.delivery.deliver_due`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Row
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.directory import known_people
from bot.flows.calendar_events import plan_calendar_event
from bot.flows.invites import plan_invites
from bot.flows.programme_scope import in_several_programmes, pair_in_scope
from bot.rules import nudges
from bot.rules.nudges import SessionFacts, session_key_prefix
from bot.rules.quiet_hours import WorkingHours, outside_working_hours
from bot.rules.time_reading import overlaps, parse_when
from bot.services import Services
from domain.nudges import Kind
from domain.roles import Role
from domain.statuses import PairStatus, SessionStatus
from domain.times import TimeProblem
from prompts import session_reminders as reminders
from prompts import sessions as prompts
from prompts.booking_hours import Outside
from store import charters, events, outbox, pairs, programmes, roadmap
from store import sessions as store
from store.models import Charter, MentoringSession, Pair, Person, Programme, RoadmapItem


class Refusal(StrEnum):
    NO_PAIR = "no_pair"
    NOT_YOURS = "not_yours"
    GONE = "gone"  # cancelled, held, or otherwise no longer movable
    OVERLAP = "overlap"
    IN_THE_PAST = "in_the_past"
    IN_THE_FUTURE = "in_the_future"
    BEFORE_PROGRAMME = "before_programme"  # a session logged before the programme started
    BEFORE_PAIR = "before_pair"  # a session logged before the pair was made
    OUTSIDE_HOURS = "outside_hours"  # outside someone's working hours: booked only when the booker says "book anyway"


def session_view(
    row: MentoringSession, *, pair: Pair, reader: str, tz: str, partner_tz: str = "", partner_name: str = "", programme: str = ""
) -> prompts.SessionView:
    """A session as one member of its pair reads it: their partner, their zone (and the partner's, where
    a message names both), their confirmation."""
    role = pairs.role_in(pair, reader)
    return prompts.SessionView(
        id=row.id or 0,
        starts_at=row.starts_at,
        minutes=row.minutes,
        topic=row.topic,
        location=row.location,
        status=row.status,
        partner_id=pairs.partner_of(pair, reader),
        tz=tz,
        late_cancel=row.late_cancel,
        confirmed=row.mentor_confirmed if role is Role.MENTOR else row.mentee_confirmed,
        partner_tz=partner_tz,
        partner_name=partner_name,
        programme=programme,
    )


@dataclass
class PairContext:
    pair: Pair
    programme: Programme
    charter: Charter | None
    people: dict[str, Person]
    roadmap: list[RoadmapItem]
    next_topic: RoadmapItem | None = None
    named_for: frozenset[str] = frozenset()  # members in more than one programme: their messages name this one

    @property
    def default_minutes(self) -> int:
        return self.charter.session_minutes if self.charter is not None else self.programme.session_minutes

    def topics(self) -> list[tuple[str, str]]:
        """The pair's roadmap topics in order; the catalogue when they have no roadmap yet."""
        if self.roadmap:
            return [(item.topic_key, item.title) for item in self.roadmap]
        return prompts.catalogue_topics()

    def default_topic(self) -> str | None:
        """A new booking's topic: the next on the roadmap not yet booked or covered."""
        return self.next_topic.topic_key if self.next_topic is not None else None

    def topic_title(self, key: str) -> str:
        return dict(self.topics()).get(key, "") if key and key != prompts.NO_TOPIC else ""

    def tz(self, user_id: str) -> str:
        person = self.people.get(user_id)
        return person.tz if person is not None else "UTC"

    def partner(self, user_id: str) -> str:
        return pairs.partner_of(self.pair, user_id)

    def view(self, row: MentoringSession, reader: str) -> prompts.SessionView:
        partner = self.people.get(self.partner(reader))
        return session_view(row, pair=self.pair, reader=reader, tz=self.tz(reader), partner_tz=self.tz(self.partner(reader)),
                            partner_name=partner.name if partner is not None else "",
                            programme=self.programme.name if reader in self.named_for else "")

    def outside_hours(self, starts_at: datetime, booker: str) -> Outside | None:
        """`starts_at` as the booker is warned of it when it falls outside the programme's working hours
        for either member in their zone; None when it is inside both."""
        hours = WorkingHours(self.programme.work_start_hour, self.programme.work_end_hour)
        outside = outside_working_hours(starts_at, {member: self.tz(member) for member in members(self)}, hours)
        if not outside:
            return None
        partner = self.partner(booker)
        return Outside(starts_at=starts_at, tz=self.tz(booker), partner_id=partner, partner_tz=self.tz(partner),
                       booker_outside=booker in outside, partner_outside=partner in outside, start_hour=hours.start_hour,
                       end_hour=hours.end_hour)

    def after_programme_end(self, starts_at: datetime) -> bool:
        return starts_at.astimezone(UTC).date() > self.programme.ends_on


@dataclass
class Outcome:
    refusal: Refusal | None = None
    session: MentoringSession | None = None
    context: PairContext | None = None
    deliver_now: list[str] = field(default_factory=list)  # outbox keys the handler delivers at once
    clash: datetime | None = None  # for an overlap: the other session's start
    repeat: bool = False  # the form was submitted before (Submit pressed again): nothing done, nothing to say
    problem: TimeProblem | None = None  # a typed time that could not be read
    late: bool = False  # cancelling it now would be a late cancellation
    since: datetime | None = None  # for a session logged too early: when the programme (or the pair) began
    outside: Outside | None = None  # a time outside someone's working hours, as the booker is shown it


async def first_of_form(session: AsyncSession, *, team_id: str, view_id: str, now: datetime) -> bool:
    """Whether this form's submission is the first to be acted on. Called before the checks the first
    submission would make fail (an overlap with the session it booked), so that Submit pressed again
    closes the form rather than showing an error; a refusal that leaves the form open takes it back."""
    return await events.first_submission(session, team_id=team_id, view_id=view_id, now=now)


async def keep_form_open(session: AsyncSession, team_id: str, view_id: str, outcome: Outcome) -> Outcome:
    """The form stays open with this refusal, so its next submission is a new one."""
    await events.forget_submission(session, team_id=team_id, view_id=view_id)
    return outcome


async def load_pair_context(
    session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str, now: datetime, pair: Pair | None = None,
    for_booking: bool = True,
) -> PairContext | None:
    """The person's active pair with what booking needs; None when they have none.

    Showing sessions needs only who is who and their zones: `for_booking=False` skips the charter
    and roadmap (three queries fewer on every `/mentor sessions`)."""
    pair = pair or await pair_in_scope(session, team_id=team_id, user_id=user_id)
    if pair is None or pair.status != PairStatus.ACTIVE or pair.id is None:
        return None
    programme = await programmes.get_programme(session, team_id=team_id, programme_id=pair.programme_id)
    if programme is None:
        return None
    people = await known_people(session, client, team_id=team_id, user_ids=(pair.mentor_id, pair.mentee_id), now=now)
    named_for = await in_several_programmes(session, team_id=team_id, user_ids=(pair.mentor_id, pair.mentee_id))
    if not for_booking:
        return PairContext(pair=pair, programme=programme, charter=None, people=people, roadmap=[], named_for=named_for)
    return PairContext(
        pair=pair,
        programme=programme,
        named_for=named_for,
        charter=await charters.get_charter(session, team_id=team_id, pair_id=pair.id),
        people=people,
        roadmap=await roadmap.roadmap_items(session, team_id=team_id, pair_id=pair.id),
        next_topic=await roadmap.next_open_topic(session, team_id=team_id, pair_id=pair.id),
    )


def members(context: PairContext) -> tuple[str, str]:
    """Both members of the pair, each told of every change."""
    return (context.pair.mentor_id, context.pair.mentee_id)


async def plan_session_nudges(session: AsyncSession, context: PairContext, row: MentoringSession, *, now: datetime) -> list[str]:
    """Reminders and the post-session prompt for both; returns the keys due at once."""
    assert row.id is not None
    plan = nudges.session_nudges(
        session_id=row.id,
        starts_at=row.starts_at,
        minutes=row.minutes,
        people=members(context),
        reminders=nudges.reminder_minutes(context.programme.reminder_minutes),
        reflection_delay_minutes=context.programme.reflection_delay_minutes,
        now=now,
        version=row.reschedules,
    )
    due_now = []
    for item in plan:
        view = context.view(row, item.recipient_id)
        if item.kind == Kind.REMINDER:
            assert item.minutes_before is not None
            if item.recipient_id == context.pair.mentor_id:
                body = reminders.build_mentor_reminder(view, minutes_before=item.minutes_before, topic_key=row.topic_key)
            else:
                body = reminders.build_mentee_reminder(view, minutes_before=item.minutes_before)
        else:
            body = reminders.build_reflection_prompt(view)
        await outbox.enqueue(
            session,
            team_id=row.team_id,
            key=item.key,
            kind=item.kind,
            recipient_id=item.recipient_id,
            message=body,
            due_at=item.due_at,
            expires_at=item.expires_at,
            now=now,
        )
        if item.due_at <= now:
            due_now.append(item.key)
    return due_now


async def notify(
    session: AsyncSession, row: MentoringSession, *, key: str, kind: str, recipient: str, body: dict, now: datetime
) -> str:
    """A notice about this session, due at once; its outbox key, for the handler to deliver."""
    await outbox.enqueue(session, team_id=row.team_id, key=key, kind=kind, recipient_id=recipient, message=body, due_at=now, now=now)
    return key


async def _withdraw_momentum(session: AsyncSession, context: PairContext) -> None:
    assert context.pair.id is not None
    await outbox.withdraw(session, team_id=context.pair.team_id, key_prefix=nudges.momentum_prefix(context.pair.id))


async def clash_with(session: AsyncSession, context: PairContext, starts_at: datetime, minutes: int, *, excluding: int | None = None,
                     statuses: tuple[str, ...] = (SessionStatus.BOOKED,)) -> datetime | None:
    """The start of another of the pair's sessions this one would overlap; None when it fits."""
    assert context.pair.id is not None
    others = [
        row for row in await store.pair_sessions(session, team_id=context.pair.team_id, pair_id=context.pair.id)
        if row.status in statuses and row.id != excluding
    ]
    for other in others:
        if overlaps(starts_at, minutes, [(other.starts_at, other.minutes)]):
            return other.starts_at
    return None


async def book(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, starts_at: datetime, minutes: int,
    topic_key: str | None, location: str, now: datetime, view_id: str = "", anyway: bool = False,
) -> Outcome:
    """Book a session; a time outside either member's working hours only with `anyway` (the booker saw
    it in both zones and chose to book it)."""
    if starts_at <= now:
        return Outcome(refusal=Refusal.IN_THE_PAST)
    async with services.sessions.begin() as session:
        context = await load_pair_context(session, client, team_id=team_id, user_id=user_id, now=now)
        if context is None or context.pair.id is None:
            return Outcome(refusal=Refusal.NO_PAIR)
        minutes = minutes or context.default_minutes
        if not await first_of_form(session, team_id=team_id, view_id=view_id, now=now):
            return Outcome(repeat=True)
        clash = await clash_with(session, context, starts_at, minutes)
        if clash is not None:
            return await keep_form_open(session, team_id, view_id, Outcome(refusal=Refusal.OVERLAP, clash=clash, context=context))
        outside = None if anyway else context.outside_hours(starts_at, user_id)
        if outside is not None:
            return await keep_form_open(session, team_id, view_id, Outcome(refusal=Refusal.OUTSIDE_HOURS, context=context, outside=outside))
        key = topic_key if topic_key is not None else (context.default_topic() or "")
        key = "" if key == prompts.NO_TOPIC else key
        row = await store.add_session(
            session, team_id=team_id, pair_id=context.pair.id, starts_at=starts_at, minutes=minutes, topic_key=key,
            topic=context.topic_title(key), location=location.strip(), booked_by=user_id, now=now,
        )
        if pairs.role_in(context.pair, user_id) is Role.MENTOR:
            row.mentor_confirmed = True
        else:
            row.mentee_confirmed = True
        session.add(row)
        await session.flush()
        await _withdraw_momentum(session, context)
        deliver = await plan_session_nudges(session, context, row, now=now)
        after_end = context.after_programme_end(starts_at)
        for member in members(context):
            body = prompts.build_booking_message(context.view(row, member), booked_by_reader=member == user_id, after_programme_end=after_end)
            deliver.append(await notify(session, row, key=f"{session_key_prefix(row.id or 0)}booked:{member}", kind=Kind.BOOKED,
                                        recipient=member, body=body, now=now))
        deliver += await plan_invites(session, services, client, row=row, pair=context.pair, people=context.people, now=now)
        deliver += await plan_calendar_event(session, services, client, row=row, pair=context.pair, people=context.people, now=now)
    return Outcome(session=row, context=context, deliver_now=deliver)


def _before_the_pair(context: PairContext, starts_at: datetime, user_id: str) -> Outcome | None:
    """The refusal for a session logged before the programme started (on its first day in the person's
    zone) or before the pair was made; None when it falls after both."""
    zone = ZoneInfo(context.tz(user_id))
    programme_start = datetime.combine(context.programme.starts_on, time(0), tzinfo=zone)
    if starts_at < programme_start:
        return Outcome(refusal=Refusal.BEFORE_PROGRAMME, context=context, since=programme_start)
    if starts_at < context.pair.created_at:
        return Outcome(refusal=Refusal.BEFORE_PAIR, context=context, since=context.pair.created_at)
    return None


async def log_held(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, starts_at: datetime, minutes: int,
    topic_key: str | None, now: datetime, view_id: str = "",
) -> Outcome:
    """Record a session that already took place, and ask both how it went straight away."""
    if starts_at > now:
        return Outcome(refusal=Refusal.IN_THE_FUTURE)
    async with services.sessions.begin() as session:
        context = await load_pair_context(session, client, team_id=team_id, user_id=user_id, now=now)
        if context is None or context.pair.id is None:
            return Outcome(refusal=Refusal.NO_PAIR)
        minutes = minutes or context.default_minutes
        too_early = _before_the_pair(context, starts_at, user_id)
        if too_early is not None:
            return too_early
        if not await first_of_form(session, team_id=team_id, view_id=view_id, now=now):
            return Outcome(repeat=True)
        clash = await clash_with(session, context, starts_at, minutes, statuses=(SessionStatus.BOOKED, SessionStatus.HELD))
        if clash is not None:
            return await keep_form_open(session, team_id, view_id, Outcome(refusal=Refusal.OVERLAP, clash=clash, context=context))
        key = "" if topic_key in (None, prompts.NO_TOPIC) else topic_key
        row = await store.add_session(
            session, team_id=team_id, pair_id=context.pair.id, starts_at=starts_at, minutes=minutes, topic_key=key or "",
            topic=context.topic_title(key or ""), location="", booked_by=user_id, now=now, held=True,
        )
        await _withdraw_momentum(session, context)
        deliver = await plan_session_nudges(session, context, row, now=now)
    return Outcome(session=row, context=context, deliver_now=deliver)


async def list_sessions(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, now: datetime
) -> tuple[list[prompts.SessionView], list[prompts.SessionView]] | None:
    """The person's sessions still to come, booked or called off (soonest first), and those whose time has
    passed (latest first); None without a pair."""
    async with services.sessions.begin() as session:
        context = await load_pair_context(session, client, team_id=team_id, user_id=user_id, now=now, for_booking=False)
        if context is None or context.pair.id is None:
            return None
        rows = await store.pair_sessions(session, team_id=team_id, pair_id=context.pair.id)
    upcoming = [context.view(row, user_id) for row in rows if row.starts_at > now]
    past = [context.view(row, user_id) for row in reversed(rows) if row.starts_at <= now]
    return upcoming, past


async def book_typed(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, typed: str, now: datetime, log: bool
) -> Outcome:
    """`/mentor schedule <when>` or `/mentor log <when>`: the time read in the person's zone, then booked
    (or logged) with the pair's defaults."""
    async with services.sessions.begin() as session:
        pair = await load_pair_context(session, client, team_id=team_id, user_id=user_id, now=now)
    if pair is None:
        return Outcome(refusal=Refusal.NO_PAIR)
    parsed = parse_when(typed, tz=pair.tz(user_id), now=now, past=log)
    if parsed.when is None:
        return Outcome(problem=parsed.problem)
    if log:
        return await log_held(services, client, team_id=team_id, user_id=user_id, starts_at=parsed.when, minutes=0,
                              topic_key=None, now=now)
    return await book(services, client, team_id=team_id, user_id=user_id, starts_at=parsed.when, minutes=0, topic_key=None,
                      location="", now=now)


def facts_of(row: MentoringSession | Row) -> SessionFacts:
    """A session (or a row of its columns, as the sweep reads them) as the rules see it."""
    return SessionFacts(
        id=row.id or 0, starts_at=row.starts_at, minutes=row.minutes, status=row.status, booked_by=row.booked_by,
        cancelled_by=row.cancelled_by, cancelled_at=row.cancelled_at,
    )
