"""Rows for tests, with sensible defaults: a programme, its admin, an enrolled and paired couple."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.roles import Role
from store.models import Charter, Enrolment, Pair, Person, Programme, ProgrammeAdmin

TEAM = "T0FLIPSIDE"


async def make_programme(session: AsyncSession, *, now: datetime, team_id: str = TEAM, admin_id: str = "U0ADMIN", **fields) -> Programme:
    starts = now.date()
    programme = Programme(
        team_id=team_id,
        name=fields.pop("name", "Spring cohort"),
        starts_on=fields.pop("starts_on", starts),
        ends_on=fields.pop("ends_on", starts + timedelta(days=182)),
        created_by=admin_id,
        created_at=now,
        **fields,
    )
    session.add(programme)
    await session.flush()
    session.add(ProgrammeAdmin(team_id=team_id, programme_id=programme.id, user_id=admin_id))
    await session.flush()
    return programme


async def make_person(session: AsyncSession, *, user_id: str, tz: str = "Europe/London", team_id: str = TEAM, now: datetime, **fields) -> Person:
    person = Person(team_id=team_id, user_id=user_id, name=fields.pop("name", user_id), tz=tz, updated_at=now, **fields)
    session.add(person)
    await session.flush()
    return person


async def make_pair(
    session: AsyncSession,
    *,
    programme: Programme,
    now: datetime,
    mentor_id: str = "U0MENTOR",
    mentee_id: str = "U0MENTEE",
    **fields,
) -> Pair:
    for user_id, role in ((mentor_id, Role.MENTOR), (mentee_id, Role.MENTEE)):
        enrolled = await session.exec(select(Enrolment).where(Enrolment.programme_id == programme.id, Enrolment.user_id == user_id))
        if enrolled.first() is None:
            session.add(Enrolment(team_id=programme.team_id, programme_id=programme.id, user_id=user_id, role=role, enrolled_at=now))
    pair = Pair(team_id=programme.team_id, programme_id=programme.id, mentor_id=mentor_id, mentee_id=mentee_id, created_at=now, **fields)
    session.add(pair)
    await session.flush()
    return pair


def day(value: str) -> date:
    return date.fromisoformat(value)


async def make_charter(session: AsyncSession, *, pair: Pair, now: datetime, agreed: bool = True, **fields) -> Charter:
    """The pair's charter, agreed by both at `now` unless `agreed=False`."""
    charter = Charter(
        team_id=pair.team_id,
        pair_id=pair.id,
        mentor_agreed_at=now if agreed else None,
        mentee_agreed_at=now if agreed else None,
        updated_by=fields.pop("updated_by", pair.mentee_id),
        updated_at=now,
        **fields,
    )
    session.add(charter)
    await session.flush()
    return charter
