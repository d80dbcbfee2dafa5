"""The sweep's reflection step: one follow-up for unanswered reflections, and the detectors run over
pairs with a recent session. Everything goes out through the outbox, keyed so it is created once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import Row
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from bot import collector
from bot.rules import detectors
from bot.rules.nudges import FOLLOW_UP_KIND, follow_up_key
from bot.rules.reflection_flow import current_step
from bot.services import Services
from bot.views import roadmap_view
from domain.roles import Role
from domain.thresholds import DEFAULTS, Thresholds
from prompts import content, tips
from prompts import reflection_conversation as reflection_prompts
from prompts.timefmt import format_when
from store import outbox, people
from store import reflections as store
from store.models import RoadmapItem
from store.pairs import partner_of, role_in
from store.roadmap import roadmap_items

FOLLOW_UP_AFTER = timedelta(hours=24)
WINDOW = timedelta(days=7)  # same as the DM conversation's: older sessions are left alone
DETECT_OVER = timedelta(days=14)
CHUNK = 500  # pairs worked through between two yields to the event loop (a few milliseconds each)
KEYS_AT_ONCE = 1_000  # keys per look-up of those already in the outbox (within every database's parameter limit)


async def sweep_reflections(services: Services, now: datetime) -> dict[str, int]:
    async with services.sessions.begin() as session:
        followed = await send_follow_ups(session, now=now)
    async with services.sessions.begin() as session:
        tipped = await run_detectors(session, now=now)
    return {"reflection_followups": followed, "detector_messages": tipped}


async def send_follow_ups(session: AsyncSession, *, now: datetime) -> int:
    """One follow-up per person and session, 24 hours after the prompt, never more."""
    count = 0
    for due in await store.follow_ups_due(session, now=now, after=FOLLOW_UP_AFTER, window=WINDOW):
        pair, mentoring_session = due.pair, due.mentoring_session
        reflection = due.reflection or await store.start_reflection(
            session, team_id=pair.team_id, mentoring_session=mentoring_session, author_id=due.user_id, now=now
        )
        reflection.followed_up_at = now
        session.add(reflection)
        person = await people.get_person(session, team_id=pair.team_id, user_id=due.user_id)
        tz = person.tz if person is not None else "UTC"
        ctx = reflection_prompts.SessionContext(
            session_id=mentoring_session.id,
            partner_id=partner_of(pair, due.user_id),
            role=role_in(pair, due.user_id),
            when=format_when(mentoring_session.starts_at, tz),
        )
        roadmap = await roadmap_items(session, team_id=pair.team_id, pair_id=pair.id)
        topics = reflection_prompts.topic_choices(roadmap_view(roadmap), mentoring_session.topic_key)
        created = await outbox.enqueue(
            session,
            team_id=pair.team_id,
            key=follow_up_key(mentoring_session.id, due.user_id),
            kind=FOLLOW_UP_KIND,
            recipient_id=due.user_id,
            message=reflection_prompts.build_followup(current_step(reflection.step), ctx, topics),
            due_at=now,
            expires_at=store.session_end(mentoring_session) + WINDOW,
            now=now,
        )
        count += int(created)
    await session.flush()
    return count


async def pair_histories(session: AsyncSession, *, pairs: list[Row], pair_ids: Select, now: datetime) -> dict[int, detectors.PairHistory]:
    """Each pair's history, read for all of them (`pair_ids`, the same pairs as a subquery) in four
    queries, not four per pair. The held sessions (most of the rows) are streamed and each turned into
    its facts as it comes, yielding to the event loop between parts, and no row is kept: fewer live
    objects also means fewer full passes of Python's garbage collector, which cost as much as the rest."""
    reflections_of: dict[int, list[Row]] = {}
    for reflection in await store.reflections_of_pairs(session, pair_ids=pair_ids):
        reflections_of.setdefault(reflection.session_id, []).append(reflection)
    roadmap_of: dict[int, list[RoadmapItem]] = {}
    for item in await store.roadmap_items_of_pairs(session, pair_ids=pair_ids):
        roadmap_of.setdefault(item.pair_id, []).append(item)
    goals_of: dict[int, list[Row]] = {}
    for goal in await store.open_goals_of_pairs(session, pair_ids=pair_ids):
        goals_of.setdefault(goal.pair_id, []).append(goal)
    pair_of = {pair.id: pair for pair in pairs if pair.id is not None}
    covered_in = {(item.pair_id, item.covered_session_id) for items in roadmap_of.values() for item in items if item.covered_session_id is not None}
    held_of: dict[int, list[detectors.SessionFacts]] = {pair_id: [] for pair_id in pair_of}
    lengths: dict[int, timedelta] = {}  # a session's length, made once per distinct number of minutes
    session_facts = detectors.SessionFacts
    async for part in store.held_sessions_of_pairs(session, pair_ids=pair_ids, now=now):
        for session_id, pair_id, starts_at, minutes in part:  # unpacked: a row's attributes cost more to read
            pair = pair_of.get(pair_id)
            if pair is None:
                continue
            mine: tuple[detectors.ReflectionFacts, ...] = ()
            found = reflections_of.get(session_id)
            if found:  # most sessions have none: the rest is skipped for them
                mine = tuple(
                    _reflection_facts(pair, reflection)
                    for reflection in found
                    if reflection.team_id == pair.team_id and reflection.author_id in (pair.mentor_id, pair.mentee_id)
                )
            length = lengths.get(minutes)
            if length is None:
                length = lengths[minutes] = timedelta(minutes=minutes)
            held_of[pair_id].append(session_facts(session_id, starts_at, starts_at + length, mine, (pair_id, session_id) in covered_in))
        await asyncio.sleep(0)
    histories: dict[int, detectors.PairHistory] = {}
    for index, (pair_id, held) in enumerate(held_of.items()):
        if index and index % CHUNK == 0:
            await asyncio.sleep(0)
        roadmap = roadmap_of.get(pair_id, [])
        histories[pair_id] = detectors.PairHistory(
            pair_id=pair_id,
            held=tuple(held),
            roadmap_keys=frozenset(item.topic_key for item in roadmap),
            covered_keys=frozenset(item.topic_key for item in roadmap if item.covered_at is not None),
            goals=tuple(detectors.GoalFacts(goal.id, goal.owner_id, goal.text, goal.updated_at) for goal in goals_of.get(pair_id, [])),
        )
    return histories


