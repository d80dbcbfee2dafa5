"""Mentoring sessions: booked ahead or logged afterwards, moved, cancelled; and what the rules read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Row
from sqlmodel import and_, col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from domain.statuses import PairStatus, ProgrammeStatus, SessionStatus
from store.models import Charter, MentoringSession, Pair, Programme


async def get_session(session: AsyncSession, *, team_id: str, session_id: int) -> MentoringSession | None:
    """A session of this workspace by id; None for an id of another workspace."""
    result = await session.exec(
        select(MentoringSession).where(MentoringSession.team_id == team_id, MentoringSession.id == session_id)
    )
    return result.first()


async def session_is_live(session: AsyncSession, *, team_id: str, session_id: int) -> bool:
    """Still booked, and its pair still active: a reminder for it still makes sense."""
    result = await session.exec(
        select(MentoringSession.id)
        .join(Pair, Pair.id == MentoringSession.pair_id)
        .where(
            MentoringSession.team_id == team_id,
            MentoringSession.id == session_id,
            MentoringSession.status == SessionStatus.BOOKED,
            Pair.status == PairStatus.ACTIVE,
        )
    )
    return result.first() is not None


async def live_session_ids(session: AsyncSession, *, team_id: str, session_ids: Sequence[int]) -> set[int]:
    """`session_is_live` for many sessions of one workspace in one query."""
    if not session_ids:
        return set()
    result = await session.exec(
        select(MentoringSession.id)
        .join(Pair, Pair.id == MentoringSession.pair_id)
        .where(
            MentoringSession.team_id == team_id,
            col(MentoringSession.id).in_(list(session_ids)),
            MentoringSession.status == SessionStatus.BOOKED,
            Pair.status == PairStatus.ACTIVE,
        )
    )
    return {session_id for session_id in result.all() if session_id is not None}


async def pair_sessions(session: AsyncSession, *, team_id: str, pair_id: int) -> list[MentoringSession]:
    """All of a pair's sessions, oldest first."""
    result = await session.exec(
        select(MentoringSession)
        .where(MentoringSession.team_id == team_id, MentoringSession.pair_id == pair_id)
        .order_by(col(MentoringSession.starts_at), col(MentoringSession.id))
    )
    return list(result.all())


async def has_met(session: AsyncSession, *, team_id: str, pair_id: int, now: datetime) -> bool:
    """Whether the pair has had a session: one held, or one still booked whose time has come (held until
    a reflection says otherwise). The next step after the first is booking the next."""
    result = await session.exec(
        select(MentoringSession.id).where(
            MentoringSession.team_id == team_id,
            MentoringSession.pair_id == pair_id,
            or_(
                MentoringSession.status == SessionStatus.HELD,
                and_(MentoringSession.status == SessionStatus.BOOKED, MentoringSession.starts_at <= now),
            ),
        )
    )
    return result.first() is not None


async def booked_sessions(
    session: AsyncSession, *, team_id: str, pair_id: int, excluding: int | None = None
) -> list[MentoringSession]:
    """The pair's sessions still booked (for overlap checks)."""
    query = select(MentoringSession).where(
        MentoringSession.team_id == team_id,
        MentoringSession.pair_id == pair_id,
        MentoringSession.status == SessionStatus.BOOKED,
    )
    if excluding is not None:
        query = query.where(MentoringSession.id != excluding)
    return list((await session.exec(query)).all())


async def booked_sessions_of_people(
    session: AsyncSession, *, team_id: str, user_ids: Sequence[str], start: datetime, end: datetime, excluding_pair: int
) -> list[MentoringSession]:
    """Sessions booked in [start, end) in these people's other pairs (someone may be in more than one):
    their time is taken there too. A session is found by its start, from a day before `start`."""
    query = (
        select(MentoringSession)
        .join(Pair, col(Pair.id) == col(MentoringSession.pair_id))
        .where(
            MentoringSession.team_id == team_id,
            MentoringSession.status == SessionStatus.BOOKED,
            MentoringSession.pair_id != excluding_pair,
            col(MentoringSession.starts_at) >= start - timedelta(days=1),
            col(MentoringSession.starts_at) < end,
            or_(col(Pair.mentor_id).in_(user_ids), col(Pair.mentee_id).in_(user_ids)),
        )
    )
    return list((await session.exec(query)).all())


async def add_session(
    session: AsyncSession,
    *,
    team_id: str,
    pair_id: int,
    starts_at: datetime,
    minutes: int,
    topic_key: str,
    topic: str,
    location: str,
    booked_by: str,
    now: datetime,
    held: bool = False,
) -> MentoringSession:
    row = MentoringSession(
        team_id=team_id,
        pair_id=pair_id,
        starts_at=starts_at,
        minutes=minutes,
        topic_key=topic_key,
        topic=topic,
        location=location,
        status=SessionStatus.HELD if held else SessionStatus.BOOKED,
        booked_by=booked_by,
        logged_after=held,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


def _pairs_to_plan(now: datetime) -> Select:
    """Active pairs in active programmes with no session booked ahead of `now`: the only pairs whose
    momentum ladder is not empty (bot/nudges.momentum_ladder), as a subquery."""
    # Uncorrelated, so it is read once (through the status/starts index), not once per pair.
    upcoming = select(MentoringSession.pair_id).where(MentoringSession.status == SessionStatus.BOOKED, MentoringSession.starts_at > now)
    return (
        select(Pair.id)
        .join(Programme, col(Programme.id) == col(Pair.programme_id))
        .where(Pair.status == PairStatus.ACTIVE, Programme.status == ProgrammeStatus.ACTIVE, col(Pair.id).not_in(upcoming))
    )


async def active_pairs_for_momentum(session: AsyncSession, *, now: datetime) -> list[Row]:
    """Every active pair in an active programme with nothing booked ahead, across workspaces: the
    columns the ladder reads of the pair, its programme and its charter (`charter_id` None for none),
    not whole rows (a charter's encrypted text is not needed)."""
    result = await session.exec(
        select(
            col(Pair.id).label("pair_id"), Pair.team_id, Pair.mentor_id, Pair.mentee_id, Pair.created_at,
            col(Programme.id).label("programme_id"), col(Programme.cadence_days).label("programme_cadence_days"), Programme.ends_on,
            col(Charter.id).label("charter_id"), Charter.driver, Charter.cadence_days, Charter.mentor_agreed_at, Charter.mentee_agreed_at,
        )
        .join(Programme, col(Programme.id) == col(Pair.programme_id))
        .outerjoin(Charter, col(Charter.pair_id) == col(Pair.id))
        .where(col(Pair.id).in_(_pairs_to_plan(now)))
    )
    return list(result.all())


async def sessions_of_momentum_pairs(session: AsyncSession, *, now: datetime) -> list[Row]:
    """The sessions of every pair `active_pairs_for_momentum` returns, in one query whatever their
    number (a subquery, where a list of ids would outgrow the database's limit on parameters); only
    the columns the rules read (bot/nudges.SessionFacts), so no ORM objects and no decryption."""
    result = await session.exec(
        select(
            MentoringSession.id, MentoringSession.pair_id, MentoringSession.starts_at, MentoringSession.minutes, MentoringSession.status,
            MentoringSession.booked_by, MentoringSession.cancelled_by, MentoringSession.cancelled_at,
        ).where(col(MentoringSession.pair_id).in_(_pairs_to_plan(now)))
    )
    return list(result.all())
