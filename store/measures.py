"""The validated measures' answers: saved one at a time or a form at once, read back for one person
(their own progress) or a whole programme (the cohort's figures, through the disclosure gate)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import PairStatus
from store.models import Charter, MeasureAnswer, Pair


async def save_answer(
    session: AsyncSession, *, team_id: str, pair: Pair, user_id: str, role: str, wave: str, item_key: str, value: int | None, now: datetime
) -> bool:
    """Record the person's answer to one item at a wave (None: skipped), replacing an earlier one; False
    when it was already so (a second click), and nothing is written."""
    insert = postgres_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    inserted = await session.exec(
        insert(MeasureAnswer)
        .values(
            team_id=team_id, programme_id=pair.programme_id, pair_id=pair.id or 0, user_id=user_id, role=role, wave=wave,
            item_key=item_key, value=value, answered_at=now,
        )
        .on_conflict_do_nothing(index_elements=["pair_id", "user_id", "wave", "item_key"])
    )
    if inserted.rowcount == 1:
        return True
    changed = await session.exec(
        update(MeasureAnswer)
        .where(
            col(MeasureAnswer.team_id) == team_id, col(MeasureAnswer.pair_id) == pair.id, col(MeasureAnswer.user_id) == user_id,
            col(MeasureAnswer.wave) == wave, col(MeasureAnswer.item_key) == item_key, col(MeasureAnswer.value).is_distinct_from(value),
        )
        .values(value=value, answered_at=now)
    )
    return changed.rowcount == 1


async def wave_answers(session: AsyncSession, *, team_id: str, pair_id: int, user_id: str, wave: str) -> dict[str, int | None]:
    """The person's answers at one wave for one pair, by item key (None: skipped)."""
    rows = await session.exec(
        select(MeasureAnswer).where(
            MeasureAnswer.team_id == team_id, MeasureAnswer.pair_id == pair_id, MeasureAnswer.user_id == user_id, MeasureAnswer.wave == wave
        )
    )
    return {row.item_key: row.value for row in rows.all()}


async def own_answers(session: AsyncSession, *, team_id: str, user_id: str) -> list[MeasureAnswer]:
    """Every answer this person gave, in any programme of the workspace: theirs alone."""
    rows = await session.exec(
        select(MeasureAnswer).where(MeasureAnswer.team_id == team_id, MeasureAnswer.user_id == user_id).order_by(col(MeasureAnswer.id))
    )
    return list(rows.all())


async def programme_answers(session: AsyncSession, *, team_id: str, programme_id: int) -> list[MeasureAnswer]:
    """Every answer in a programme, for the cohort's figures (only ever shown through the disclosure gate)."""
    rows = await session.exec(
        select(MeasureAnswer).where(MeasureAnswer.team_id == team_id, MeasureAnswer.programme_id == programme_id).order_by(col(MeasureAnswer.id))
    )
    return list(rows.all())


async def pairs_with_charter_agreed(session: AsyncSession, *, team_id: str, programme_id: int) -> list[Pair]:
    """The programme's open pairs whose charter both sides have agreed: who is asked at the baseline."""
    rows = await session.exec(
        select(Pair)
        .join(Charter, col(Charter.pair_id) == col(Pair.id))
        .where(
            Pair.team_id == team_id, Pair.programme_id == programme_id, Pair.status != PairStatus.ENDED,
            col(Charter.mentor_agreed_at).is_not(None), col(Charter.mentee_agreed_at).is_not(None),
        )
        .order_by(col(Pair.id))
    )
    return list(rows.all())
