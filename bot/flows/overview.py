"""Where a person stands in their pair: everything Home and help show, read in one place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.programme_scope import pair_in_scope
from bot.flows.reflection_conversation import WINDOW as REFLECTION_WINDOW
from bot.rules.next_step import next_step
from bot.views import action_view, charter_view, goal_views, roadmap_view
from domain.next_step import NextStep, PairProgress
from domain.roles import Role
from domain.statuses import PairStatus, SessionStatus
from domain.views import ActionView, PairView
from store import actions, charters, goals, pairs, reflections, roadmap, sessions
from store.models import Action, Charter, Goal, MentoringSession, Pair, RoadmapItem


@dataclass(frozen=True)
class PairOverview:
    pair: Pair
    user_id: str
    role: Role
    partner_id: str
    charter: Charter | None
    my_goals: list[Goal] = field(default_factory=list)
    partner_goals: list[Goal] = field(default_factory=list)
    roadmap: list[RoadmapItem] = field(default_factory=list)
    progress: PairProgress = field(default_factory=PairProgress)
    next_session: MentoringSession | None = None
    my_open_actions: list[ActionView] = field(default_factory=list)
    partner_open_actions: int = 0

    @property
    def next_step(self) -> NextStep:
        return next_step(self.progress)

    @property
    def step_session_id(self) -> int | None:
        """The session the next step is about: the one to confirm, or the one to reflect on."""
        return {NextStep.CONFIRM_SESSION: self.progress.to_confirm, NextStep.FINISH_REFLECTION: self.progress.to_reflect}.get(self.next_step)

    @property
    def partner_role(self) -> Role:
        return Role.MENTEE if self.role is Role.MENTOR else Role.MENTOR

    def view(self) -> PairView:
        """The overview as words read it: records, not rows, with the next step already chosen."""
        assert self.pair.id is not None
        return PairView(
            pair_id=self.pair.id,
            user_id=self.user_id,
            role=self.role,
            partner_id=self.partner_id,
            charter=charter_view(self.charter) if self.charter is not None else None,
            my_goals=goal_views(self.my_goals),
            partner_goals=goal_views(self.partner_goals),
            roadmap=roadmap_view(self.roadmap),
            progress=self.progress,
            next_step=self.next_step,
            step_session_id=self.step_session_id,
            my_open_actions=tuple(self.my_open_actions),
            partner_open_actions=self.partner_open_actions,
        )


def next_session(rows: Iterable[MentoringSession], now: datetime) -> MentoringSession | None:
    """The soonest booked session still to start: one that has started can no longer be moved or
    cancelled, so it is not "next" (it waits for its reflection instead)."""
    upcoming = [row for row in rows if row.status == SessionStatus.BOOKED and row.starts_at > now]
    return min(upcoming, key=lambda row: (row.starts_at, row.id or 0), default=None)


def _confirmed_by(row: MentoringSession, role: Role) -> bool:
    return row.mentor_confirmed if role is Role.MENTOR else row.mentee_confirmed


def to_confirm(rows: Iterable[MentoringSession], *, role: Role, now: datetime) -> MentoringSession | None:
    """The soonest session still to start that waits for this side's Confirm (whoever books or moves
    a session has confirmed it: it waits on the partner)."""
    waiting = [row for row in rows if row.status == SessionStatus.BOOKED and row.starts_at > now and not _confirmed_by(row, role)]
    return min(waiting, key=lambda row: (row.starts_at, row.id or 0), default=None)


def _by_due_date(action: Action) -> tuple[bool, date, int]:
    return (action.due_on is None, action.due_on or date.max, action.id or 0)


@dataclass(frozen=True)
class PairRecords:
    """What both members' overviews are made of: read once when both Homes are republished."""

    pair: Pair
    charter: Charter | None
    goals: list[Goal]
    roadmap: list[RoadmapItem]
    open_actions: list[Action]
    booked: list[MentoringSession]
    met: bool
    last_ended: MentoringSession | None  # the session `/mentor reflect` is about, while its reflection is still open
    reflected: set[str]  # who finished their reflection on it


