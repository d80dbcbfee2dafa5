"""Rows for tests of what happens after pairing: sessions, reflections, roadmap items, goals, actions."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import SessionStatus
from store.models import Action, Goal, MentoringSession, Pair, Reflection, RoadmapItem


async def make_session(
    session: AsyncSession, *, pair: Pair, starts_at: datetime, status: str = SessionStatus.BOOKED, minutes: int = 60, **fields
) -> MentoringSession:
    mentoring_session = MentoringSession(
        team_id=pair.team_id,
        pair_id=pair.id,
        starts_at=starts_at,
        minutes=minutes,
        status=status,
        booked_by=fields.pop("booked_by", pair.mentee_id),
        created_at=fields.pop("created_at", starts_at - timedelta(days=7)),
        **fields,
    )
    session.add(mentoring_session)
    await session.flush()
    return mentoring_session


async def make_reflection(
    session: AsyncSession, *, mentoring_session: MentoringSession, author_id: str, completed: bool = True, **fields
) -> Reflection:
    started = fields.pop("started_at", mentoring_session.starts_at + timedelta(minutes=mentoring_session.minutes + 15))
    reflection = Reflection(
        team_id=mentoring_session.team_id,
        session_id=mentoring_session.id,
        pair_id=mentoring_session.pair_id,
        author_id=author_id,
        took_place=fields.pop("took_place", "yes"),
        step=fields.pop("step", 8 if completed else 1),
        started_at=started,
        completed_at=fields.pop("completed_at", started + timedelta(minutes=5) if completed else None),
        **fields,
    )
    session.add(reflection)
    await session.flush()
    return reflection


async def make_roadmap(session: AsyncSession, *, pair: Pair, topics: list[tuple[str, str]]) -> list[RoadmapItem]:
    items = []
    for position, (key, title) in enumerate(topics):
        item = RoadmapItem(team_id=pair.team_id, pair_id=pair.id, topic_key=key, title=title, position=position)
        session.add(item)
        items.append(item)
    await session.flush()
    return items


async def make_goal(session: AsyncSession, *, pair: Pair, owner_id: str, text: str, updated_at: datetime, **fields) -> Goal:
    goal = Goal(team_id=pair.team_id, pair_id=pair.id, owner_id=owner_id, text=text, created_at=updated_at, updated_at=updated_at, **fields)
    session.add(goal)
    await session.flush()
    return goal


async def make_action(session: AsyncSession, *, pair: Pair, owner_id: str, text: str, now: datetime, **fields) -> Action:
    action = Action(team_id=pair.team_id, pair_id=pair.id, owner_id=owner_id, text=text, created_at=now, **fields)
    session.add(action)
    await session.flush()
    return action
