"""A person's own choices about nudges: kinds turned off, and dates away."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import Person
from store.people import get_person


async def save_nudge_settings(
    session: AsyncSession, *, team_id: str, user_id: str, muted: set[str], away_until: date | None, now: datetime
) -> Person:
    person = await get_person(session, team_id=team_id, user_id=user_id)
    if person is None:
        person = Person(team_id=team_id, user_id=user_id, name=user_id, updated_at=None)
    person.muted_nudges = ",".join(sorted(muted))
    person.away_until = away_until
    session.add(person)
    await session.flush()
    return person
