"""Pairs: who mentors whom, and the questions every handler asks of a pair."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlmodel import col, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.roles import Role
from domain.statuses import PairStatus
from store.models import Pair


async def get_pair(session: AsyncSession, *, team_id: str, pair_id: int) -> Pair | None:
    result = await session.exec(select(Pair).where(Pair.team_id == team_id, Pair.id == pair_id))
    return result.first()


def role_in(pair: Pair, user_id: str) -> Role:
    if user_id == pair.mentor_id:
        return Role.MENTOR
    if user_id == pair.mentee_id:
        return Role.MENTEE
    raise ValueError(f"{user_id} is not in pair {pair.id}")


def partner_of(pair: Pair, user_id: str) -> str:
    return pair.mentee_id if role_in(pair, user_id) is Role.MENTOR else pair.mentor_id


async def open_pairs_of(session: AsyncSession, *, team_id: str, user_id: str) -> list[Pair]:
    """Every pair of this person that is not ended (active or paused), in any programme."""
    result = await session.exec(
        select(Pair)
        .where(Pair.team_id == team_id, Pair.status != PairStatus.ENDED, or_(Pair.mentor_id == user_id, Pair.mentee_id == user_id))
        .order_by(Pair.id)  # type: ignore[arg-type]
    )
    return list(result.all())


async def pair_history(session: AsyncSession, *, team_id: str) -> set[tuple[str, str]]:
    """Every (mentor, mentee) ever paired in the workspace, in any programme and any status."""
    result = await session.exec(select(Pair.mentor_id, Pair.mentee_id).where(Pair.team_id == team_id))
    return {(mentor_id, mentee_id) for mentor_id, mentee_id in result.all()}


async def create_pair(session: AsyncSession, *, team_id: str, programme_id: int, mentor_id: str, mentee_id: str, now: datetime) -> Pair:
    pair = Pair(team_id=team_id, programme_id=programme_id, mentor_id=mentor_id, mentee_id=mentee_id, created_at=now)
    session.add(pair)
    await session.flush()
    return pair


async def set_status(
    session: AsyncSession, *, team_id: str, pair_id: int, status: PairStatus, expected: PairStatus | None = None, now: datetime,
    paused_until: date | None = None,
) -> bool:
    """Move a pair to `status` (only from `expected`, when given); False when nothing changed.

    A conditional update, so two replicas resuming the same pair change it, and tell the pair, once.
    """
    values: dict = {"status": status, "paused_until": paused_until if status is PairStatus.PAUSED else None}
    if status is PairStatus.ENDED:
        values["ended_at"] = now
    statement = update(Pair).where(col(Pair.team_id) == team_id, col(Pair.id) == pair_id)
    if expected is not None:
        statement = statement.where(col(Pair.status) == expected)
    else:
        statement = statement.where(col(Pair.status) != PairStatus.ENDED)
    result = await session.exec(statement.values(**values))
    return result.rowcount == 1


async def pairs_due_to_resume(session: AsyncSession, *, today: date) -> list[Pair]:
    """Paused pairs, in every workspace, whose pause ended on or before `today`."""
    result = await session.exec(
        select(Pair).where(Pair.status == PairStatus.PAUSED, Pair.paused_until.is_not(None), Pair.paused_until <= today).order_by(Pair.id)  # type: ignore[union-attr,operator,arg-type]
    )
    return list(result.all())


async def last_ended_pair(session: AsyncSession, *, team_id: str, user_id: str, programme_ids: Collection[int]) -> Pair | None:
    """The person's most recently ended pair in these programmes."""
    result = await session.exec(
        select(Pair)
        .where(
            Pair.team_id == team_id,
            col(Pair.programme_id).in_(list(programme_ids)),
            Pair.status == PairStatus.ENDED,
            or_(Pair.mentor_id == user_id, Pair.mentee_id == user_id),
        )
        .order_by(col(Pair.ended_at).desc(), col(Pair.id).desc())
    )
    return result.first()


async def reopen(session: AsyncSession, *, team_id: str, pair_id: int) -> bool:
    """An ended pair active again, its history untouched; False when it was not ended (a second click)."""
    result = await session.exec(
        update(Pair)
        .where(col(Pair.team_id) == team_id, col(Pair.id) == pair_id, col(Pair.status) == PairStatus.ENDED)
        .values(status=PairStatus.ACTIVE, ended_at=None, paused_until=None)
    )
    return result.rowcount == 1
