"""Reflections on sessions, and what they change: the session's status, the roadmap, the history
the detectors read. Every query is filtered by team; the sweep's queries return rows with their team.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, func
from sqlmodel import col, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from domain.statuses import GoalProgress, PairStatus, SessionStatus
from store.models import Goal, MentoringSession, Pair, Programme, Reflection, RoadmapItem

OPEN_STATUSES = (SessionStatus.BOOKED.value, SessionStatus.HELD.value)
STREAMED_ROWS = 2_000  # rows turned into Python objects between two awaits of a streamed read


def session_end(mentoring_session: MentoringSession | Row) -> datetime:
    return mentoring_session.starts_at + timedelta(minutes=mentoring_session.minutes)


async def last_ended_session(session: AsyncSession, *, team_id: str, pair_id: int, now: datetime) -> MentoringSession | None:
    """The pair's newest session that has ended and was not called off beforehand."""
    result = await session.exec(
        select(MentoringSession)
        .where(
            MentoringSession.team_id == team_id,
            MentoringSession.pair_id == pair_id,
            MentoringSession.starts_at <= now,
            col(MentoringSession.status).in_([*OPEN_STATUSES, SessionStatus.NO_SHOW.value]),
        )
        .order_by(col(MentoringSession.starts_at).desc())
        .limit(5)
    )
    for candidate in result.all():
        if session_end(candidate) <= now:
            return candidate
    return None


async def get_reflection(session: AsyncSession, *, team_id: str, session_id: int, author_id: str) -> Reflection | None:
    result = await session.exec(
        select(Reflection).where(
            Reflection.team_id == team_id, Reflection.session_id == session_id, Reflection.author_id == author_id
        )
    )
    return result.first()


async def finished_by(session: AsyncSession, *, team_id: str, session_id: int) -> set[str]:
    """Who has finished their reflection on this session."""
    result = await session.exec(
        select(Reflection.author_id).where(
            Reflection.team_id == team_id, Reflection.session_id == session_id, col(Reflection.completed_at).is_not(None)
        )
    )
    return set(result.all())


async def start_reflection(
    session: AsyncSession, *, team_id: str, mentoring_session: MentoringSession, author_id: str, now: datetime
) -> Reflection:
    """The author's reflection on this session, created at the first question if there is none yet."""
    reflection = await get_reflection(session, team_id=team_id, session_id=mentoring_session.id, author_id=author_id)
    if reflection is None:
        reflection = Reflection(
            team_id=team_id,
            session_id=mentoring_session.id,
            pair_id=mentoring_session.pair_id,
            author_id=author_id,
            step=1,
            started_at=now,
        )
        session.add(reflection)
        await session.flush()
    return reflection


async def save_reflection(session: AsyncSession, *, reflection: Reflection) -> None:
    """Write the answers set on this reflection; the caller's transaction commits them."""
    session.add(reflection)
    await session.flush()


def _parse_open_messages(text: str | None) -> list[tuple[int, str, str]]:
    """`Reflection.open_messages` read: (step, channel, ts) of each DM message showing its buttons."""
    places = []
    for item in (text or "").split():
        step, channel, ts = (item.split(":", 2) + ["", ""])[:3]
        if step.isdigit() and channel and ts:
            places.append((int(step), channel, ts))
    return places


async def take_open_messages(session: AsyncSession, *, team_id: str, reflection_id: int) -> list[tuple[int, str, str]]:
    """The remembered question messages, forgotten in the same step (their question is being answered).
    Conditional on what was read, so a message remembered meanwhile is never lost."""
    for _ in range(5):
        seen = (await session.exec(select(Reflection.open_messages).where(Reflection.team_id == team_id, Reflection.id == reflection_id))).first()
        if not seen:
            return []
        result = await session.exec(
            update(Reflection)
            .where(col(Reflection.team_id) == team_id, col(Reflection.id) == reflection_id, col(Reflection.open_messages) == seen)
            .values(open_messages="")
        )
        if result.rowcount == 1:
            return _parse_open_messages(seen)
    return []


