"""The sweep's momentum step: read every active pair, plan its ladder (bot/nudges.momentum_ladder)
and put the rungs that fall due within a day into the outbox, each once per gap.

Rungs are enqueued a little ahead with their exact due time, so the step need not run on every tick;
booking, logging or a new gap withdraws the pending ones that no longer apply.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

from bot.bookings import facts_of
from bot.nudges import PRIORITY, Kind, PairFacts, Rung, momentum_anchor_prefix, momentum_ladder
from bot.services import Services
from prompts import nudges as nudge_prompts
from store import outbox, programmes
from store import sessions as store
from store.models import Charter, Pair, Programme

LOOKAHEAD = timedelta(days=1)
MOMENTUM_PREFIX = "momentum:pair:"


def _started_at(pair: Pair, charter: Charter | None) -> datetime:
    if charter is not None and charter.mentor_agreed_at is not None and charter.mentee_agreed_at is not None:
        return max(charter.mentor_agreed_at, charter.mentee_agreed_at)
    return pair.created_at


def _ends_at(programme: Programme) -> datetime:
    return datetime.combine(programme.ends_on + timedelta(days=1), time(0), tzinfo=UTC)


async def enqueue_momentum(services: Services, now: datetime) -> int:
    """Plan every active pair's ladder; returns how many new rows were created."""
    async with services.sessions.begin() as session:
        rows = await store.active_pairs_for_momentum(session)
        by_pair = defaultdict(list)
        for row in await store.sessions_of_momentum_pairs(session):
            by_pair[row.pair_id].append(facts_of(row))
        admins = await programmes.admins_by_programme(session)
        pending = await outbox.pending_with_prefix(session, key_prefix=MOMENTUM_PREFIX)

    plans: list[tuple[Pair, Programme, PairFacts, list[Rung]]] = []
    current_prefixes: dict[int, str | None] = {}
    for pair, programme, charter in rows:
        assert pair.id is not None and programme.id is not None
        facts = PairFacts(
            pair_id=pair.id,
            team_id=pair.team_id,
            mentor_id=pair.mentor_id,
            mentee_id=pair.mentee_id,
            driver=charter.driver if charter is not None else "mentee",
            cadence_days=charter.cadence_days if charter is not None else programme.cadence_days,
            started_at=_started_at(pair, charter),
            programme_ends_at=_ends_at(programme),
            admins=admins.get(programme.id, ()),
            sessions=tuple(by_pair.get(pair.id, [])),
        )
        rungs = momentum_ladder(facts, now)
        current_prefixes[pair.id] = momentum_anchor_prefix(rungs)
        plans.append((pair, programme, facts, [rung for rung in rungs if rung.due_at <= now + LOOKAHEAD]))

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
        for pair, _programme, facts, rungs in plans:
            for rung in rungs:
                if rung.key in existing:
                    continue
                created += await outbox.enqueue(
                    session,
                    team_id=pair.team_id,
                    key=rung.key,
                    kind=rung.kind,
                    recipient_id=rung.recipient_id,
                    message=_render(facts, rung),
                    due_at=rung.due_at,
                    now=now,
                    priority=PRIORITY.get(rung.kind, 0) + (1 if rung.rung == "both" else 0),
                )
    return created


def _render(facts: PairFacts, rung: Rung) -> dict:
    if rung.kind == Kind.PAIR_STALLED:
        return nudge_prompts.build_pair_stalled_notice(
            mentor_id=facts.mentor_id, mentee_id=facts.mentee_id, since=rung.overdue_since, first_session=rung.first_session
        )
    partner = facts.mentee_id if rung.recipient_id == facts.mentor_id else facts.mentor_id
    return nudge_prompts.build_momentum_nudge(
        rung=rung.rung, partner_id=partner, first_session=rung.first_session, cadence_days=facts.cadence_days
    )
