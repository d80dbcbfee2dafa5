"""`--demo`: a programme already ten weeks in, so every screen and the admin report have data.

Four pairs at different stages:
- Kwame and Diana were paired two days ago and have agreed nothing yet;
- Léo and Helen agreed their charter, goals and roadmap, and have their first session booked;
- Priya and Tom have held three sessions, reflected on them, and have actions under way;
- Sofía and Arjun are struggling: after their first session, Arjun cancelled the next two in a row.
Yuki is enrolled as a mentor and waiting for a partner; Noah is not enrolled. Six more pairs, the rest
of the cohort, meet quietly in the background. The programme runs 18 weeks, so its half-way day has
passed: everyone whose charter was agreed by then answered the validated measures at the start and at
the mid-point (sandbox/demo_measures.py), and the admin's "Did it work?" is filled in.

Beside it runs a second programme, the "Board pilot": three weeks in, with its own rhythm (45-minute
sessions every 30 days, reminders two days and two hours before). Priya reverse-mentors Noah there
too, so she is in two programmes: her replies, Home and reminders say which one each is about (her
commands, and those of Amara, who runs both, start out about the main programme, as if chosen).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.rules.quiet_hours import WorkingHours
from domain.roles import Led, Role
from domain.statuses import ActionStatus, GoalProgress, SessionStatus
from sandbox.demo_measures import seed_measures
from sandbox.directory import ADMIN_ID, COHORT_PAIRS, EVERYONE, zone_of
from store.models import (
    Action,
    Charter,
    Enrolment,
    Goal,
    MentoringSession,
    Pair,
    Person,
    Programme,
    ProgrammeAdmin,
    ProgrammeChoice,
    Reflection,
    RoadmapItem,
)

PROGRAMME_NAME = "Reverse mentoring 2026"
PILOT_NAME = "Board pilot"
PROGRAMME_WEEKS = 18
MID_POINT_WEEKS = PROGRAMME_WEEKS / 2


@dataclass
class DemoResult:
    seeded: bool
    message: str
    pair_ids: dict[str, int] = field(default_factory=dict)


def _topic_titles() -> dict[str, str]:
    import json
    from importlib import resources

    with resources.files("prompts").joinpath("data/topics.json").open(encoding="utf-8") as handle:
        return {topic["key"]: topic["title"] for topic in json.load(handle)}


SLOT = timedelta(minutes=30)
HOURS = WorkingHours()  # the programme's working hours: the demo keeps Programme's defaults
SLOTS_SEARCHED = 7 * 48  # a week of half hours
A_DAY_AWAY = 24 * 60  # how far outside working hours a weekend is, in minutes


def minutes_outside(when: datetime, tz: str, hours: WorkingHours = HOURS) -> int:
    """How far a whole or half hour is from being a start inside the person's working day: 0 inside."""
    local = when.astimezone(ZoneInfo(tz))
    if local.weekday() >= 5:
        return A_DAY_AWAY
    minute = local.hour * 60 + local.minute
    return max(0, hours.start_hour * 60 - minute, minute - hours.end_hour * 60 + 30)


def meeting_slot(after: datetime, zones: tuple[str, str], *, hours: WorkingHours = HOURS) -> datetime:
    """When a pair would meet, at or after `after`: the first whole or half hour on a weekday that
    starts inside both people's working hours (the programme's, 08:00 to 19:00 by default). When
    their working days never overlap (Mexico City's and Kolkata's), the nearest to both, inside the
    first person's day."""
    first = after.astimezone(UTC).replace(second=0, microsecond=0)
    first += timedelta(minutes=-first.minute % 30)

    def cost(start: datetime) -> tuple[int, int, datetime]:
        apart = [minutes_outside(start, tz, hours) for tz in zones]
        return sum(apart), apart[0], start

    return min((first + SLOT * step for step in range(SLOTS_SEARCHED)), key=cost)


