"""The sweep's reflection step: one follow-up for unanswered reflections, and the detectors run over
pairs with a recent session. Everything goes out through the outbox, keyed so it is created once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from bot import detectors
from bot.reflection_flow import current_step
from bot.services import Services
from prompts import content, tips
from prompts import reflections as reflection_prompts
from prompts.timefmt import format_when
from store import outbox, people, programmes
from store import reflections as store
from store.models import Goal, MentoringSession, Pair, Reflection, RoadmapItem, Role
from store.pairs import partner_of, role_in

FOLLOW_UP_AFTER = timedelta(hours=24)
FOLLOW_UP_KIND = "reflection_followup"
WINDOW = timedelta(days=7)  # same as the DM conversation's: older sessions are left alone
DETECT_OVER = timedelta(days=14)


def follow_up_key(session_id: int, user_id: str) -> str:
    return f"reflect-followup:session:{session_id}:{user_id}"


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
        roadmap = await store.roadmap_items(session, team_id=pair.team_id, pair_id=pair.id)
        topics = reflection_prompts.topic_choices(roadmap, mentoring_session.topic_key)
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


async def pair_histories(session: AsyncSession, *, pairs: list[Pair], pair_ids: Select, now: datetime) -> dict[int, detectors.PairHistory]:
    """Each pair's history, read for all of them (`pair_ids`, the same pairs as a subquery) in four
    queries, not four per pair."""
    held_of: dict[int, list[MentoringSession]] = {pair.id: [] for pair in pairs if pair.id is not None}
    for held in await store.held_sessions_of_pairs(session, pair_ids=pair_ids, now=now):
        held_of.setdefault(held.pair_id, []).append(held)
    reflections_of: dict[int, list[Reflection]] = {}
    for reflection in await store.reflections_of_pairs(session, pair_ids=pair_ids):
        reflections_of.setdefault(reflection.session_id, []).append(reflection)
    roadmap_of: dict[int, list[RoadmapItem]] = {}
    for item in await store.roadmap_items_of_pairs(session, pair_ids=pair_ids):
        roadmap_of.setdefault(item.pair_id, []).append(item)
    goals_of: dict[int, list[Goal]] = {}
    for goal in await store.open_goals_of_pairs(session, pair_ids=pair_ids):
        goals_of.setdefault(goal.pair_id, []).append(goal)
    return {
        pair.id: _history(pair, held_of.get(pair.id, []), reflections_of, roadmap_of.get(pair.id, []), goals_of.get(pair.id, []))
        for pair in pairs
        if pair.id is not None
    }


def _history(
    pair: Pair, held: list[MentoringSession], reflections_of: dict[int, list[Reflection]], roadmap: list[RoadmapItem], goals: list[Goal]
) -> detectors.PairHistory:
    covered_in = {item.covered_session_id for item in roadmap if item.covered_session_id is not None}
    facts = []
    reflections = []
    for mentoring_session in held:
        own = [reflection for reflection in reflections_of.get(mentoring_session.id or 0, []) if reflection.team_id == pair.team_id]
        reflections += own
        mine = tuple(
            detectors.ReflectionFacts(
                author_role=role_in(pair, reflection.author_id),
                led_by=reflection.led_by,
                safety=reflection.safety,
                topic_key=reflection.topic_key,
                new_insight=reflection.new_insight,
                completed=reflection.completed_at is not None,
                started_at=reflection.started_at,
            )
            for reflection in own
            if reflection.author_id in (pair.mentor_id, pair.mentee_id)
        )
        facts.append(
            detectors.SessionFacts(
                session_id=mentoring_session.id,
                starts_at=mentoring_session.starts_at,
                ends_at=store.session_end(mentoring_session),
                reflections=mine,
                covered_roadmap_topic=mentoring_session.id in covered_in,
            )
        )
    covered = {item.topic_key for item in roadmap if item.covered_at is not None}
    covered |= {reflection.topic_key for reflection in reflections if reflection.topic_key}
    return detectors.PairHistory(
        pair_id=pair.id,
        held=tuple(facts),
        roadmap_keys=frozenset(item.topic_key for item in roadmap),
        covered_keys=frozenset(covered),
        goals=tuple(detectors.GoalFacts(goal.id, goal.owner_id, goal.text, goal.updated_at) for goal in goals),
    )


async def run_detectors(session: AsyncSession, *, now: datetime) -> int:
    """Each detector over each pair with a recent session, at the thresholds of the pair's programme."""
    count = 0
    thresholds_of: dict[int, detectors.Thresholds] = {}
    recent = await store.pairs_with_recent_sessions(session, now=now, since=now - DETECT_OVER)
    histories = await pair_histories(session, pairs=recent, pair_ids=store.recent_pair_ids(now=now, since=now - DETECT_OVER), now=now)
    for pair in recent:
        if pair.programme_id not in thresholds_of:
            programme = await programmes.get_programme(session, team_id=pair.team_id, programme_id=pair.programme_id)
            thresholds_of[pair.programme_id] = detectors.Thresholds.of(programme)
        limits = thresholds_of[pair.programme_id]
        history = histories[pair.id]  # type: ignore[index]

        async def send(key: str, kind: str, recipient: str, message: dict, *, pair: Pair = pair) -> int:
            return int(
                await outbox.enqueue(session, team_id=pair.team_id, key=key, kind=kind, recipient_id=recipient, message=message, due_at=now, now=now)
            )

        both = ((pair.mentor_id, Role.MENTOR), (pair.mentee_id, Role.MENTEE))
        found = detectors.role_reversal(history, window=limits.role_reversal_window, threshold=limits.role_reversal_threshold)
        if found is not None:
            for user_id, role in both:
                count += await send(f"{found.key}:{user_id}", "detector_role_reversal", user_id, tips.build_role_reversal(role))
        found = detectors.cosy_chat(history, now, run=limits.cosy_chat_run)
        if found is not None:
            suggestions = detectors.fresh_topics(content.topic_catalogue(), history.covered_keys)
            for user_id, role in both:
                message = tips.build_cosy_chat(role, suggestions, sessions=limits.cosy_chat_run)
                count += await send(f"{found.key}:{user_id}", "detector_cosy_chat", user_id, message)
        found = detectors.low_safety(history, count=limits.low_safety_count, threshold=limits.low_safety_threshold)
        if found is not None:
            for user_id, role in both:
                count += await send(f"{found.key}:{user_id}", "detector_low_safety", user_id, tips.build_low_safety(role))
        goals = {goal.goal_id: goal for goal in history.goals}
        for stalled in detectors.stalled_goals(history, now, sessions=limits.stalled_goal_sessions):
            goal = goals[stalled.goal_id]  # type: ignore[index]
            message = tips.build_stalled_goal(goal.text, sessions=limits.stalled_goal_sessions)
            count += await send(stalled.key, "detector_stalled_goal", goal.owner_id, message)
    return count
