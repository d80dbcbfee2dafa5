"""Rows for a programme's history (sessions, reflections, goals, actions, roadmap, check-ins), and one
seeded cohort with a known history that the health report tests assert figure by figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import PairStatus, SessionStatus
from store.models import (
    Action,
    Charter,
    CheckIn,
    Goal,
    MentoringSession,
    Pair,
    Programme,
    Reflection,
    RoadmapItem,
)
from tests.factories import make_pair, make_programme

PRIVATE = "SECRET"  # every private text seeded below contains this word; no report may show it


def at(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


async def make_charter(session: AsyncSession, *, pair: Pair, agreed: bool = True, cadence_days: int = 30) -> Charter:
    when = pair.created_at + timedelta(days=2)
    charter = Charter(
        team_id=pair.team_id,
        pair_id=pair.id,
        cadence_days=cadence_days,
        own_rules=f"{PRIVATE} rule: no phones",
        mentor_agreed_at=when if agreed else None,
        mentee_agreed_at=when if agreed else None,
        updated_by=pair.mentor_id,
        updated_at=when,
    )
    session.add(charter)
    await session.flush()
    return charter


async def make_session(
    session: AsyncSession,
    *,
    pair: Pair,
    starts_at: datetime,
    status: str = SessionStatus.HELD,
    cancelled_by: str | None = None,
    late_cancel: bool = False,
    topic_key: str = "",
) -> MentoringSession:
    row = MentoringSession(
        team_id=pair.team_id,
        pair_id=pair.id,
        starts_at=starts_at,
        status=status,
        booked_by=pair.mentee_id,
        topic_key=topic_key,
        cancelled_by=cancelled_by,
        cancelled_at=starts_at - timedelta(hours=2 if late_cancel else 72) if status == SessionStatus.CANCELLED else None,
        cancel_reason=f"{PRIVATE} reason" if status == SessionStatus.CANCELLED else "",
        late_cancel=late_cancel,
        created_at=starts_at - timedelta(days=7),
    )
    session.add(row)
    await session.flush()
    return row


async def make_reflection(
    session: AsyncSession,
    *,
    meeting: MentoringSession,
    author_id: str,
    led_by: str | None = None,
    safety: int | None = None,
    new_insight: bool | None = None,
    completed: bool = True,
) -> Reflection:
    reflection = Reflection(
        team_id=meeting.team_id,
        session_id=meeting.id,
        pair_id=meeting.pair_id,
        author_id=author_id,
        took_place="yes",
        led_by=led_by,
        safety=safety,
        new_insight=new_insight,
        learning=f"{PRIVATE} learning of {author_id}",
        started_at=meeting.starts_at + timedelta(hours=1),
        completed_at=meeting.starts_at + timedelta(hours=2) if completed else None,
    )
    session.add(reflection)
    await session.flush()
    return reflection


async def held(
    session: AsyncSession,
    pair: Pair,
    starts_at: str,
    *,
    led: tuple[str | None, str | None] = ("mentor", "mentor"),
    safety: tuple[int | None, int | None] = (4, 4),
    insight: bool = True,
    reflected: tuple[bool, bool] = (True, True),
) -> MentoringSession:
    """A held session and the reflections of (mentor, mentee); a False in `reflected` skips that side."""
    meeting = await make_session(session, pair=pair, starts_at=at(starts_at))
    for author, lead, score, done in zip((pair.mentor_id, pair.mentee_id), led, safety, reflected, strict=True):
        if done:
            await make_reflection(session, meeting=meeting, author_id=author, led_by=lead, safety=score, new_insight=insight)
    return meeting


async def make_roadmap(session: AsyncSession, *, pair: Pair, covered: list[MentoringSession | None]) -> list[RoadmapItem]:
    items = []
    for position, meeting in enumerate(covered):
        item = RoadmapItem(
            team_id=pair.team_id,
            pair_id=pair.id,
            topic_key=f"topic-{position}",
            title=f"Topic {position}",
            position=position,
            covered_session_id=meeting.id if meeting else None,
            covered_at=meeting.starts_at if meeting else None,
        )
        session.add(item)
        items.append(item)
    await session.flush()
    return items


async def make_goal(session: AsyncSession, *, pair: Pair, owner_id: str, progress: str, now: datetime) -> Goal:
    goal = Goal(team_id=pair.team_id, pair_id=pair.id, owner_id=owner_id, text=f"{PRIVATE} goal", org_benefit=f"{PRIVATE} benefit", progress=progress, created_at=now, updated_at=now)
    session.add(goal)
    await session.flush()
    return goal


async def make_action(session: AsyncSession, *, pair: Pair, owner_id: str, status: str = "open", due_on: date | None = None, now: datetime) -> Action:
    action = Action(team_id=pair.team_id, pair_id=pair.id, owner_id=owner_id, text=f"{PRIVATE} action", status=status, due_on=due_on, created_at=now, done_at=now if status == "done" else None)
    session.add(action)
    await session.flush()
    return action


async def make_check_in(session: AsyncSession, *, pair: Pair, user_id: str, kind: str, now: datetime, **answers) -> CheckIn:
    check_in = CheckIn(
        team_id=pair.team_id,
        programme_id=pair.programme_id,
        pair_id=pair.id,
        user_id=user_id,
        role="mentor" if user_id == pair.mentor_id else "mentee",
        kind=kind,
        submitted_at=now,
        **answers,
    )
    session.add(check_in)
    await session.flush()
    return check_in


# --- one cohort with a known history --------------------------------------------------------------

COHORT_START = at("2026-03-04T10:00:00")
COHORT_NOW = at("2026-06-03T10:00:00")


@dataclass
class KnownCohort:
    programme: Programme
    thriving: Pair  # green
    struggling: Pair  # red: two cancellations in a row by the mentee side, and more
    new: Pair  # amber: charter not agreed after 2 weeks
    paused: Pair  # green: paused, so its quiet spell is not flagged
    ended: Pair  # no light


async def seed_known_cohort(session: AsyncSession) -> KnownCohort:
    """Five pairs, March to June 2026; the figures each test expects are worked out in test_health.py."""
    start, now = COHORT_START, COHORT_NOW
    programme = await make_programme(session, now=start)

    thriving = await make_pair(session, programme=programme, now=start)
    await make_charter(session, pair=thriving)
    a1 = await held(session, thriving, "2026-03-10T10:00:00", led=("mentor", "mentor"), safety=(4, 3))
    a2 = await held(session, thriving, "2026-04-10T10:00:00", led=("balanced", "balanced"), safety=(4, 4))
    await held(session, thriving, "2026-05-10T10:00:00", led=("mentor", "balanced"), safety=(5, 4))
    await make_session(session, pair=thriving, starts_at=at("2026-06-10T10:00:00"), status=SessionStatus.BOOKED)
    await make_roadmap(session, pair=thriving, covered=[a1, a2, a2, None])
    await make_goal(session, pair=thriving, owner_id=thriving.mentee_id, progress="achieved", now=start)
    await make_goal(session, pair=thriving, owner_id=thriving.mentor_id, progress="under_way", now=start)
    await make_action(session, pair=thriving, owner_id=thriving.mentee_id, status="done", now=start)
    await make_action(session, pair=thriving, owner_id=thriving.mentor_id, due_on=date(2026, 6, 20), now=start)

    struggling = await make_pair(session, programme=programme, now=start, mentor_id="U0M2", mentee_id="U0E2")
    await make_charter(session, pair=struggling)
    b1 = await held(session, struggling, "2026-03-12T10:00:00", led=("balanced", "mentee"), safety=(2, 4), insight=False)
    await held(session, struggling, "2026-04-12T10:00:00", led=("mentee", "mentee"), safety=(2, 4), insight=True)
    await make_session(session, pair=struggling, starts_at=at("2026-04-26T10:00:00"), status=SessionStatus.CANCELLED, cancelled_by="U0E2", late_cancel=True)
    await make_session(session, pair=struggling, starts_at=at("2026-05-20T10:00:00"), status=SessionStatus.CANCELLED, cancelled_by="U0E2")
    await make_roadmap(session, pair=struggling, covered=[b1, None])
    await make_goal(session, pair=struggling, owner_id="U0E2", progress="not_started", now=start)
    await make_action(session, pair=struggling, owner_id="U0E2", due_on=date(2026, 5, 1), now=start)
    await make_action(session, pair=struggling, owner_id="U0M2", due_on=date(2026, 5, 15), now=start)

    new = await make_pair(session, programme=programme, now=now - timedelta(days=20), mentor_id="U0M3", mentee_id="U0E3")

    paused = await make_pair(session, programme=programme, now=start, mentor_id="U0M4", mentee_id="U0E4", status=PairStatus.PAUSED, paused_until=date(2026, 7, 1))
    await make_charter(session, pair=paused)
    await held(session, paused, "2026-03-15T10:00:00", led=("balanced", "balanced"), safety=(5, 5))
    await make_roadmap(session, pair=paused, covered=[None])

    ended = await make_pair(session, programme=programme, now=start, mentor_id="U0M5", mentee_id="U0E5", status=PairStatus.ENDED, ended_at=at("2026-05-01T10:00:00"))
    await make_charter(session, pair=ended)
    await held(session, ended, "2026-03-20T10:00:00", led=("mentor", None), safety=(3, None), reflected=(True, False))
    await make_session(session, pair=ended, starts_at=at("2026-04-18T10:00:00"), status=SessionStatus.CANCELLED, cancelled_by="U0M5")

    return KnownCohort(programme=programme, thriving=thriving, struggling=struggling, new=new, paused=paused, ended=ended)
