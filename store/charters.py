"""A pair's charter: its terms, its version, and who has agreed the current version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.roles import Role
from store.models import Charter

# The fields a person sets; a change to any of them makes a new version both must agree.
TERMS = (
    "driver",
    "cadence_days",
    "session_minutes",
    "format",
    "confidentiality",
    "ground_rules",
    "own_rules",
    "mentor_responsibilities",
    "mentee_responsibilities",
)


@dataclass(frozen=True)
class SavedCharter:
    charter: Charter
    previous: Charter | None  # the terms before this save, when they changed
    changed: bool
    partner_had_agreed: bool  # the save took back an agreement the partner had given
    newly_agreed: bool  # this save is the saver's agreement to a version they had not agreed


def copy_of(charter: Charter) -> Charter:
    return Charter.model_validate(charter.model_dump())


def agreed_by(charter: Charter, role: Role) -> bool:
    return (charter.mentor_agreed_at if role is Role.MENTOR else charter.mentee_agreed_at) is not None


def in_force(charter: Charter | None) -> bool:
    return charter is not None and charter.mentor_agreed_at is not None and charter.mentee_agreed_at is not None


def _agree(charter: Charter, role: Role, now: datetime | None) -> None:
    if role is Role.MENTOR:
        charter.mentor_agreed_at = now
    else:
        charter.mentee_agreed_at = now


async def get_charter(session: AsyncSession, *, team_id: str, pair_id: int) -> Charter | None:
    result = await session.exec(select(Charter).where(Charter.team_id == team_id, Charter.pair_id == pair_id))
    return result.first()


async def get_charter_by_id(session: AsyncSession, *, team_id: str, charter_id: int) -> Charter | None:
    result = await session.exec(select(Charter).where(Charter.team_id == team_id, Charter.id == charter_id))
    return result.first()


async def save_charter(
    session: AsyncSession, *, team_id: str, pair_id: int, role: Role, user_id: str, terms: dict[str, object], now: datetime
) -> SavedCharter:
    """Save the terms as this person's agreement. A change makes a new version and takes back the
    partner's agreement; saving unchanged terms simply records this person's agreement."""
    charter = await get_charter(session, team_id=team_id, pair_id=pair_id)
    if charter is None:
        charter = Charter(team_id=team_id, pair_id=pair_id, updated_by=user_id, updated_at=now, **terms)
        _agree(charter, role, now)
        session.add(charter)
        await session.flush()
        return SavedCharter(charter=charter, previous=None, changed=True, partner_had_agreed=False, newly_agreed=True)
    previous = copy_of(charter)
    changed = any(getattr(charter, name) != terms[name] for name in TERMS)
    partner_had_agreed = False
    if changed:
        partner_had_agreed = agreed_by(charter, Role.MENTEE if role is Role.MENTOR else Role.MENTOR)
        for name in TERMS:
            setattr(charter, name, terms[name])
        charter.version += 1
        charter.mentor_agreed_at = None
        charter.mentee_agreed_at = None
        charter.updated_by = user_id
        charter.updated_at = now
    newly_agreed = not agreed_by(charter, role)
    if newly_agreed:
        _agree(charter, role, now)
    session.add(charter)
    await session.flush()
    return SavedCharter(
        charter=charter, previous=previous if changed else None, changed=changed, partner_had_agreed=partner_had_agreed, newly_agreed=newly_agreed
    )


async def agree_charter(session: AsyncSession, *, charter: Charter, role: Role, now: datetime) -> bool:
    """Record this side's agreement to the charter's current version; False when it was recorded already,
    or the version moved on. A conditional update, so of two clicks at once only one agrees."""
    column = Charter.mentor_agreed_at if role is Role.MENTOR else Charter.mentee_agreed_at
    result = await session.exec(
        update(Charter)
        .where(col(Charter.team_id) == charter.team_id, col(Charter.id) == charter.id, col(Charter.version) == charter.version, col(column).is_(None))
        .values({column: now})
    )
    await session.refresh(charter)
    return result.rowcount == 1
