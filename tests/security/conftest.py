"""Two workspaces on one bot: T0FLIPSIDE with a whole programme under way, and T0OTHERTEAM whose
people have the same user ids (Slack user ids are unique per workspace, not across them).

The bot has one token, so its Web API calls for both land in the first workspace's stand-in: one
transcript of everything it said, whichever team asked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from domain.measures import Wave, wave_key
from domain.roles import Role
from domain.statuses import OutboxStatus, PairStatus
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Member, Workspace
from store import org_chart
from store.models import Charter, Enrolment, Outbox, ProgrammeAdmin, Topic
from store.org_chart import NewEntry
from tests.conftest import SIGNING_SECRET, START
from tests.factories import make_pair, make_person, make_programme
from tests.factories_sessions import make_action, make_goal, make_reflection, make_roadmap, make_session

TEAM_A = "T0FLIPSIDE"
TEAM_B = "T0OTHERTEAM"
SECRET = "TEAM-A-SECRET"  # in every private text of team A; programme A's name carries "TEAM-A" too
MARKER = "TEAM-A"
MENTOR, MENTEE, ADMIN, OTHER = "U0MENTOR", "U0MENTEE", "U0ADMIN", "U0OTHER"
EXTRA = (
    Member(id="U0MENTOR2", name="ines", real_name="Inès Duarte", tz="Europe/Lisbon"),
    Member(id="U0MENTEE2", name="raj", real_name="Raj Patel", tz="Europe/London"),
    Member(id="U0MENTOR3", name="kofi", real_name="Kofi Mensah", tz="Africa/Accra"),
    Member(id="U0MENTEE3", name="helen", real_name="Helen Ward", tz="Europe/London"),
    Member(id="U0MENTOR4", name="ama", real_name="Ama Owusu", tz="Europe/London"),  # reports to Helen
)


@dataclass(frozen=True)
class TeamA:
    programme_id: int
    pair_id: int
    paused_pair_id: int
    charter_id: int
    charter_version: int
    mentor_goal_id: int
    mentee_goal_id: int
    item_ids: list[int]
    item_keys: list[str]
    held_session_id: int
    booked_session_id: int
    mentor_action_id: int
    mentee_action_id: int


@pytest.fixture
def workspace(workspace: Workspace) -> Workspace:
    for member in EXTRA:
        workspace.add_member(member)
    return workspace


@pytest.fixture
def other_workspace(workspace: Workspace, clock: ManualClock) -> Workspace:
    other = Workspace(team_id=TEAM_B, team_name="Other Company", now=clock.now)
    for member in workspace.members.values():
        other.add_member(member)
    # One Web API stand-in serves both teams (the bot has one token): issue triggers where views.open checks them.
    other.new_trigger = workspace.new_trigger  # type: ignore[method-assign]
    return other


@pytest.fixture
async def other_slack(bot: Runtime, other_workspace: Workspace, slack_api: str) -> AsyncIterator[SlackRequests]:
    """Signed requests from team B's people (team B in every payload) to the same running bot."""
    requests = SlackRequests(
        workspace=other_workspace,
        bot_url=f"http://127.0.0.1:{bot.port}/slack/events",
        signing_secret=SIGNING_SECRET,
        response_base_url=slack_api.removesuffix("api/") + "response",
    )
    yield requests
    await requests.close()


