"""Actions each side commits to, tracked to done. Owned by one person, visible to the pair."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import ActionStatus
from store.models import Action


async def create_action(
    session: AsyncSession,
    *,
    team_id: str,
    pair_id: int,
    owner_id: str,
    text: str,
    now: datetime,
    due_on: date | None = None,
    reflection_id: int | None = None,
    scope: str = "personal",
) -> Action:
    action = Action(
        team_id=team_id,
        pair_id=pair_id,
        owner_id=owner_id,
        text=text,
        due_on=due_on,
        reflection_id=reflection_id,
        scope=scope,
        created_at=now,
    )
    session.add(action)
    await session.flush()
    return action


async def get_action(session: AsyncSession, *, team_id: str, action_id: int) -> Action | None:
    result = await session.exec(select(Action).where(Action.team_id == team_id, Action.id == action_id))
    return result.first()


async def actions_of_pair(session: AsyncSession, *, team_id: str, pair_id: int) -> list[Action]:
    """Open and done actions (dropped ones are gone from view), open first, by due date."""
    result = await session.exec(
        select(Action)
        .where(Action.team_id == team_id, Action.pair_id == pair_id, Action.status != ActionStatus.DROPPED)
        .order_by(col(Action.id))
    )
    actions = list(result.all())
    return sorted(actions, key=lambda a: (a.status != ActionStatus.OPEN, a.due_on or date.max, a.id or 0))


async def open_actions(session: AsyncSession, *, team_id: str, pair_id: int) -> list[Action]:
    """The pair's open actions, soonest due first: for the mentor's pre-session agenda."""
    result = await session.exec(
        select(Action).where(Action.team_id == team_id, Action.pair_id == pair_id, Action.status == ActionStatus.OPEN).order_by(col(Action.id))
    )
    return sorted(result.all(), key=lambda a: (a.due_on or date.max, a.id or 0))


async def actions_of_reflection(session: AsyncSession, *, team_id: str, reflection_id: int) -> list[Action]:
    result = await session.exec(
        select(Action).where(Action.team_id == team_id, Action.reflection_id == reflection_id, Action.status != ActionStatus.DROPPED).order_by(col(Action.id))
    )
    return list(result.all())


async def set_status(session: AsyncSession, *, action: Action, status: ActionStatus, now: datetime) -> Action:
    action.status = status
    action.done_at = now if status is ActionStatus.DONE else None
    session.add(action)
    await session.flush()
    return action


async def update_action(session: AsyncSession, *, action: Action, text: str, due_on: date | None, scope: str) -> Action:
    action.text = text
    action.due_on = due_on
    action.scope = scope
    session.add(action)
    await session.flush()
    return action
