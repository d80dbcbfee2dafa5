"""The sweep's momentum step: read every active pair, plan its ladder (bot/nudges.momentum_ladder)
and put the rungs that fall due within a day into the outbox, each once per gap.

Rungs are enqueued a little ahead with their exact due time, so the step need not run on every tick;
booking, logging or a new gap withdraws the pending ones that no longer apply.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Row

from bot import collector
from bot.flows.bookings import facts_of
from bot.rules.nudges import PRIORITY, PairFacts, Rung, momentum_anchor_prefix, momentum_ladder
from bot.services import Services
from domain.nudges import Kind
from prompts import nudges as nudge_prompts
from store import outbox, programmes, roadmap
from store import sessions as store

LOOKAHEAD = timedelta(days=1)
MOMENTUM_PREFIX = "momentum:pair:"


def _started_at(row: Row) -> datetime:
    if row.charter_id is not None and row.mentor_agreed_at is not None and row.mentee_agreed_at is not None:
        return max(row.mentor_agreed_at, row.mentee_agreed_at)
    return row.created_at


def _ends_at(ends_on: date) -> datetime:
    return datetime.combine(ends_on + timedelta(days=1), time(0), tzinfo=UTC)


async def enqueue_momentum(services: Services, now: datetime) -> int:
    """Plan the ladder of every active pair with nothing booked ahead (the others have none);
    returns how many new rows were created."""
    with collector.paused():  # a row and its facts for each such pair and session, freed at the end
        return await _enqueue_momentum(services, now)


async def _enqueue_momentum(services: Services, now: datetime) -> int:
    async with services.sessions.begin() as session:
        rows = await store.active_pairs_for_momentum(session, now=now)
        by_pair = defaultdict(list)
        for row in await store.sessions_of_momentum_pairs(session, now=now):
            by_pair[row.pair_id].append(facts_of(row))
        admins = await programmes.admins_by_programme(session)
        next_topics = await roadmap.next_uncovered_of_pairs(session, pair_ids=[row.pair_id for row in rows])
        pending = await outbox.pending_with_prefix(session, key_prefix=MOMENTUM_PREFIX)

    plans: list[tuple[str, PairFacts, list[Rung]]] = []
    titles = {pair_id: item.title for pair_id, item in next_topics.items()}
    current_prefixes: dict[int, str | None] = {}
    for row in rows:
        facts = PairFacts(
            pair_id=row.pair_id,
            team_id=row.team_id,
            mentor_id=row.mentor_id,
            mentee_id=row.mentee_id,
            driver=row.driver if row.charter_id is not None else "mentee",
            cadence_days=row.cadence_days if row.charter_id is not None else row.programme_cadence_days,
            started_at=_started_at(row),
            programme_ends_at=_ends_at(row.ends_on),
            admins=admins.get(row.programme_id, ()),
            sessions=tuple(by_pair.get(row.pair_id, [])),
        )
        rungs = momentum_ladder(facts, now)
        current_prefixes[row.pair_id] = momentum_anchor_prefix(rungs)
        plans.append((row.team_id, facts, [rung for rung in rungs if rung.due_at <= now + LOOKAHEAD]))

    stale = []
    for row_id, key in pending:
        pair_id = int(key[len(MOMENTUM_PREFIX):].split(":", 1)[0])
        prefix = current_prefixes.get(pair_id)
        if prefix is None or not key.startswith(prefix):
            stale.append(row_id)

    wanted = [rung for *_, rungs in plans for rung in rungs]
    created = 0
    if not stale and not wanted:
        return 0
    async with services.sessions.begin() as session:
        await outbox.withdraw_ids(session, ids=stale, reason="the pair's situation changed")
        existing = await outbox.existing_keys(session, keys=[rung.key for rung in wanted])
        for team_id, facts, rungs in plans:
            for rung in rungs:
                if rung.key in existing:
                    continue
                created += await outbox.enqueue(
                    session,
                    team_id=team_id,
                    key=rung.key,
                    kind=rung.kind,
                    recipient_id=rung.recipient_id,
                    message=_render(facts, rung, next_topic=titles.get(facts.pair_id, "")),
                    due_at=rung.due_at,
                    now=now,
                    priority=PRIORITY.get(rung.kind, 0) + (1 if rung.rung == "both" else 0),
                )
    return created


def _render(facts: PairFacts, rung: Rung, *, next_topic: str) -> dict:
    if rung.kind == Kind.PAIR_STALLED:
        return nudge_prompts.build_pair_stalled_notice(
            mentor_id=facts.mentor_id, mentee_id=facts.mentee_id, since=rung.overdue_since, first_session=rung.first_session
        )
    partner = facts.mentee_id if rung.recipient_id == facts.mentor_id else facts.mentor_id
    return nudge_prompts.build_momentum_nudge(
        rung=rung.rung, partner_id=partner, first_session=rung.first_session, cadence_days=facts.cadence_days, next_topic=next_topic
    )