async def seed_team_a(bot: Runtime) -> TeamA:
    """A programme well under way: a pair with charter, goals, roadmap, sessions, reflections and actions,
    a paused pair, and two enrolled people waiting for a match."""
    now = START
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=now - timedelta(days=30), name=f"{MARKER} cohort", admin_id=ADMIN)
        for user_id, tz in ((MENTOR, "Asia/Kolkata"), (MENTEE, "America/New_York"), (ADMIN, "Europe/London")):
            await make_person(session, user_id=user_id, tz=tz, now=now, department=f"{MARKER} department")
        pair = await make_pair(session, programme=programme, now=now - timedelta(days=30))
        paused = await make_pair(session, programme=programme, now=now - timedelta(days=30), mentor_id="U0MENTOR2", mentee_id="U0MENTEE2", status=PairStatus.PAUSED)
        for user_id, role in (("U0MENTOR3", Role.MENTOR), ("U0MENTEE3", Role.MENTEE), ("U0MENTOR4", Role.MENTOR)):
            session.add(Enrolment(team_id=TEAM_A, programme_id=programme.id, user_id=user_id, role=role, enrolled_at=now))
        # By the org chart Helen manages Ama, so pairing those two asks the admin first.
        await org_chart.replace_chart(session, team_id=TEAM_A, now=now, entries=[
            NewEntry("U0MENTEE3", "helen@example.com"), NewEntry("U0MENTOR4", "ama@example.com", "U0MENTEE3"),
        ])
        charter = Charter(
            team_id=TEAM_A, pair_id=pair.id, own_rules=f"{SECRET} rule", mentor_responsibilities=f"{SECRET} duty",
            mentor_agreed_at=now - timedelta(days=20), updated_by=MENTOR, updated_at=now - timedelta(days=20),
        )
        session.add(charter)
        topic = Topic(team_id=TEAM_A, pair_id=pair.id, title=f"{SECRET} topic", created_by=MENTOR)
        session.add(topic)
        await session.flush()
        items = await make_roadmap(
            session, pair=pair, topics=[(f"own:{topic.id}", f"{SECRET} topic"), ("lived-experience", "Lived experience of being under-represented"), ("hybrid-working", "Hybrid working in practice"), ("career-barriers-sponsorship", "Career barriers and sponsorship")]
        )
        mentor_goal = await make_goal(session, pair=pair, owner_id=MENTOR, text=f"{SECRET} mentor goal", updated_at=now - timedelta(days=20))
        mentee_goal = await make_goal(session, pair=pair, owner_id=MENTEE, text=f"{SECRET} mentee goal", updated_at=now - timedelta(days=20))
        held = await make_session(session, pair=pair, starts_at=now - timedelta(hours=5), status="held", location=f"{SECRET} room")
        booked = await make_session(session, pair=pair, starts_at=now + timedelta(days=3), location=f"{SECRET} room")
        await make_reflection(session, mentoring_session=held, author_id=MENTEE, safety=2, learning=f"{SECRET} learning", new_insight=True, shared=False)
        await make_reflection(session, mentoring_session=held, author_id=MENTOR, completed=False, step=1, started_at=now - timedelta(hours=3))
        mentor_action = await make_action(session, pair=pair, owner_id=MENTOR, text=f"{SECRET} mentor action", now=now - timedelta(days=1))
        mentee_action = await make_action(session, pair=pair, owner_id=MENTEE, text=f"{SECRET} mentee action", now=now - timedelta(days=1))
        # The validated measures' baseline, sent to the reverse-mentor (so its statements and form are open to her).
        session.add(Outbox(
            team_id=TEAM_A, key=wave_key(Wave.BASELINE, programme.id, pair.id, MENTOR), kind="measures_baseline", recipient_id=MENTOR,
            payload="{}", due_at=now - timedelta(days=1), status=OutboxStatus.SENT, sent_at=now - timedelta(days=1), created_at=now - timedelta(days=1),
        ))
        return TeamA(
            programme_id=programme.id, pair_id=pair.id, paused_pair_id=paused.id, charter_id=charter.id, charter_version=charter.version,
            mentor_goal_id=mentor_goal.id, mentee_goal_id=mentee_goal.id, item_ids=[item.id for item in items], item_keys=[item.topic_key for item in items],
            held_session_id=held.id, booked_session_id=booked.id, mentor_action_id=mentor_action.id, mentee_action_id=mentee_action.id,
        )


async def seed_team_b(bot: Runtime) -> int:
    """Team B runs its own programme, with U0OTHER as its admin (A's admin, U0ADMIN, is no one special there)."""
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=10), team_id=TEAM_B, name="Other cohort", admin_id=OTHER)
        result = await session.exec(select(ProgrammeAdmin).where(ProgrammeAdmin.team_id == TEAM_B))
        assert [admin.user_id for admin in result.all()] == [OTHER]
        return programme.id


@pytest.fixture
async def team_a(bot: Runtime) -> TeamA:
    return await seed_team_a(bot)