async def seed_demo(sessions: async_sessionmaker[AsyncSession], *, team_id: str, now: datetime) -> DemoResult:
    """Seed the demo programme in one transaction; refuse (and say so) when a programme exists."""
    async with sessions.begin() as session:
        existing = (await session.exec(select(Programme).where(Programme.team_id == team_id))).first()
        if existing is not None:
            return DemoResult(
                seeded=False,
                message=f"The database already has a programme ({existing.name!r}), so the demo was not seeded again. "
                "Start with --reset --demo for a fresh demo.",
            )
        pair_ids = await _seed(session, team_id=team_id, now=now)
        pair_ids["pilot"] = await _seed_pilot(session, team_id=team_id, now=now)
        # Priya's commands, and Amara's (she runs both), are about the main programme, as if each had
        # chosen it (`/mentor programme`): the walks in docs/sandbox.md are about it.
        main = (await session.exec(select(Programme).where(Programme.team_id == team_id, Programme.name == PROGRAMME_NAME))).one()
        session.add_all([ProgrammeChoice(team_id=team_id, user_id=user_id, programme_id=main.id) for user_id in ("U0PRIYA", ADMIN_ID)])
    return DemoResult(
        seeded=True, pair_ids=pair_ids,
        message=f"Seeded the demo programmes {PROGRAMME_NAME!r} with {len(pair_ids) - 1} pairs and {PILOT_NAME!r} beside it with one.",
    )


async def _seed_pilot(session: AsyncSession, *, team_id: str, now: datetime) -> int:
    """The second programme: Priya and Noah, charter agreed, their first session booked."""
    started = now - timedelta(weeks=3)
    pilot = Programme(
        team_id=team_id, name=PILOT_NAME, starts_on=started.date(), ends_on=(started + timedelta(weeks=12)).date(),
        cadence_days=30, session_minutes=45, reminder_minutes="2880,120", created_by=ADMIN_ID, created_at=started,
    )
    session.add(pilot)
    await session.flush()
    assert pilot.id is not None
    session.add(ProgrammeAdmin(team_id=team_id, programme_id=pilot.id, user_id=ADMIN_ID))
    session.add_all([
        Enrolment(team_id=team_id, programme_id=pilot.id, user_id="U0PRIYA", role=Role.MENTOR, enrolled_at=started),
        Enrolment(team_id=team_id, programme_id=pilot.id, user_id="U0NOAH", role=Role.MENTEE, enrolled_at=started),
    ])
    row = Pair(team_id=team_id, programme_id=pilot.id, mentor_id="U0PRIYA", mentee_id="U0NOAH", created_at=started + timedelta(days=1))
    session.add(row)
    await session.flush()
    agreed = started + timedelta(days=3)
    session.add(Charter(
        team_id=team_id, pair_id=row.id, driver=Role.MENTEE, cadence_days=30, session_minutes=45, format="video", confidentiality=True,
        ground_rules="confidential-unless-agreed,mentor-leads", mentor_responsibilities="Bring one story from the front line.",
        mentee_responsibilities="Keep the slot; come with a question from this month's board papers.",
        mentor_agreed_at=agreed, mentee_agreed_at=agreed, updated_by="U0NOAH", updated_at=agreed,
    ))
    starts = meeting_slot(now + timedelta(days=3), (zone_of("U0PRIYA"), zone_of("U0NOAH")))
    session.add(MentoringSession(team_id=team_id, pair_id=row.id, starts_at=starts, minutes=45, status=SessionStatus.BOOKED,
                                 booked_by="U0NOAH", created_at=now - timedelta(days=1)))
    await session.flush()
    assert row.id is not None
    return row.id


