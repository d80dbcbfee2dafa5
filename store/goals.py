"""Personal goals: one to three a person, each with what they hope the organisation gains, and progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import GoalProgress
from store.models import Goal

MAX_GOALS = 3


class TooManyGoals(ValueError):
    pass


@dataclass(frozen=True)
class GoalDraft:
    """One goal as written in the form; `goal_id` when it rewrites a goal already saved."""

    text: str
    org_benefit: str = ""
    goal_id: int | None = None


async def goals_of_pair(session: AsyncSession, *, team_id: str, pair_id: int) -> list[Goal]:
    result = await session.exec(select(Goal).where(Goal.team_id == team_id, Goal.pair_id == pair_id).order_by(Goal.id))  # type: ignore[arg-type]
    return list(result.all())


async def goals_of(session: AsyncSession, *, team_id: str, pair_id: int, owner_id: str) -> list[Goal]:
    return [goal for goal in await goals_of_pair(session, team_id=team_id, pair_id=pair_id) if goal.owner_id == owner_id]


async def get_goal(session: AsyncSession, *, team_id: str, goal_id: int) -> Goal | None:
    result = await session.exec(select(Goal).where(Goal.team_id == team_id, Goal.id == goal_id))
    return result.first()


async def set_goals(
    session: AsyncSession, *, team_id: str, pair_id: int, owner_id: str, drafts: list[GoalDraft], now: datetime
) -> list[Goal]:
    """Make the person's goals these drafts: rewrite those kept (their progress stays), add new ones,
    remove the rest. Refuses more than three."""
    if len(drafts) > MAX_GOALS:
        raise TooManyGoals(f"at most {MAX_GOALS} goals")
    existing = {goal.id: goal for goal in await goals_of(session, team_id=team_id, pair_id=pair_id, owner_id=owner_id)}
    kept: list[Goal] = []
    for draft in drafts:
        goal = existing.pop(draft.goal_id, None) if draft.goal_id is not None else None
        if goal is None:
            goal = Goal(team_id=team_id, pair_id=pair_id, owner_id=owner_id, text=draft.text, created_at=now, updated_at=now)
        if goal.text != draft.text or goal.org_benefit != draft.org_benefit:
            goal.updated_at = now
        goal.text = draft.text
        goal.org_benefit = draft.org_benefit
        session.add(goal)
        kept.append(goal)
    for goal in existing.values():
        await session.delete(goal)
    await session.flush()
    return kept


async def update_progress(session: AsyncSession, *, goal: Goal, progress: GoalProgress, note: str, now: datetime) -> Goal:
    goal.progress = progress
    goal.note = note
    goal.updated_at = now
    session.add(goal)
    await session.flush()
    return goal