async def load_overviews(session: AsyncSession, *, team_id: str, user_ids: Sequence[str], now: datetime) -> dict[str, PairOverview | None]:
    """Each person's current pair seen from their side at `now` (None when not in a pair); a pair's
    records are read once for both its members."""
    records: dict[int, PairRecords] = {}
    found: dict[str, PairOverview | None] = {}
    for user_id in user_ids:
        pair = await pair_in_scope(session, team_id=team_id, user_id=user_id)
        if pair is None or pair.id is None:
            found[user_id] = None
            continue
        if pair.id not in records:
            records[pair.id] = await load_pair_records(session, pair=pair, now=now)
        found[user_id] = overview_from(records[pair.id], user_id=user_id, now=now)
    return found


async def load_pair_records(session: AsyncSession, *, pair: Pair, now: datetime) -> PairRecords:
    assert pair.id is not None
    team_id, pair_id = pair.team_id, pair.id
    last_ended = await reflections.last_ended_session(session, team_id=team_id, pair_id=pair_id, now=now)
    if last_ended is not None and (last_ended.status not in reflections.OPEN_STATUSES or reflections.session_end(last_ended) < now - REFLECTION_WINDOW):
        last_ended = None  # called off, or too long ago to reflect on
    return PairRecords(
        pair=pair,
        charter=await charters.get_charter(session, team_id=team_id, pair_id=pair_id),
        goals=await goals.goals_of_pair(session, team_id=team_id, pair_id=pair_id),
        roadmap=await roadmap.roadmap_items(session, team_id=team_id, pair_id=pair_id),
        open_actions=await actions.open_actions(session, team_id=team_id, pair_id=pair_id),
        booked=await sessions.booked_sessions(session, team_id=team_id, pair_id=pair_id),
        met=await sessions.has_met(session, team_id=team_id, pair_id=pair_id, now=now),
        last_ended=last_ended,
        reflected=await reflections.finished_by(session, team_id=team_id, session_id=last_ended.id) if last_ended is not None else set(),
    )


def overview_from(records: PairRecords, *, user_id: str, now: datetime) -> PairOverview:
    """One member's view of the pair's records at `now`."""
    pair, charter, all_goals, open_actions = records.pair, records.charter, records.goals, records.open_actions
    role = pairs.role_in(pair, user_id)
    partner_id = pairs.partner_of(pair, user_id)
    upcoming = next_session(records.booked, now)
    waiting = to_confirm(records.booked, role=role, now=now)
    last_ended = records.last_ended
    progress = PairProgress(
        has_charter=charter is not None,
        i_agreed_charter=charter is not None and charters.agreed_by(charter, role),
        partner_agreed_charter=charter is not None and charters.agreed_by(charter, Role.MENTEE if role is Role.MENTOR else Role.MENTOR),
        my_goals=sum(1 for goal in all_goals if goal.owner_id == user_id),
        roadmap_topics=len(records.roadmap),
        i_agreed_roadmap=roadmap.roadmap_agreed_by(pair, role),
        partner_agreed_roadmap=roadmap.roadmap_agreed_by(pair, Role.MENTEE if role is Role.MENTOR else Role.MENTOR),
        met=records.met,
        session_ahead=upcoming is not None,
        to_confirm=waiting.id if waiting is not None else None,
        to_reflect=last_ended.id if last_ended is not None and user_id not in records.reflected else None,
        paused=pair.status == PairStatus.PAUSED,
    )
    return PairOverview(
        pair=pair,
        user_id=user_id,
        role=role,
        partner_id=partner_id,
        charter=charter,
        my_goals=[goal for goal in all_goals if goal.owner_id == user_id],
        partner_goals=[goal for goal in all_goals if goal.owner_id == partner_id],
        roadmap=records.roadmap,
        progress=progress,
        next_session=upcoming,
        my_open_actions=[action_view(action) for action in sorted((action for action in open_actions if action.owner_id == user_id), key=_by_due_date)],
        partner_open_actions=sum(1 for action in open_actions if action.owner_id == partner_id),
    )
