"""People the bot has met, with what Slack told us about them (name, time zone)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import select
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