async def settle_open_messages(
    session: AsyncSession, *, team_id: str, reflection_id: int, step: int, places: list[tuple[str, str]]
) -> tuple[bool, list[tuple[int, str, str]]]:
    """Remember messages just posted with buttons for question `step` (False: it was answered
    meanwhile, nothing kept), and hand back the remembered ones whose question has been answered
    since (a post that crossed an answer): the caller takes their buttons away, so they are forgotten.

    Each write is conditional on what was read, so a concurrent answer is never overwritten."""
    recorded = True
    if places:
        entries = " ".join(f"{step}:{channel}:{ts}" for channel, ts in places)
        result = await session.exec(
            update(Reflection)
            .where(col(Reflection.team_id) == team_id, col(Reflection.id) == reflection_id, col(Reflection.step) == step, col(Reflection.completed_at).is_(None))
            .values(open_messages=func.trim(Reflection.open_messages + " " + entries))
        )
        recorded = result.rowcount == 1
    row = (await session.exec(select(Reflection.step, Reflection.completed_at, Reflection.open_messages).where(
        Reflection.team_id == team_id, Reflection.id == reflection_id
    ))).first()
    if row is None:
        return recorded, []
    current, completed_at, seen = row
    known = _parse_open_messages(seen)
    stale = [entry for entry in known if completed_at is not None or entry[0] != current]
    if stale:
        kept = " ".join(f"{asked}:{channel}:{ts}" for asked, channel, ts in known if (asked, channel, ts) not in stale)
        result = await session.exec(
            update(Reflection)
            .where(col(Reflection.team_id) == team_id, col(Reflection.id) == reflection_id, col(Reflection.open_messages) == seen)
            .values(open_messages=kept)
        )
        if result.rowcount != 1:
            stale = []  # changed under us: whoever changed it has these in hand
    return recorded, stale


