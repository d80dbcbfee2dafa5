"""People the bot has met, with what Slack told us about them (name, time zone)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from store.insert import insert_once
from store.models import Person


async def get_person(session: AsyncSession, *, team_id: str, user_id: str) -> Person | None:
    result = await session.exec(select(Person).where(Person.team_id == team_id, Person.user_id == user_id))
    return result.first()


async def get_people(session: AsyncSession, *, team_id: str, user_ids: list[str]) -> dict[str, Person]:
    if not user_ids:
        return {}
    result = await session.exec(select(Person).where(Person.team_id == team_id, Person.user_id.in_(user_ids)))
    return {person.user_id: person for person in result.all()}


async def upsert_person(session: AsyncSession, *, team_id: str, user_id: str, name: str, tz: str, now: datetime) -> Person:
    """Create or refresh a person's name and zone; keeps what they told us themselves (department, interests).

    Two requests meeting someone new at once (their Home refreshed while they type a command) both
    insert: the second insert is ignored, and both go on with the one row."""
    person = await get_person(session, team_id=team_id, user_id=user_id)
    if person is None:
        new = Person(team_id=team_id, user_id=user_id, name=name, tz=tz, updated_at=now)
        await insert_once(session, Person, unique=("team_id", "user_id"), values=new.model_dump(exclude={"id"}))
        person = await get_person(session, team_id=team_id, user_id=user_id)
        assert person is not None
    person.name = name
    person.tz = tz
    person.updated_at = now
    session.add(person)
    await session.flush()
    return person


async def set_profile(session: AsyncSession, *, person: Person, department: str, interests: list[str]) -> Person:
    person.department = department
    person.interests = ",".join(interests)
    session.add(person)
    await session.flush()
    return person


async def set_away(session: AsyncSession, *, person: Person, away_until: date | None) -> Person:
    person.away_until = away_until
    session.add(person)
    await session.flush()
    return person


async def mark_left(session: AsyncSession, *, team_id: str, user_id: str, now: datetime) -> bool:
    """Record that Slack deactivated this person; False when it was recorded already (a second
    `user_change`, or two replicas with one event). A conditional update, so only one caller wins."""
    if await get_person(session, team_id=team_id, user_id=user_id) is None:
        session.add(Person(team_id=team_id, user_id=user_id, name=user_id))
        await session.flush()
    result = await session.exec(
        update(Person)  # type: ignore[call-overload]
        .where(col(Person.team_id) == team_id, col(Person.user_id) == user_id, col(Person.left_at).is_(None))
        .values(left_at=now)
    )
    return result.rowcount == 1


async def clear_left(session: AsyncSession, *, team_id: str, user_id: str) -> bool:
    """The account is active again: forget that they left (their pairs stay paused until an admin resumes them)."""
    result = await session.exec(
        update(Person)  # type: ignore[call-overload]
        .where(col(Person.team_id) == team_id, col(Person.user_id) == user_id, col(Person.left_at).is_not(None))
        .values(left_at=None)
    )
    return result.rowcount == 1
