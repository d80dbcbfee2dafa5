"""The validated measures' answers: saved one at a time or a form at once, read back for one person
(their own progress) or a whole programme (the cohort's figures, through the disclosure gate)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import MeasureAnswer, Pair


async def save_answer(
    session: AsyncSession, *, team_id: str, pair: Pair, user_id: str, role: str, wave: str, item_key: str, value: int | None, now: datetime
) -> None:
    """Record (or replace) the person's answer to one item at a wave; None (skipped) removes an earlier answer."""
    existing = (
        await session.exec(
            select(MeasureAnswer).where(
                MeasureAnswer.team_id == team_id, MeasureAnswer.pair_id == pair.id, MeasureAnswer.user_id == user_id,
                MeasureAnswer.wave == wave, MeasureAnswer.item_key == item_key,
            )
        )
    ).first()
    if value is None:
        if existing is not None:
            await session.delete(existing)
        return
    if existing is None:
        existing = MeasureAnswer(
            team_id=team_id, programme_id=pair.programme_id, pair_id=pair.id or 0, user_id=user_id, role=role, wave=wave,
            item_key=item_key, value=value, answered_at=now,
        )
    existing.value = value
    existing.answered_at = now
    session.add(existing)
    await session.flush()


async def wave_answers(session: AsyncSession, *, team_id: str, pair_id: int, user_id: str, wave: str) -> dict[str, int]:
    """The person's answers at one wave for one pair, by item key."""
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
