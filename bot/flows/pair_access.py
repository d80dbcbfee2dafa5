"""The pair a button or form names, or the person's current pair, read and checked against who may
change or look at it (bot/rules/pair_access.py)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.programme_scope import pair_in_scope
from bot.rules.pair_access import Refusal, edit_refusal, view_refusal
from store import pairs
from store.models import Pair


async def editable_pair(
    session: AsyncSession, *, team_id: str, user_id: str, pair_id: int | None
) -> tuple[Pair | None, Refusal | None]:
    """The pair a button or form names, and why this person may not change it (None when they may).

    A pair in another workspace, or one they are not in, reads as not theirs."""
    pair = await pairs.get_pair(session, team_id=team_id, pair_id=pair_id) if pair_id is not None else None
    if pair is None:
        return None, Refusal.NOT_IN_PAIR
    return pair, edit_refusal(pair, user_id)


async def viewable_pair(session: AsyncSession, *, team_id: str, user_id: str) -> tuple[Pair | None, Refusal | None]:
    """The person's current pair, to look at, and why they may not (None when they may)."""
    pair = await pair_in_scope(session, team_id=team_id, user_id=user_id)
    refusal = view_refusal(pair, user_id)
    return (pair, None) if refusal is None else (None, refusal)