async def claim_step(session: AsyncSession, *, reflection: Reflection, step: int) -> bool:
    """Take this reflection's row for answering the question it waits on; False when it has moved on
    (the question was answered a moment ago: a double-click, or two at once, of which one gets here).
    A write that changes nothing, so that a second answer at the same moment waits for the first."""
    if reflection.id is None:
        return True
    result = await session.exec(
        update(Reflection)
        .where(col(Reflection.id) == reflection.id, col(Reflection.step) == step, col(Reflection.completed_at).is_(None))
        .values(step=step)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def pending_reflection(session: AsyncSession, *, team_id: str, author_id: str, since: datetime) -> Reflection | None:
    """The conversation waiting on this person's answer: their newest unfinished reflection."""
    result = await session.exec(
        select(Reflection)
        .where(
            Reflection.team_id == team_id,
            Reflection.author_id == author_id,
            col(Reflection.completed_at).is_(None),
            Reflection.started_at >= since,
        )
        .order_by(col(Reflection.started_at).desc(), col(Reflection.id).desc())
    )
    return result.first()


async def prompted_session_without_reflection(
    session: AsyncSession, *, team_id: str, user_id: str, now: datetime, window: timedelta
) -> tuple[MentoringSession, Programme] | None:
    """A recent session whose post-session prompt this person has had but not yet answered at all."""
    result = await session.exec(
        select(MentoringSession, Programme)
        .join(Pair, col(Pair.id) == col(MentoringSession.pair_id))
        .join(Programme, col(Programme.id) == col(Pair.programme_id))
        .where(
            MentoringSession.team_id == team_id,
            or_(Pair.mentor_id == user_id, Pair.mentee_id == user_id),
            col(MentoringSession.status).in_(OPEN_STATUSES),
            MentoringSession.starts_at <= now,
            MentoringSession.starts_at >= now - window - timedelta(days=1),
        )
        .order_by(col(MentoringSession.starts_at).desc())
    )
    for candidate, programme in result.all():
        prompted_at = session_end(candidate) + timedelta(minutes=programme.reflection_delay_minutes)
        if not (prompted_at <= now <= session_end(candidate) + window):
            continue
        if await get_reflection(session, team_id=team_id, session_id=candidate.id, author_id=user_id) is None:
            return candidate, programme
    return None


async def reflections_of_pair(session: AsyncSession, *, team_id: str, pair_id: int) -> list[tuple[Reflection, MentoringSession]]:
    result = await session.exec(
        select(Reflection, MentoringSession)
        .join(MentoringSession, col(MentoringSession.id) == col(Reflection.session_id))
        .where(Reflection.team_id == team_id, Reflection.pair_id == pair_id)
        .order_by(col(MentoringSession.starts_at).desc(), col(Reflection.id))
    )
    return list(result.all())


async def record_took_place(
    session: AsyncSession, *, team_id: str, mentoring_session: MentoringSession, answer: str, now: datetime
) -> None:
    """Answer 1 sets the session's status. If either side says it took place, it was held."""
    if answer == "yes":
        mentoring_session.status = SessionStatus.HELD
    elif mentoring_session.status != SessionStatus.HELD:
        mentoring_session.status = SessionStatus.CANCELLED if answer == "cancelled" else SessionStatus.NO_SHOW
        if answer == "cancelled" and mentoring_session.cancelled_at is None:
            mentoring_session.cancelled_at = now
    session.add(mentoring_session)
    await session.flush()


async def mark_covered(session: AsyncSession, *, team_id: str, pair_id: int, topic_key: str, session_id: int, now: datetime) -> bool:
    """Answer 4: a roadmap topic chosen is covered (the first session that covered it is kept)."""
    result = await session.exec(
        select(RoadmapItem).where(RoadmapItem.team_id == team_id, RoadmapItem.pair_id == pair_id, RoadmapItem.topic_key == topic_key)
    )
    item = result.first()
    if item is None or item.covered_at is not None:
        return False
    item.covered_at = now
    item.covered_session_id = session_id
    session.add(item)
    await session.flush()
    return True


# --- the sweep --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpDue:
    mentoring_session: MentoringSession
    pair: Pair
    user_id: str
    reflection: Reflection | None


def _follow_up_window(query: Select, *, now: datetime, after: timedelta, window: timedelta) -> Select:
    """The sessions (of pairs still on) whose follow-up may be due: `query` narrowed to them."""
    return (
        query.join(Pair, col(Pair.id) == col(MentoringSession.pair_id))
        .join(Programme, col(Programme.id) == col(Pair.programme_id))
        .where(
            col(MentoringSession.status).in_(OPEN_STATUSES),
            MentoringSession.starts_at <= now - after,
            MentoringSession.starts_at >= now - window - timedelta(days=1),
            Pair.status != PairStatus.ENDED,
        )
    )


async def follow_ups_due(session: AsyncSession, *, now: datetime, after: timedelta, window: timedelta) -> list[FollowUpDue]:
    """People whose post-session prompt went out more than `after` ago, unanswered and not yet followed up.

    Whether each has answered or been followed up is read for all the window's sessions in one query
    (not one per person and session); only the reflections of those due are loaded whole."""
    result = await session.exec(_follow_up_window(select(MentoringSession, Pair, Programme), now=now, after=after, window=window))
    candidates = result.all()
    if not candidates:
        return []
    in_window = _follow_up_window(select(MentoringSession.id), now=now, after=after, window=window)
    answered = await session.exec(
        select(Reflection.team_id, Reflection.session_id, Reflection.author_id, Reflection.completed_at, Reflection.followed_up_at)
        .where(col(Reflection.session_id).in_(in_window))
    )
    # Each reflection started: whether it needs no follow-up (finished, or followed up already).
    settled = {
        (team_id, session_id, author_id): completed_at is not None or followed_up_at is not None
        for team_id, session_id, author_id, completed_at, followed_up_at in answered.all()
    }
    due: list[FollowUpDue] = []
    for mentoring_session, pair, programme in candidates:
        prompted_at = session_end(mentoring_session) + timedelta(minutes=programme.reflection_delay_minutes)
        if not (prompted_at + after <= now <= session_end(mentoring_session) + window):
            continue
        for user_id in (pair.mentor_id, pair.mentee_id):
            key = (pair.team_id, mentoring_session.id, user_id)
            if settled.get(key, False):
                continue
            reflection = None
            if key in settled:  # started and left unfinished: loaded whole, to resume it where it stopped
                reflection = await get_reflection(session, team_id=pair.team_id, session_id=mentoring_session.id, author_id=user_id)
            due.append(FollowUpDue(mentoring_session, pair, user_id, reflection))
    return due


async def pairs_with_recent_sessions(session: AsyncSession, *, now: datetime, since: datetime) -> list[Row]:
    """Pairs with a session held or reflected on lately: the ones whose patterns may have changed.
    The columns the detectors read (id, team_id, programme_id, mentor_id, mentee_id), not ORM rows."""
    result = await session.stream(
        select(Pair.id, Pair.team_id, Pair.programme_id, Pair.mentor_id, Pair.mentee_id)
        .where(col(Pair.id).in_(recent_pair_ids(now=now, since=since)))
        .order_by(col(Pair.id))
    )
    rows: list[Row] = []
    async for part in result.partitions(STREAMED_ROWS):  # read in parts: each is an await, and the loop runs between
        rows += part
    return rows


def recent_pair_ids(*, now: datetime, since: datetime) -> Select:
    """The ids of `pairs_with_recent_sessions`, as a subquery: the detectors read those pairs' history
    in one query per table, whatever their number (an IN list of ids would grow with them)."""
    held = select(MentoringSession.pair_id).where(
        MentoringSession.status == SessionStatus.HELD, MentoringSession.starts_at >= since, MentoringSession.starts_at <= now
    )
    reflected = select(Reflection.pair_id).where(Reflection.started_at >= since)
    return select(Pair.id).where(or_(col(Pair.id).in_(held), col(Pair.id).in_(reflected)), Pair.status != PairStatus.ENDED)


async def held_sessions_of_pairs(session: AsyncSession, *, pair_ids: Select, now: datetime) -> AsyncIterator[Sequence[Row]]:
    """The held sessions up to `now` of every pair in `pair_ids` (a subquery), oldest first: only the columns the
    detectors read (id, pair_id, starts_at, minutes), not ORM rows with their encrypted reasons.
    Streamed in parts, so that turning a hundred thousand rows into Python objects is not one long
    stretch of the event loop (the caller awaits between parts)."""
    result = await session.stream(
        select(MentoringSession.id, MentoringSession.pair_id, MentoringSession.starts_at, MentoringSession.minutes)
        .where(col(MentoringSession.pair_id).in_(pair_ids), MentoringSession.status == SessionStatus.HELD, MentoringSession.starts_at <= now)
        .order_by(col(MentoringSession.starts_at), col(MentoringSession.id))
    )
    async for part in result.partitions(STREAMED_ROWS):
        yield part


async def thresholds_of_pairs(session: AsyncSession, *, pair_ids: Select, columns: Sequence[str]) -> list[Row]:
    """The programmes of every pair in `pair_ids`, in one query (not one per programme): their id,
    team and the detector settings named by `columns`."""
    result = await session.exec(
        select(Programme.id, Programme.team_id, *(getattr(Programme, name) for name in columns)).where(
            col(Programme.id).in_(select(Pair.programme_id).where(col(Pair.id).in_(pair_ids)))
        )
    )
    return list(result.all())


async def reflections_of_pairs(session: AsyncSession, *, pair_ids: Select) -> list[Row]:
    """The reflections of every pair in `pair_ids`: the columns the detectors read (not the
    encrypted learning)."""
    result = await session.exec(
        select(
            Reflection.id, Reflection.team_id, Reflection.session_id, Reflection.author_id, Reflection.led_by, Reflection.safety,
            Reflection.topic_key, Reflection.new_insight, Reflection.started_at, Reflection.completed_at,
        )
        .where(col(Reflection.pair_id).in_(pair_ids))
        .order_by(col(Reflection.id))
    )
    return list(result.all())


async def roadmap_items_of_pairs(session: AsyncSession, *, pair_ids: Select) -> list[RoadmapItem]:
    result = await session.exec(
        select(RoadmapItem).where(col(RoadmapItem.pair_id).in_(pair_ids)).order_by(col(RoadmapItem.pair_id), col(RoadmapItem.position))
    )
    return list(result.all())


async def open_goals_of_pairs(session: AsyncSession, *, pair_ids: Select) -> list[Row]:
    """The open goals of every pair in `pair_ids`: what the stalled-goal detector reads and says
    (the goal's text), not its other encrypted fields."""
    result = await session.exec(
        select(Goal.id, Goal.pair_id, Goal.owner_id, Goal.text, Goal.updated_at)
        .where(col(Goal.pair_id).in_(pair_ids), Goal.progress != GoalProgress.ACHIEVED)
        .order_by(col(Goal.id))
    )
    return list(result.all())
