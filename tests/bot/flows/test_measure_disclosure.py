"""'Did it work?' through the disclosure gate: no measure figure over fewer than k people, none released
again until k people's answers are new, and an erased person's answers leave every figure (issue 18)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.flows.disclosure import released_report
from domain.measures import Wave
from domain.roles import Role
from store.erasure import erase_person
from store.models import MeasureAnswer, Programme
from store.reports import load_history
from tests.factories import TEAM, make_pair, make_programme
from tests.factories_history import at
from tests.factories_measures import answer_all

NOW = at("2026-03-25T10:00:00")


async def cohort(session, pairs: int, *, programme: Programme | None = None, first: int = 0, start: int = 3, end: int = 5):
    """Pairs whose both sides answered at the baseline and the close; reverse-mentors rise start -> end."""
    programme = programme or await make_programme(session, now=at("2026-03-01T09:00:00"))
    for index in range(first, first + pairs):
        pair = await make_pair(session, programme=programme, now=at("2026-03-01T09:00:00"), mentor_id=f"U0M{index}", mentee_id=f"U0E{index}")
        for user_id in (pair.mentor_id, pair.mentee_id):
            await answer_all(session, pair=pair, user_id=user_id, wave=Wave.BASELINE, score=start, now=NOW)
            await answer_all(session, pair=pair, user_id=user_id, wave=Wave.CLOSE, score=end + index % 2, now=NOW)
    return programme


async def report(session, programme, now=NOW):
    return await released_report(session, await load_history(session, team_id=TEAM, programme=programme), now)


def row(report, scale: str, role: Role):
    return next(found for found in report.measures if found.scale == scale and found.role is role)


def numbers(report) -> list[object]:
    """Every number 'Did it work?' carries."""
    found = []
    for measure in report.measures:
        found += [measure.reliability, measure.close, *measure.changes.values()]
    return [figure for figure in found if figure is not None]


async def test_below_k_people_no_measure_figure_is_released(db):
    async with db.begin() as session:
        programme = await cohort(session, 4)  # four reverse-mentors, four mentees: under k = 5 on each side
        shown = await report(session, programme)

    assert shown.measures and all(measure.answered for measure in shown.measures)
    assert numbers(shown) == []


async def test_at_k_people_the_change_alpha_and_close_are_released_for_each_side(db):
    async with db.begin() as session:
        programme = await cohort(session, 5)
        shown = await report(session, programme)

    safety = row(shown, "safety", Role.MENTOR)
    change = safety.changes[Wave.CLOSE]
    assert (change.people, change.mean) == (5, pytest.approx((2 + 3 + 2 + 3 + 2) / 5))
    assert change.low < change.mean < change.high and change.effect_size is not None
    assert Wave.MID not in safety.changes  # nobody answered at the mid-point
    assert safety.close is not None and safety.close.people == 5
    assert safety.reliability is not None and safety.reliability.people == 5
    assert row(shown, "inclusion", Role.MENTEE).changes[Wave.CLOSE].people == 5


async def test_one_more_person_releases_nothing_new_so_two_reports_tell_nothing_of_them(db):
    async with db.begin() as session:
        programme = await cohort(session, 5)
        before = await report(session, programme)
        await cohort(session, 1, programme=programme, first=5, start=1, end=7)  # one more pair, a large change
        after = await report(session, programme, NOW + timedelta(days=1))

    assert row(after, "safety", Role.MENTOR).changes == row(before, "safety", Role.MENTOR).changes
    assert "m:safety:mentor:close" in after.held


async def test_an_erased_persons_answers_leave_the_store_and_every_figure_and_release_nothing(db):
    async with db.begin() as session:
        programme = await cohort(session, 6)
        before = await report(session, programme)
        await erase_person(session, team_id=TEAM, user_id="U0M1", now=NOW)
        left = (await session.exec(select(MeasureAnswer).where(MeasureAnswer.user_id == "U0M1"))).all()
        after_erasure = await report(session, programme, NOW + timedelta(days=1))
        await cohort(session, 5, programme=programme, first=10, start=4, end=4)  # five new people: a new release
        later = await report(session, programme, NOW + timedelta(days=2))

    assert left == []
    assert row(after_erasure, "safety", Role.MENTOR).changes == row(before, "safety", Role.MENTOR).changes  # the gate still holds
    assert row(later, "safety", Role.MENTOR).changes[Wave.CLOSE].people == 10  # 6 - 1 erased + 5 new


async def test_a_persons_export_carries_their_own_measure_answers_and_not_their_partners(db):
    from bot.flows.privacy import build_export
    from store.privacy import load_personal_data

    async with db.begin() as session:
        await cohort(session, 1)
        data = await load_personal_data(session, team_id=TEAM, user_id="U0M0")

    export = build_export(data, team_id=TEAM, now=NOW)
    assert export["measures"] and {answer["wave"] for answer in export["measures"]} == {"baseline", "close"}
    assert len(export["measures"]) == 2 * 16  # the reverse-mentor's 16 statements, twice; none of the mentee's
