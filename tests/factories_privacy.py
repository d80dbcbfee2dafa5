"""One pair with something of everything, for the privacy tests: every text the mentor wrote holds
"MENTOR-", every text the mentee (their partner) wrote holds "PARTNER-"."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import OutboxStatus, SessionStatus
from store.crypto import PREFIX, parse_keys
from store.models import Charter, CheckIn, Outbox, Pair, Programme, Topic
from tests.conftest import ENCRYPTION_KEY, START
from tests.factories import make_pair, make_person, make_programme
from tests.factories_sessions import make_action, make_goal, make_reflection, make_session

MENTOR, MENTEE, ADMIN = "U0MENTOR", "U0MENTEE", "U0ADMIN"
PARTNER_SECRET = "PARTNER-SECRET"  # the partner's unshared reflection


@dataclass
class Seeded:
    programme: Programme
    pair: Pair


async def seed_pair_with_history(session: AsyncSession, *, now: datetime = START, **programme_fields) -> Seeded:
    began = now - timedelta(days=60)
    programme = await make_programme(session, now=began, admin_id=ADMIN, k_anonymity=2, **programme_fields)
    await make_person(session, user_id=MENTOR, now=now, name="Priya Nair", department="Data", interests="allyship")
    await make_person(session, user_id=MENTEE, now=now, name="Tom Becker", department="Operations")
    pair = await make_pair(session, programme=programme, now=began)
    session.add(
        Charter(
            team_id=pair.team_id, pair_id=pair.id, own_rules="Shared rule: cameras on", mentor_responsibilities="MENTOR-DUTIES",
            mentee_responsibilities="PARTNER-DUTIES", updated_by=MENTOR, updated_at=began, mentor_agreed_at=began, mentee_agreed_at=began,
        )
    )
    session.add(Topic(team_id=pair.team_id, pair_id=pair.id, title="Hybrid working", created_by=MENTOR))
    earlier = await make_session(session, pair=pair, starts_at=now - timedelta(days=40), status=SessionStatus.HELD)
    held = await make_session(session, pair=pair, starts_at=now - timedelta(days=30), status=SessionStatus.HELD)
    await make_session(
        session, pair=pair, starts_at=now - timedelta(days=20), status=SessionStatus.CANCELLED, cancelled_by=MENTOR,
        cancelled_at=now - timedelta(days=21), cancel_reason="MENTOR-REASON", late_cancel=True,
    )
    await make_session(
        session, pair=pair, starts_at=now - timedelta(days=10), status=SessionStatus.CANCELLED, cancelled_by=MENTEE,
        cancelled_at=now - timedelta(days=12), cancel_reason="PARTNER-REASON",
    )
    await make_session(session, pair=pair, starts_at=now + timedelta(days=7), booked_by=MENTOR)
    await make_reflection(session, mentoring_session=earlier, author_id=MENTOR, safety=5, led_by="mentor", learning="MENTOR-EARLIER", new_insight=True)
    await make_reflection(session, mentoring_session=earlier, author_id=MENTEE, safety=3, led_by="mentor", learning="PARTNER-SHARED", shared=True)
    await make_reflection(session, mentoring_session=held, author_id=MENTOR, safety=4, led_by="balanced", learning="MENTOR-LEARNING", shared=True)
    await make_reflection(session, mentoring_session=held, author_id=MENTEE, safety=2, led_by="mentee", learning=PARTNER_SECRET)
    await make_goal(session, pair=pair, owner_id=MENTOR, text="MENTOR-GOAL", org_benefit="MENTOR-BENEFIT", note="MENTOR-NOTE", updated_at=began, progress="under_way")
    await make_goal(session, pair=pair, owner_id=MENTEE, text="PARTNER-GOAL", updated_at=began, progress="achieved")
    await make_action(session, pair=pair, owner_id=MENTOR, text="MENTOR-ACTION", now=began, status="done", done_at=now)
    await make_action(session, pair=pair, owner_id=MENTEE, text="PARTNER-ACTION", now=began)
    for user_id, working, change in ((MENTOR, 4, "MENTOR-CHANGE"), (MENTEE, 3, "PARTNER-CHANGE")):
        session.add(
            CheckIn(
                team_id=pair.team_id, programme_id=programme.id, pair_id=pair.id, user_id=user_id, role="mentor" if user_id == MENTOR else "mentee",
                kind="midpoint", working=working, change=change, submitted_at=now - timedelta(days=5),
            )
        )
    for key, recipient, words, status in (
        (f"nudge:book:{pair.id}:{MENTOR}", MENTOR, "MENTOR-NUDGE", OutboxStatus.PENDING),
        (f"welcome:{pair.id}:{MENTOR}", MENTOR, "MENTOR-WELCOME", OutboxStatus.SENT),
        (f"nudge:book:{pair.id}:{MENTEE}", MENTEE, "PARTNER-NUDGE", OutboxStatus.PENDING),
    ):
        session.add(
            Outbox(
                team_id=pair.team_id, key=key, kind=key.split(":")[0], recipient_id=recipient, payload=json.dumps({"text": words}),
                due_at=now, status=status, created_at=now - timedelta(days=50), sent_at=now if status == OutboxStatus.SENT else None,
            )
        )
    await session.flush()
    return Seeded(programme=programme, pair=pair)


async def raw_rows(db) -> dict[str, list[dict]]:  # noqa: ANN001
    """Every row of every table as stored (encrypted values as their tokens)."""
    tables: dict[str, list[dict]] = {}
    async with db() as session:
        connection = await session.connection()
        for table in SQLModel.metadata.sorted_tables:
            order = ' ORDER BY "id"' if "id" in table.c else ""
            result = await connection.execute(text(f'SELECT * FROM "{table.name}"{order}'))
            tables[table.name] = [dict(row._mapping) for row in result]
    return tables


def decrypted(rows: dict[str, list[dict]]) -> str:
    """The same rows with every encrypted value decrypted, as one string to search."""
    keys = parse_keys(ENCRYPTION_KEY)

    def plain(value: object) -> object:
        if isinstance(value, str) and value.startswith(PREFIX):
            return keys.decrypt(value[len(PREFIX):].encode()).decode()
        return value

    return json.dumps({name: [{column: plain(value) for column, value in row.items()} for row in table] for name, table in rows.items()}, default=str)


def utc(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