def _reflection_facts(pair: Row, reflection: Row) -> detectors.ReflectionFacts:
    return detectors.ReflectionFacts(
        author_role=role_in(pair, reflection.author_id),
        led_by=reflection.led_by,
        safety=reflection.safety,
        topic_key=reflection.topic_key,
        new_insight=reflection.new_insight,
        completed=reflection.completed_at is not None,
        started_at=reflection.started_at,
    )


@dataclass(frozen=True)
class _Tip:
    team_id: str
    key: str
    kind: str
    recipient_id: str
    message: dict


def _tips(pair: Row, history: detectors.PairHistory, limits: Thresholds, now: datetime) -> list[_Tip]:
    """What the detectors found in one pair's history, as the messages to send (each keyed by its
    occurrence and recipient). Each side's tips are found from that side's own answers only, so one
    side's tip neither comes from, waits on, nor holds back the other's."""
    tips_found: list[_Tip] = []
    catalogue = content.topic_catalogue()
    for user_id, role in ((pair.mentor_id, Role.MENTOR), (pair.mentee_id, Role.MENTEE)):
        found = detectors.role_reversal(history, role, window=limits.role_reversal_window, threshold=limits.role_reversal_threshold)
        if found is not None:
            tips_found.append(_Tip(pair.team_id, f"{found.key}:{user_id}", "detector_role_reversal", user_id, tips.build_role_reversal(role)))
        found = detectors.cosy_chat(history, role, now, run=limits.cosy_chat_run)
        if found is not None:
            suggestions = detectors.fresh_topics(catalogue, history.topics_covered(role))
            message = tips.build_cosy_chat(role, suggestions, sessions=limits.cosy_chat_run)
            tips_found.append(_Tip(pair.team_id, f"{found.key}:{user_id}", "detector_cosy_chat", user_id, message))
        found = detectors.low_safety(history, role, count=limits.low_safety_count, threshold=limits.low_safety_threshold)
        if found is not None:
            tips_found.append(_Tip(pair.team_id, f"{found.key}:{user_id}", "detector_low_safety", user_id, tips.build_low_safety(role)))
    goals = {goal.goal_id: goal for goal in history.goals}
    for stalled in detectors.stalled_goals(history, now, sessions=limits.stalled_goal_sessions):
        goal = goals[stalled.goal_id]  # type: ignore[index]
        message = tips.build_stalled_goal(goal.text, sessions=limits.stalled_goal_sessions)
        tips_found.append(_Tip(pair.team_id, stalled.key, "detector_stalled_goal", goal.owner_id, message))
    return tips_found


async def run_detectors(session: AsyncSession, *, now: datetime) -> int:
    """Each detector over each pair with a recent session, at the thresholds of the pair's programme.

    Pure Python over every recent pair's history, so it works a chunk of pairs at a time and lets the
    event loop run between chunks: on the bot's one loop, a long stretch would hold up Slack's acks."""
    with collector.paused():  # the pairs and their histories are hundreds of thousands of objects, freed at the end
        found = await _find_tips(session, now=now)
    # An occurrence is found again on every pass until the pair moves on; only new ones are written.
    existing: set[str] = set()
    for start in range(0, len(found), KEYS_AT_ONCE):
        existing |= await outbox.existing_keys(session, keys=[tip.key for tip in found[start:start + KEYS_AT_ONCE]])
    count = 0
    for tip in found:
        if tip.key not in existing:
            count += int(await outbox.enqueue(
                session, team_id=tip.team_id, key=tip.key, kind=tip.kind, recipient_id=tip.recipient_id, message=tip.message, due_at=now, now=now,
            ))
    return count


async def _find_tips(session: AsyncSession, *, now: datetime) -> list[_Tip]:
    since = now - DETECT_OVER
    pair_ids = store.recent_pair_ids(now=now, since=since)
    recent = await store.pairs_with_recent_sessions(session, now=now, since=since)
    settings = [setting.name for setting in fields(Thresholds)]
    programme_thresholds = {
        (programme.team_id, programme.id): detectors.thresholds_of(programme)
        for programme in await store.thresholds_of_pairs(session, pair_ids=pair_ids, columns=settings)
    }
    histories = await pair_histories(session, pairs=recent, pair_ids=pair_ids, now=now)
    found: list[_Tip] = []
    # Each pair and its history let go of as they are read, so they are freed a chunk at a time, not
    # all at once at the end (a stretch of its own, at a hundred thousand pairs). In order: popped from the end.
    recent.reverse()
    done = 0
    while recent:
        pair = recent.pop()
        limits = programme_thresholds.get((pair.team_id, pair.programme_id), DEFAULTS)
        found += _tips(pair, histories.pop(pair.id), limits, now)
        done += 1
        if done % CHUNK == 0:
            await asyncio.sleep(0)
    return found
