"""The demo's answers to the validated measures: each pair's baseline after its charter was agreed and,
for pairs agreed before the half-way day, the mid-point, written through the store's own function.

Scores are drawn from a fixed seed around a level per person that rises by the mid-point (more for
some pairs than others, and falls for the struggling one), so the admin's "Did it work?" shows a
change with an interval, and an alpha that is high but not perfect.
"""

from __future__ import annotations

import random
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.measures import HIGHEST, LOWEST, Wave
from prompts.measures import items_for
from store import measures
from store.models import Pair
from store.pairs import role_in

SEED = 18


def _value(rng: random.Random, level: float, reverse: bool) -> int:
    value = min(HIGHEST, max(LOWEST, round(level + rng.uniform(-0.8, 0.8))))
    return LOWEST + HIGHEST - value if reverse else value


async def answer_wave(session: AsyncSession, rng: random.Random, *, pair: Pair, wave: Wave, levels: dict[str, float], at: datetime) -> None:
    """Both sides of the pair answer every statement of the wave around their level (one skipped now and then)."""
    for user_id in (pair.mentor_id, pair.mentee_id):
        role = role_in(pair, user_id)
        for item in items_for(role):
            value = None if rng.random() < 0.03 else _value(rng, levels[user_id], item.reverse)
            await measures.save_answer(
                session, team_id=pair.team_id, pair=pair, user_id=user_id, role=role, wave=wave, item_key=item.key, value=value, now=at
            )


async def seed_measures(session: AsyncSession, *, waves: list[tuple[Pair, datetime, datetime | None, float]]) -> None:
    """For each pair: (pair, when it answered the baseline, when the mid-point or None, the change by then)."""
    rng = random.Random(SEED)
    for pair, baseline_at, mid_at, change in waves:
        start = {user_id: rng.uniform(3.2, 4.8) for user_id in (pair.mentor_id, pair.mentee_id)}
        await answer_wave(session, rng, pair=pair, wave=Wave.BASELINE, levels=start, at=baseline_at)
        if mid_at is not None:
            later = {user_id: level + change + rng.uniform(-0.3, 0.3) for user_id, level in start.items()}
            await answer_wave(session, rng, pair=pair, wave=Wave.MID, levels=later, at=mid_at)
