"""The retention purge: a programme's personal text erased once its retention period has run out.

Every `EncryptedText` column is purged, found by type (store/privacy.py), so a column added later
is purged without a change here; numbers, statuses and dates stay, so the programme's figures still add up.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import or_
from sqlmodel import SQLModel, col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import OutboxStatus
from store.models import Outbox, Pair, Programme, RoadmapItem
from store.privacy import PLAIN_TEXT, personal_text_columns


def purge_due_on(programme: Programme) -> date:
    """The first day the programme's personal text is no longer kept."""
    return programme.ends_on + timedelta(days=programme.retention_days)


async def programmes_due_for_purge(session: AsyncSession, *, today: date) -> list[Programme]:
    """Every workspace's programmes whose retention period has run out and that are not purged yet."""
    result = await session.exec(
        select(Programme).where(col(Programme.personal_data_purged_at).is_(None), col(Programme.ends_on) < today).order_by(col(Programme.id))
    )
    return [programme for programme in result.all() if purge_due_on(programme) <= today]


async def purge_programme(session: AsyncSession, *, programme: Programme, now: datetime) -> int | None:
    """Erase the programme's personal text, keeping every count; None if another sweep got there first.

    The mark is taken first with a conditional update, so of two replicas only one purges.
    Returns the number of rows whose text was erased.
    """
    claimed = await session.exec(
        update(Programme)
        .where(col(Programme.id) == programme.id, col(Programme.team_id) == programme.team_id, col(Programme.personal_data_purged_at).is_(None))
        .values(personal_data_purged_at=now)
    )
    if claimed.rowcount != 1:
        return None
    team_id = programme.team_id
    pair_ids = select(Pair.id).where(col(Pair.team_id) == team_id, col(Pair.programme_id) == programme.id)
    erased = 0
    for table in SQLModel.metadata.sorted_tables:
        columns = personal_text_columns(table) + [table.c[name] for tname, name in sorted(PLAIN_TEXT) if tname == table.name]
        if not columns or "team_id" not in table.c:
            continue
        if "programme_id" in table.c:
            scope = table.c.programme_id == programme.id
        elif "pair_id" in table.c:
            scope = table.c.pair_id.in_(pair_ids)
        else:
            continue
        result = await session.exec(
            update(table).where(table.c.team_id == team_id, scope, or_(*(column != "" for column in columns))).values({column.name: "" for column in columns})
        )
        erased += result.rowcount
    own_topics = await session.exec(
        update(RoadmapItem)
        .where(col(RoadmapItem.team_id) == team_id, col(RoadmapItem.pair_id).in_(pair_ids), col(RoadmapItem.topic_key).startswith("own:"), col(RoadmapItem.title) != "")
        .values(title="")
    )
    erased += own_topics.rowcount
    # Messages carry no programme: those to the programme's people created while it ran are theirs.
    people = select(Pair.mentor_id).where(col(Pair.team_id) == team_id, col(Pair.programme_id) == programme.id).union(
        select(Pair.mentee_id).where(col(Pair.team_id) == team_id, col(Pair.programme_id) == programme.id)
    )
    until = datetime.combine(programme.ends_on + timedelta(days=1), time(), tzinfo=now.tzinfo)
    theirs = (col(Outbox.team_id) == team_id, col(Outbox.recipient_id).in_(people), col(Outbox.created_at) < until)
    await session.exec(
        update(Outbox).where(*theirs, col(Outbox.status).in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED])).values(status=OutboxStatus.WITHDRAWN)
    )
    messages = await session.exec(update(Outbox).where(*theirs, col(Outbox.payload) != "").values(payload=""))
    erased += messages.rowcount
    return erased
