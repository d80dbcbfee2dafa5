"""A pair's topic roadmap: their own topics, the ordered items they chose, and both sides' agreement."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.next_step import MIN_ROADMAP_TOPICS
from domain.roles import Role
from domain.statuses import SessionStatus
from store.models import MentoringSession, Pair, RoadmapItem, Topic

MIN_TOPICS = MIN_ROADMAP_TOPICS
MAX_TOPICS = 8
OWN_PREFIX = "own:"


class RoadmapSizeError(ValueError):
    pass


def own_key(topic: Topic) -> str:
    return f"{OWN_PREFIX}{topic.id}"


async def own_topics(session: AsyncSession, *, team_id: str, pair_id: int) -> list[Topic]:
    result = await session.exec(select(Topic).where(Topic.team_id == team_id, Topic.pair_id == pair_id).order_by(Topic.id))  # type: ignore[arg-type]
    return list(result.all())


async def add_own_topic(session: AsyncSession, *, team_id: str, pair_id: int, title: str, created_by: str) -> Topic:
    """A topic of the pair's own; the same title twice gives the topic already there."""
    for topic in await own_topics(session, team_id=team_id, pair_id=pair_id):
        if topic.title.casefold() == title.casefold():
            return topic
    topic = Topic(team_id=team_id, pair_id=pair_id, title=title, created_by=created_by)
    session.add(topic)
    await session.flush()
    return topic


async def roadmap_items(session: AsyncSession, *, team_id: str, pair_id: int) -> list[RoadmapItem]:
    """The pair's roadmap in its agreed order (reflections, bookings and the Home all read this one)."""
    result = await session.exec(
        select(RoadmapItem).where(RoadmapItem.team_id == team_id, RoadmapItem.pair_id == pair_id).order_by(col(RoadmapItem.position))
    )
    return list(result.all())


async def get_item(session: AsyncSession, *, team_id: str, item_id: int) -> RoadmapItem | None:
    result = await session.exec(select(RoadmapItem).where(RoadmapItem.team_id == team_id, RoadmapItem.id == item_id))
    return result.first()


def roadmap_agreed_by(pair: Pair, role: Role) -> bool:
    return (pair.roadmap_mentor_agreed_at if role is Role.MENTOR else pair.roadmap_mentee_agreed_at) is not None


def _set_agreement(pair: Pair, role: Role, when: datetime | None) -> None:
    if role is Role.MENTOR:
        pair.roadmap_mentor_agreed_at = when
    else:
        pair.roadmap_mentee_agreed_at = when


def _mark_changed(pair: Pair, role: Role, now: datetime) -> bool:
    """After a change the person who made it agrees and the partner is asked again; True when
    the partner had agreed before."""
    partner = Role.MENTEE if role is Role.MENTOR else Role.MENTOR
    partner_had_agreed = roadmap_agreed_by(pair, partner)
    _set_agreement(pair, partner, None)
    _set_agreement(pair, role, now)
    return partner_had_agreed


async def set_roadmap(
    session: AsyncSession, *, pair: Pair, role: Role, chosen: list[tuple[str, str]], now: datetime
) -> tuple[list[RoadmapItem], bool, bool]:
    """Make the roadmap these (topic key, title) in this order, keeping coverage of topics kept.

    Returns the items, whether anything changed, and whether the partner's agreement was taken back.
    Saving counts as this person's agreement."""
    if not MIN_TOPICS <= len(chosen) <= MAX_TOPICS:
        raise RoadmapSizeError(f"choose {MIN_TOPICS} to {MAX_TOPICS} topics")
    team_id, pair_id = pair.team_id, pair.id
    assert pair_id is not None
    existing = {item.topic_key: item for item in await roadmap_items(session, team_id=team_id, pair_id=pair_id)}
    before = list(existing)
    changed = before != [key for key, _ in chosen]
    kept: list[RoadmapItem] = []
    for key, title in chosen:
        item = existing.pop(key, None) or RoadmapItem(team_id=team_id, pair_id=pair_id, topic_key=key, title=title, position=0)
        kept.append(item)
    for item in existing.values():
        await session.delete(item)
    await session.flush()
    # Positions are rewritten after the removals so they stay 1..n.
    for position, item in enumerate(kept, start=1):
        item.position = position
        session.add(item)
    partner_had_agreed = _mark_changed(pair, role, now) if changed else False
    if not changed and not roadmap_agreed_by(pair, role):
        _set_agreement(pair, role, now)
    session.add(pair)
    await session.flush()
    return kept, changed, partner_had_agreed


