"""Who is enrolled in a programme, and as what. An enrolment is per programme, so people can return."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.roles import Role
from store.models import Enrolment


async def get_enrolment(session: AsyncSession, *, team_id: str, programme_id: int, user_id: str) -> Enrolment | None:
    result = await session.exec(
        select(Enrolment).where(Enrolment.team_id == team_id, Enrolment.programme_id == programme_id, Enrolment.user_id == user_id)
    )
    return result.first()


async def programme_ids_of(session: AsyncSession, *, team_id: str, user_id: str) -> set[int]:
    """The programmes (running or closed) this person is enrolled in."""
    result = await session.exec(select(Enrolment.programme_id).where(Enrolment.team_id == team_id, Enrolment.user_id == user_id))
    return set(result.all())


async def enrolments(session: AsyncSession, *, team_id: str, programme_id: int, role: Role | None = None) -> list[Enrolment]:
    """Everyone enrolled in the programme (optionally in one role), ordered by user id."""
    statement = select(Enrolment).where(Enrolment.team_id == team_id, Enrolment.programme_id == programme_id)
    if role is not None:
        statement = statement.where(Enrolment.role == role)
    result = await session.exec(statement.order_by(Enrolment.user_id))
    return list(result.all())


async def enrol(session: AsyncSession, *, team_id: str, programme_id: int, user_id: str, role: Role, now: datetime) -> Enrolment:
    """Enrol someone; the caller has checked they are not already enrolled in the other role."""
    enrolment = Enrolment(team_id=team_id, programme_id=programme_id, user_id=user_id, role=role, enrolled_at=now)
    session.add(enrolment)
    await session.flush()
    return enrolment