async def _seed(session: AsyncSession, *, team_id: str, now: datetime) -> dict[str, int]:
    titles = _topic_titles()
    started = now - timedelta(weeks=10)
    programme = Programme(
        team_id=team_id,
        name=PROGRAMME_NAME,
        starts_on=started.date(),
        ends_on=(started + timedelta(weeks=PROGRAMME_WEEKS)).date(),
        cadence_days=21,
        created_by=ADMIN_ID,
        created_at=started,
    )
    session.add(programme)
    await session.flush()
    assert programme.id is not None
    session.add(ProgrammeAdmin(team_id=team_id, programme_id=programme.id, user_id=ADMIN_ID))
    for member in EVERYONE:
        session.add(Person(team_id=team_id, user_id=member.id, name=member.real_name, tz=member.tz, department=member.department, updated_at=now))

    roles = {member.id: role for pair in COHORT_PAIRS for member, role in zip(pair, (Role.MENTOR, Role.MENTEE), strict=True)}
    roles |= {"U0PRIYA": Role.MENTOR, "U0LEO": Role.MENTOR, "U0KWAME": Role.MENTOR, "U0SOFIA": Role.MENTOR, "U0YUKI": Role.MENTOR,
             "U0TOM": Role.MENTEE, "U0HELEN": Role.MENTEE, "U0DIANA": Role.MENTEE, "U0ARJUN": Role.MENTEE}
    for user_id, role in roles.items():
        session.add(Enrolment(team_id=team_id, programme_id=programme.id, user_id=user_id, role=role, enrolled_at=started))

    async def pair(mentor_id: str, mentee_id: str, created: datetime) -> Pair:
        row = Pair(team_id=team_id, programme_id=programme.id, mentor_id=mentor_id, mentee_id=mentee_id, created_at=created)
        session.add(row)
        await session.flush()
        return row

    def charter(row: Pair, agreed: datetime, *, driver: str, cadence_days: int) -> Charter:
        return Charter(
            team_id=team_id, pair_id=row.id, driver=driver, cadence_days=cadence_days, session_minutes=60, format="video",
            confidentiality=True, ground_rules="confidential-unless-agreed,no-naive-questions,mentor-leads,both-take-something-away",
            mentor_responsibilities="Bring a topic and a story from my own experience; send the agenda the day before.",
            mentee_responsibilities="Protect the time; book the next session before this one ends; listen first.",
            mentor_agreed_at=agreed, mentee_agreed_at=agreed + timedelta(hours=3), updated_by=row.mentor_id, updated_at=agreed,
        )

    def roadmap(row: Pair, keys: list[str]) -> list[RoadmapItem]:
        items = [RoadmapItem(team_id=team_id, pair_id=row.id, topic_key=key, title=titles.get(key, key), position=index)
                 for index, key in enumerate(keys, start=1)]
        session.add_all(items)
        return items

    def meeting(row: Pair, around: datetime, status: str, *, topic_key: str = "", booked_by: str, **extra: object) -> MentoringSession:
        """A session at the pair's first good slot from `around` on (see `meeting_slot`)."""
        starts = meeting_slot(around, (zone_of(row.mentor_id), zone_of(row.mentee_id)))
        item = MentoringSession(team_id=team_id, pair_id=row.id, starts_at=starts, minutes=60, topic_key=topic_key,
                                topic=titles.get(topic_key, ""), status=status, booked_by=booked_by,
                                created_at=starts - timedelta(days=7), **extra)
        session.add(item)
        return item

    # 1. Just paired: nothing agreed yet.
    just_paired = await pair("U0KWAME", "U0DIANA", now - timedelta(days=2))

    # 2. Charter, goals and roadmap agreed; the first session booked for five days or so ahead.
    agreed = await pair("U0LEO", "U0HELEN", now - timedelta(days=12))
    agreed_at = now - timedelta(days=9)
    agreed.roadmap_mentor_agreed_at = agreed.roadmap_mentee_agreed_at = agreed_at
    session.add(charter(agreed, agreed_at, driver=Role.MENTEE, cadence_days=21))
    session.add_all([
        Goal(team_id=team_id, pair_id=agreed.id, owner_id="U0HELEN", text="Understand why our graduate hires leave in their first two years",
             org_benefit="Better retention of early-career talent", created_at=agreed_at, updated_at=agreed_at),
        Goal(team_id=team_id, pair_id=agreed.id, owner_id="U0LEO", text="Get more confident presenting to senior leaders",
             created_at=agreed_at, updated_at=agreed_at),
    ])
    roadmap(agreed, ["generational-expectations", "hybrid-working", "how-leaders-come-across", "career-barriers-sponsorship"])
    meeting(agreed, now + timedelta(days=5), SessionStatus.BOOKED, topic_key="generational-expectations", booked_by="U0HELEN")

    # 3. Under way: three sessions held and reflected on, actions in progress, the next one booked at
    #    their next slot a couple of hours or more ahead (08:00 in New York is evening in Kolkata).
    thriving = await pair("U0PRIYA", "U0TOM", started + timedelta(days=3))
    agreed_at = started + timedelta(days=5)
    thriving.roadmap_mentor_agreed_at = thriving.roadmap_mentee_agreed_at = agreed_at
    session.add(charter(thriving, agreed_at, driver=Role.MENTOR, cadence_days=14))
    session.add_all([
        Goal(team_id=team_id, pair_id=thriving.id, owner_id="U0TOM", text="Run meetings where everyone gets heard, not just the loudest",
             org_benefit="More ideas from the whole team", progress=GoalProgress.UNDER_WAY, created_at=agreed_at, updated_at=now - timedelta(days=6)),
        Goal(team_id=team_id, pair_id=thriving.id, owner_id="U0PRIYA", text="Understand how operational decisions get made at the top",
             progress=GoalProgress.UNDER_WAY, created_at=agreed_at, updated_at=now - timedelta(days=6)),
    ])
    items = roadmap(thriving, ["inclusive-meetings", "lived-experience", "ai-tools-at-work", "feedback-and-speaking-up"])
    held = []
    for weeks_ago, item, led, safety, insight in ((8, items[0], Led.MENTOR, 4, True), (5, items[1], Led.BALANCED, 4, True), (2, items[2], Led.MENTOR, 5, False)):
        held_session = meeting(thriving, now - timedelta(weeks=weeks_ago), SessionStatus.HELD, topic_key=item.topic_key, booked_by="U0PRIYA",
                               mentor_confirmed=True, mentee_confirmed=True)
        await session.flush()
        starts = held_session.starts_at
        item.covered_session_id, item.covered_at = held_session.id, starts + timedelta(hours=1)
        for author in ("U0PRIYA", "U0TOM"):
            session.add(Reflection(
                team_id=team_id, session_id=held_session.id, pair_id=thriving.id, author_id=author, took_place="yes", led_by=led,
                safety=safety, topic_key=item.topic_key, new_insight=insight, shared=author == "U0PRIYA",
                learning="Small changes to how a meeting starts decide who speaks in it." if author == "U0TOM" else
                "Tom asked good questions and really listened.",
                started_at=starts + timedelta(hours=1, minutes=15), completed_at=starts + timedelta(hours=1, minutes=25),
            ))
        held.append(held_session)
    await session.flush()
    first_reflection = (await session.exec(select(Reflection).where(Reflection.session_id == held[0].id, Reflection.author_id == "U0TOM"))).one()
    session.add_all([
        Action(team_id=team_id, pair_id=thriving.id, owner_id="U0TOM", text="Start each leadership meeting with a round where everyone speaks once",
               scope="organisational", due_on=(now - timedelta(weeks=4)).date(), status=ActionStatus.DONE, reflection_id=first_reflection.id,
               created_at=held[0].starts_at, done_at=now - timedelta(weeks=5)),
        Action(team_id=team_id, pair_id=thriving.id, owner_id="U0TOM", text="Ask the ops graduates which AI tools they already use",
               scope="personal", due_on=(now + timedelta(days=4)).date(), created_at=held[2].starts_at),
        Action(team_id=team_id, pair_id=thriving.id, owner_id="U0PRIYA", text="Share two examples of inclusive meeting habits from other teams",
               scope="personal", due_on=(now - timedelta(days=3)).date(), created_at=held[1].starts_at),
    ])
    meeting(thriving, now + timedelta(hours=2), SessionStatus.BOOKED, topic_key=items[3].topic_key, booked_by="U0PRIYA")

    # 4. Struggling: one session held, then two cancelled in a row by the mentee; nothing booked.
    #    Mexico City's and Kolkata's working days never overlap: they meet at 08:00 Sofía's time.
    struggling = await pair("U0SOFIA", "U0ARJUN", started + timedelta(days=4))
    agreed_at = started + timedelta(days=8)
    struggling.roadmap_mentor_agreed_at = struggling.roadmap_mentee_agreed_at = agreed_at
    session.add(charter(struggling, agreed_at, driver=Role.MENTEE, cadence_days=21))
    session.add(Goal(team_id=team_id, pair_id=struggling.id, owner_id="U0ARJUN", text="Hear what our customers' frustrations look like from the support desk",
                     created_at=agreed_at, updated_at=agreed_at))
    items = roadmap(struggling, ["view-from-the-front-line", "customer-trends", "belonging-and-everyday-culture"])
    first = meeting(struggling, now - timedelta(weeks=7), SessionStatus.HELD, topic_key=items[0].topic_key, booked_by="U0ARJUN",
                    mentor_confirmed=True, mentee_confirmed=True)
    await session.flush()
    items[0].covered_session_id, items[0].covered_at = first.id, first.starts_at + timedelta(hours=1)
    session.add(Reflection(team_id=team_id, session_id=first.id, pair_id=struggling.id, author_id="U0SOFIA", took_place="yes", led_by=Led.MENTEE,
                           safety=2, topic_key=items[0].topic_key, new_insight=False, learning="",
                           started_at=first.starts_at + timedelta(hours=1), completed_at=first.starts_at + timedelta(hours=1, minutes=10)))
    for weeks_ago, reason in ((4, "Board preparation ran over."), (1, "Travelling; I will rebook.")):
        cancelled = meeting(struggling, now - timedelta(weeks=weeks_ago), SessionStatus.CANCELLED, topic_key=items[1].topic_key,
                            booked_by="U0ARJUN", cancelled_by="U0ARJUN", cancel_reason=reason, late_cancel=True)
        cancelled.cancelled_at = cancelled.starts_at - timedelta(hours=3)

    # 5. The rest of the cohort: charter and roadmap agreed in the first week, a session every three weeks
    #    on the next roadmap topic, both sides reflecting, and the next one booked.
    cohort: list[Pair] = []
    for index, (mentor, mentee) in enumerate(COHORT_PAIRS):
        row = await pair(mentor.id, mentee.id, started + timedelta(days=2))
        agreed_at = started + timedelta(days=4 + index % 3)
        row.roadmap_mentor_agreed_at = row.roadmap_mentee_agreed_at = agreed_at
        session.add(charter(row, agreed_at, driver=Role.MENTEE, cadence_days=21))
        items = roadmap(row, ["lived-experience", "inclusive-meetings", "feedback-and-speaking-up", "hybrid-working"])
        for item, weeks_ago, led in zip(items, (8, 5, 2), (Led.MENTOR, Led.BALANCED, Led.MENTOR), strict=False):
            held_session = meeting(row, now - timedelta(weeks=weeks_ago), SessionStatus.HELD, topic_key=item.topic_key, booked_by=mentee.id,
                                   mentor_confirmed=True, mentee_confirmed=True)
            await session.flush()
            starts = held_session.starts_at
            item.covered_session_id, item.covered_at = held_session.id, starts + timedelta(hours=1)
            session.add_all([
                Reflection(team_id=team_id, session_id=held_session.id, pair_id=row.id, author_id=author, took_place="yes", led_by=led,
                           safety=4 + (index + weeks_ago) % 2, topic_key=item.topic_key, new_insight=True, learning="",
                           started_at=starts + timedelta(hours=2), completed_at=starts + timedelta(hours=2, minutes=8))
                for author in (mentor.id, mentee.id)
            ])
        meeting(row, now + timedelta(days=3 + index), SessionStatus.BOOKED, topic_key=items[3].topic_key, booked_by=mentee.id)
        cohort.append(row)
    await session.flush()

    # The validated measures: the start, after each charter; the mid-point, for pairs agreed before it.
    mid_point = started + timedelta(weeks=MID_POINT_WEEKS, days=1)
    await seed_measures(session, waves=[
        *[(row, started + timedelta(days=7), mid_point, 0.5 + 0.25 * (index % 4)) for index, row in enumerate(cohort)],
        (thriving, started + timedelta(days=6), mid_point, 1.2),
        (struggling, started + timedelta(days=9), mid_point, -0.6),
        (agreed, now - timedelta(days=8), None, 0.0),  # agreed just before the half-way day: no mid-point answers yet
    ])
    await session.flush()
    return {
        "just_paired": just_paired.id, "agreed": agreed.id, "thriving": thriving.id, "struggling": struggling.id,  # type: ignore[dict-item]
        **{f"cohort_{index}": row.id for index, row in enumerate(cohort, start=1)},
    }
