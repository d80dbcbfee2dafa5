"""The demo directory and the seeded programme: every stage a pair can be at, so every screen has data."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from domain.statuses import SessionStatus
from sandbox.demo import PROGRAMME_NAME, meeting_slot, seed_demo
from sandbox.directory import EVERYONE, PEOPLE, zone_of
from sandbox.workspace import Workspace
from store.models import (
    Action,
    Charter,
    Goal,
    MentoringSession,
    Pair,
    Person,
    Programme,
    ProgrammeAdmin,
    Reflection,
    RoadmapItem,
)
from tests.conftest import START

TEAM = Workspace().team_id


def test_the_directory_spans_four_or_more_zones_with_one_admin_and_an_email_each():
    assert 9 <= len(PEOPLE) <= 12
    assert len({person.tz for person in PEOPLE}) >= 4
    assert [person.id for person in PEOPLE if person.is_admin] == ["U0AMARA"]
    assert all(person.email and person.title and person.department for person in PEOPLE)


async def _all(session, model):
    return (await session.exec(select(model).where(model.team_id == TEAM))).all()


async def test_the_demo_seeds_pairs_at_every_stage(db):
    result = await seed_demo(db, team_id=TEAM, now=START)
    assert result.seeded
    async with db() as session:
        programmes = await _all(session, Programme)
        assert [admin.user_id for admin in await _all(session, ProgrammeAdmin)] == ["U0AMARA"] * 2
        assert len(await _all(session, Person)) == len(EVERYONE)
        pairs = {pair.id: pair for pair in await _all(session, Pair)}
        charters = {charter.pair_id for charter in await _all(session, Charter)}
        goals = Counter(goal.pair_id for goal in await _all(session, Goal))
        roadmap = Counter(item.pair_id for item in await _all(session, RoadmapItem))
        meetings = await _all(session, MentoringSession)
        reflections = await _all(session, Reflection)
        actions = await _all(session, Action)
    ids = result.pair_ids
    assert set(ids.values()) == set(pairs)

    assert ids["just_paired"] not in charters and goals[ids["just_paired"]] == 0
    assert ids["agreed"] in charters and goals[ids["agreed"]] >= 2 and roadmap[ids["agreed"]] >= 3
    assert [m.status for m in meetings if m.pair_id == ids["agreed"]] == [SessionStatus.BOOKED]

    thriving = sorted((m for m in meetings if m.pair_id == ids["thriving"]), key=lambda m: m.starts_at)
    assert [m.status for m in thriving] == [SessionStatus.HELD] * 3 + [SessionStatus.BOOKED]
    assert thriving[-1].starts_at > START
    assert {r.pair_id for r in reflections} >= {ids["thriving"]}
    assert {a.status for a in actions if a.pair_id == ids["thriving"]} == {"open", "done"}

    struggling = sorted((m for m in meetings if m.pair_id == ids["struggling"]), key=lambda m: m.starts_at)
    assert [m.status for m in struggling] == [SessionStatus.HELD, SessionStatus.CANCELLED, SessionStatus.CANCELLED]
    assert [m.cancelled_by for m in struggling[1:]] == [pairs[ids["struggling"]].mentee_id] * 2
    # Beside it, the Board pilot with its own rhythm, where Priya reverse-mentors Noah too.
    assert sorted((p.name, p.cadence_days, p.session_minutes, p.reminder_minutes) for p in programmes) == [
        ("Board pilot", 30, 45, "2880,120"), ("Reverse mentoring 2026", 21, 60, "1440,60"),
    ]
    pilot = pairs[ids["pilot"]]
    assert (pilot.mentor_id, pilot.mentee_id) == ("U0PRIYA", "U0NOAH") and pilot.programme_id != pairs[ids["thriving"]].programme_id
    assert [m.status for m in meetings if m.pair_id == ids["pilot"]] == [SessionStatus.BOOKED]


async def test_seeding_twice_refuses_and_says_so(db):
    await seed_demo(db, team_id=TEAM, now=START)
    again = await seed_demo(db, team_id=TEAM, now=START)
    assert not again.seeded
    assert "--reset" in again.message
    async with db() as session:
        assert len(await _all(session, Programme)) == 2


WORKING_DAY = (8, 19)  # the programme's working hours (store.models.Programme's defaults)
# Mondays to Sundays at awkward hours: whenever the demo is seeded, its sessions fall at sensible local hours.
SEEDED_AT = [START, datetime(2026, 3, 6, 21, 40, tzinfo=UTC), datetime(2026, 3, 8, 3, 10, tzinfo=UTC), datetime(2026, 7, 13, 23, 55, tzinfo=UTC)]


def _local(when: datetime, user_id: str) -> datetime:
    return when.astimezone(ZoneInfo(zone_of(user_id)))


@pytest.mark.parametrize("now", SEEDED_AT, ids=lambda now: f"{now:%a-%H%M}")
async def test_every_seeded_session_starts_on_a_weekday_on_the_hour_or_half_inside_both_peoples_working_hours(db, now):
    result = await seed_demo(db, team_id=TEAM, now=now)
    async with db() as session:
        pairs = {pair.id: pair for pair in await _all(session, Pair)}
        meetings = await _all(session, MentoringSession)
    assert meetings
    for meeting in meetings:
        pair = pairs[meeting.pair_id]
        starts = meeting.starts_at.replace(tzinfo=UTC)
        assert starts.minute in (0, 30) and starts.second == 0
        mentor, mentee = _local(starts, pair.mentor_id), _local(starts, pair.mentee_id)
        assert mentor.weekday() < 5 and WORKING_DAY[0] <= mentor.hour < WORKING_DAY[1], (meeting.topic_key, mentor)
        if meeting.pair_id != result.pair_ids["struggling"]:  # Mexico City's and Kolkata's working days never overlap
            assert mentee.weekday() < 5 and WORKING_DAY[0] <= mentee.hour < WORKING_DAY[1], (meeting.topic_key, mentee)
        assert (starts > now) == (meeting.status == SessionStatus.BOOKED)
    tom = next(m for m in meetings if m.pair_id == result.pair_ids["thriving"] and m.status == SessionStatus.BOOKED)
    assert _local(tom.starts_at.replace(tzinfo=UTC), "U0TOM").hour == 8  # the start of Tom's day: evening in Kolkata


def test_a_pair_meets_at_the_first_half_hour_inside_both_working_days_or_nearest_to_both():
    wednesday = datetime(2026, 3, 4, 12, 10, tzinfo=UTC)
    assert meeting_slot(wednesday, ("Asia/Kolkata", "America/New_York")) == datetime(2026, 3, 4, 13, 0, tzinfo=UTC)  # 18:30 and 08:00
    friday_evening = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)  # 19:00 in Paris: their week is over
    assert meeting_slot(friday_evening, ("Europe/Paris", "Europe/London")) == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)  # Monday 09:00 and 08:00
    # Mexico City's and Kolkata's working days never overlap: 08:00 for Sofía is 19:30 for Arjun.
    assert meeting_slot(wednesday, ("America/Mexico_City", "Asia/Kolkata")) == datetime(2026, 3, 4, 14, 0, tzinfo=UTC)


async def test_the_demo_cohort_fills_in_did_it_work(db):
    """Enough people answered the measures at the start and the mid-point for the gate to release the change."""
    from bot.flows.disclosure import released_report
    from domain.measures import Wave
    from domain.roles import Role
    from prompts.measure_report import did_it_work_blocks
    from store.reports import load_history

    await seed_demo(db, team_id=TEAM, now=START)
    async with db.begin() as session:
        [programme] = [found for found in await _all(session, Programme) if found.name == PROGRAMME_NAME]
        report = await released_report(session, await load_history(session, team_id=TEAM, programme=programme), START)

    safety = next(row for row in report.measures if row.scale == "safety" and row.role is Role.MENTOR)
    assert safety.changes[Wave.MID].people == 8 and safety.reliability is not None and 0.5 < (safety.reliability.alpha or 0) < 1
    assert all(Wave.MID in row.changes for row in report.measures)
    assert "start to mid-point: +" in str(did_it_work_blocks(report))
