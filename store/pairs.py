"""Pairs: who mentors whom, and the questions every handler asks of a pair."""

from __future__ import annotations

from sqlmodel import or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import Pair, PairStatus, Role


async def get_pair(session: AsyncSession, *, team_id: str, pair_id: int) -> Pair | None:
    result = await session.exec(select(Pair).where(Pair.team_id == team_id, Pair.id == pair_id))
    return result.first()


async def current_pair(session: AsyncSession, *, team_id: str, user_id: str) -> Pair | None:
    """The person's pair that is not ended (active or paused), newest first."""
    result = await session.exec(
        select(Pair)
        .where(
            Pair.team_id == team_id,
            Pair.status != PairStatus.ENDED,
            or_(Pair.mentor_id == user_id, Pair.mentee_id == user_id),
        )
        .order_by(Pair.id.desc())  # type: ignore[union-attr]
    )
    return result.first()


def role_in(pair: Pair, user_id: str) -> Role:
    if user_id == pair.mentor_id:
        return Role.MENTOR
    if user_id == pair.mentee_id:
        return Role.MENTEE
    raise ValueError(f"{user_id} is not in pair {pair.id}")


def partner_of(pair: Pair, user_id: str) -> str:
    return pair.mentee_id if role_in(pair, user_id) is Role.MENTOR else pair.mentor_id
