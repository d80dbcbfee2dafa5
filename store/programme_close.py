"""What the programme's mid-point, close and peer support read and write: check-ins, ending pairs,
closing the programme, and the peer channel."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import PairStatus, ProgrammeStatus
from store.models import CheckIn, Outbox, Pair, Programme


async def running_programmes(session: AsyncSession) -> list[Programme]:
    """Every workspace's programmes that are not closed: the sweep's starting point."""
    result = await session.exec(select(Programme).where(Programme.status == ProgrammeStatus.ACTIVE).order_by(col(Programme.id)))
    return list(result.all())


async def open_pairs(session: AsyncSession, *, team_id: str, programme_id: int) -> list[Pair]:
    """The programme's pairs that are not ended (active or paused)."""
    result = await session.exec(
        select(Pair).where(Pair.team_id == team_id, Pair.programme_id == programme_id, Pair.status != PairStatus.ENDED).order_by(Pair.id)  # type: ignore[arg-type]
    )
    return list(result.all())


async def outbox_keys(session: AsyncSession, *, team_id: str, prefix: str) -> set[str]:
    """Keys of messages already created (in any state) that start with `prefix`."""
    result = await session.exec(select(Outbox.key).where(Outbox.team_id == team_id, col(Outbox.key).startswith(prefix, autoescape=True)))
    return set(result.all())


def end_pairs(pairs: list[Pair], *, now: datetime) -> None:
    for pair in pairs:
        pair.status = PairStatus.ENDED
        pair.ended_at = now


async def get_check_in(session: AsyncSession, *, team_id: str, pair_id: int, user_id: str, kind: str) -> CheckIn | None:
    result = await session.exec(
        select(CheckIn).where(CheckIn.team_id == team_id, CheckIn.pair_id == pair_id, CheckIn.user_id == user_id, CheckIn.kind == kind)
    )
    return result.first()


async def save_check_in(
    session: AsyncSession,
    *,
    team_id: str,
    pair: Pair,
    user_id: str,
    role: str,
    kind: str,
    answers: dict[str, object],
    now: datetime,
) -> CheckIn:
    """Create the person's check-in of this kind for this pair, or replace their earlier answers."""
    check_in = await get_check_in(session, team_id=team_id, pair_id=pair.id or 0, user_id=user_id, kind=kind)
    if check_in is None:
        check_in = CheckIn(team_id=team_id, programme_id=pair.programme_id, pair_id=pair.id or 0, user_id=user_id, role=role, kind=kind, submitted_at=now)
    for name, value in answers.items():
        setattr(check_in, name, value)
    check_in.submitted_at = now
    session.add(check_in)
    await session.flush()
    return check_in


async def set_peer_channel(session: AsyncSession, *, programme: Programme, channel_id: str | None) -> None:
    programme.peer_channel_id = channel_id
    session.add(programme)
    await session.flush()

