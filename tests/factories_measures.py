"""The validated measures' answers, written through the store's own function (store/measures.py)."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.measures import Wave
from domain.roles import Role
from prompts.measures import items_for
from store import measures
from store.models import Pair


async def answer_all(
    session: AsyncSession, *, pair: Pair, user_id: str, wave: Wave, score: int, now: datetime, skip: tuple[str, ...] = ()
) -> None:
    """Every item asked of the person's side, answered so that each scale scores `score` (reverse items as 8 - score)."""
    role = Role.MENTOR if user_id == pair.mentor_id else Role.MENTEE
    for item in items_for(role):
        if item.key in skip:
            continue
        value = 8 - score if item.reverse else score
        await measures.save_answer(session, team_id=pair.team_id, pair=pair, user_id=user_id, role=role, wave=wave, item_key=item.key, value=value, now=now)