async def move_item(
    session: AsyncSession, *, pair: Pair, role: Role, item_id: int, steps: int, now: datetime, shown_at: int | None = None
) -> tuple[bool, bool]:
    """Move one item up (-1) or down (+1). Returns whether it moved and whether the partner's
    agreement was taken back. With `shown_at` (the position the menu showed it at), an item no
    longer there stays put: the choice was made on an older order, or is a repeat of one applied."""
    assert pair.id is not None
    # Claims the item's row first (a write), so that two moves of it at once are applied one after the other.
    claimed = await session.exec(
        update(RoadmapItem)
        .where(col(RoadmapItem.team_id) == pair.team_id, col(RoadmapItem.id) == item_id, *([col(RoadmapItem.position) == shown_at] if shown_at is not None else []))
        .values(position=RoadmapItem.position)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False, False
    items = await roadmap_items(session, team_id=pair.team_id, pair_id=pair.id)
    index = next((i for i, item in enumerate(items) if item.id == item_id), None)
    if index is None or not 0 <= index + steps < len(items) or (shown_at is not None and items[index].position != shown_at):
        return False, False
    items[index], items[index + steps] = items[index + steps], items[index]
    for position, item in enumerate(items, start=1):
        item.position = position
        session.add(item)
    partner_had_agreed = _mark_changed(pair, role, now)
    session.add(pair)
    await session.flush()
    return True, partner_had_agreed


async def agree_roadmap(session: AsyncSession, *, pair: Pair, role: Role, now: datetime) -> bool:
    """Record this side's agreement; False when it was recorded already (a double-click, or two at once:
    a conditional update, so only one of them agrees and tells the partner)."""
    column = Pair.roadmap_mentor_agreed_at if role is Role.MENTOR else Pair.roadmap_mentee_agreed_at
    result = await session.exec(
        update(Pair).where(col(Pair.team_id) == pair.team_id, col(Pair.id) == pair.id, col(column).is_(None)).values({column: now})
    )
    await session.refresh(pair)
    return result.rowcount == 1


async def next_uncovered_topic(session: AsyncSession, *, team_id: str, pair_id: int) -> RoadmapItem | None:
    """The first roadmap topic not yet covered, in the pair's order: what the next session is about."""
    result = await session.exec(
        select(RoadmapItem)
        .where(RoadmapItem.team_id == team_id, RoadmapItem.pair_id == pair_id, col(RoadmapItem.covered_at).is_(None))
        .order_by(RoadmapItem.position)  # type: ignore[arg-type]
    )
    return result.first()


async def next_open_topic(session: AsyncSession, *, team_id: str, pair_id: int) -> RoadmapItem | None:
    """The first roadmap topic neither covered nor already the topic of a booked session: a new booking's default."""
    booked = (
        select(MentoringSession.topic_key)
        .where(MentoringSession.team_id == team_id, MentoringSession.pair_id == pair_id, MentoringSession.status == SessionStatus.BOOKED)
    )
    result = await session.exec(
        select(RoadmapItem)
        .where(
            RoadmapItem.team_id == team_id, RoadmapItem.pair_id == pair_id, col(RoadmapItem.covered_at).is_(None),
            col(RoadmapItem.topic_key).not_in(booked),
        )
        .order_by(col(RoadmapItem.position))
    )
    return result.first()


async def next_uncovered_of_pairs(session: AsyncSession, *, pair_ids: list[int]) -> dict[int, RoadmapItem]:
    """Each pair's first roadmap topic not yet covered (pairs with none left are absent), in one query."""
    if not pair_ids:
        return {}
    result = await session.exec(
        select(RoadmapItem)
        .where(col(RoadmapItem.pair_id).in_(pair_ids), col(RoadmapItem.covered_at).is_(None))
        .order_by(col(RoadmapItem.pair_id), col(RoadmapItem.position))
    )
    found: dict[int, RoadmapItem] = {}
    for item in result.all():
        found.setdefault(item.pair_id, item)
    return found
