"""Each side's goals: looking at them, the form to set them, saving them, and recording progress on one,
one transaction each. Words and the modals live in prompts/goals.py."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.pair_access import editable_pair, viewable_pair
from bot.rules.pair_access import Refusal, edit_refusal
from bot.services import Services
from bot.views import goal_view, goal_views
from domain.statuses import GoalProgress, PairStatus
from domain.views import GoalView
from store import events, goals, pairs
from store.goals import GoalDraft
from store.models import Goal


class GoalProblem(StrEnum):
    NOT_FOUND = "not_found"  # no such goal in this workspace (or a forged id)
    NOT_YOURS = "not_yours"  # the partner's goal: only its owner records progress on it


@dataclass(frozen=True)
class GoalsLook:
    """What `/mentor goals` shows: why not, or both sides' goals."""

    refusal: Refusal | None = None
    pair_id: int = 0
    mine: tuple[GoalView, ...] = ()
    partner_id: str = ""
    partners: tuple[GoalView, ...] = ()
    can_edit: bool = False


@dataclass(frozen=True)
class GoalsSaved:
    """A submitted goals form: refused, already saved (Submit pressed again), or saved."""

    refusal: Refusal | None = None
    repeat: bool = False
    partner_id: str = ""
    count: int = 0
    first: bool = False  # the person had no goals before: their partner hears of them


@dataclass(frozen=True)
class GoalChecked:
    """A goal someone means to record progress on: why not (a refusal or a problem), or the goal."""

    refusal: Refusal | None = None
    problem: GoalProblem | None = None
    goal: GoalView | None = None
    partner_id: str = ""
    repeat: bool = False  # progress submitted again: recorded already


async def look_at_goals(services: Services, *, team_id: str, user_id: str) -> GoalsLook:
    """The person's current pair's goals, theirs and their partner's."""
    async with services.sessions.begin() as session:
        pair, refusal = await viewable_pair(session, team_id=team_id, user_id=user_id)
        if refusal is not None or pair is None:
            return GoalsLook(refusal=refusal or Refusal.NO_PAIR)
        assert pair.id is not None
        both = await goals.goals_of_pair(session, team_id=team_id, pair_id=pair.id)
    partner_id = pairs.partner_of(pair, user_id)
    return GoalsLook(
        pair_id=pair.id,
        mine=goal_views(goal for goal in both if goal.owner_id == user_id),
        partner_id=partner_id,
        partners=goal_views(goal for goal in both if goal.owner_id == partner_id),
        can_edit=pair.status != PairStatus.PAUSED,
    )


async def goals_form(services: Services, *, team_id: str, user_id: str, pair_id: int | None) -> tuple[GoalView, ...] | Refusal:
    """The person's own goals for the form of the pair a button names, or why they may not change them."""
    async with services.sessions.begin() as session:
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        if refusal is not None or pair is None:
            return refusal or Refusal.NOT_IN_PAIR
        assert pair.id is not None
        return goal_views(await goals.goals_of(session, team_id=team_id, pair_id=pair.id, owner_id=user_id))


async def save_goals(
    services: Services, *, team_id: str, user_id: str, pair_id: int | None, view_id: str, drafts: list[tuple[str, str, int | None]]
) -> GoalsSaved:
    """Set the person's goals as the form has them (text, benefit to the organisation, the goal id it
    replaces), once however often Submit is pressed."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        if refusal is not None or pair is None:
            return GoalsSaved(refusal=refusal or Refusal.NOT_IN_PAIR)
        assert pair.id is not None
        partner_id = pairs.partner_of(pair, user_id)
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return GoalsSaved(repeat=True, partner_id=partner_id)
        before = await goals.goals_of(session, team_id=team_id, pair_id=pair.id, owner_id=user_id)
        wanted = [GoalDraft(text=text, org_benefit=benefit, goal_id=goal_id) for text, benefit, goal_id in drafts]
        saved = await goals.set_goals(session, team_id=team_id, pair_id=pair.id, owner_id=user_id, drafts=wanted, now=now)
    return GoalsSaved(partner_id=partner_id, count=len(saved), first=not before)


async def _own_goal(session: AsyncSession, *, team_id: str, user_id: str, goal_id: int | None) -> tuple[Goal | None, GoalChecked]:
    """The goal's row when it is this person's own to change, and what to tell them either way."""
    goal = await goals.get_goal(session, team_id=team_id, goal_id=goal_id) if goal_id is not None else None
    pair = await pairs.get_pair(session, team_id=team_id, pair_id=goal.pair_id) if goal is not None else None
    if goal is None or pair is None:
        return None, GoalChecked(problem=GoalProblem.NOT_FOUND)
    if (refusal := edit_refusal(pair, user_id)) is not None:
        return None, GoalChecked(refusal=refusal)
    if goal.owner_id != user_id:
        return None, GoalChecked(problem=GoalProblem.NOT_YOURS)
    return goal, GoalChecked(goal=goal_view(goal), partner_id=pairs.partner_of(pair, user_id))


async def goal_to_update(services: Services, *, team_id: str, user_id: str, goal_id: int | None) -> GoalChecked:
    """The goal an Update button names, if it is this person's own in a pair they may change."""
    async with services.sessions.begin() as session:
        return (await _own_goal(session, team_id=team_id, user_id=user_id, goal_id=goal_id))[1]


async def record_progress(
    services: Services, *, team_id: str, user_id: str, goal_id: int | None, view_id: str, progress: str, note: str
) -> GoalChecked:
    """Record progress on the person's own goal, once however often Submit is pressed."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        goal, checked = await _own_goal(session, team_id=team_id, user_id=user_id, goal_id=goal_id)
        if goal is None:
            return checked
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return GoalChecked(goal=checked.goal, partner_id=checked.partner_id, repeat=True)
        await goals.update_progress(session, goal=goal, progress=GoalProgress(progress), note=note, now=now)
    return checked
