"""The disclosure gate's rules: the k floor, the release ledger (new people, edited answers, an erasure),
and figures by month each over their own people (issue 14, findings 1, 2 and 4)."""

from datetime import timedelta

from sqlmodel import select

from bot.flows.charts import chart_data
from bot.flows.disclosure import Candidate, decide, released_report
from domain.anonymity import K_FLOOR, effective_k
from prompts.check_ins import build_peer_post
from store.erasure import erase_person
from store.models import Pair, Programme, Reflection, ReleasedFigure
from store.reports import load_history
from tests.factories import TEAM, make_pair, make_programme
from tests.factories_history import at, held

NOW = at("2026-03-25T10:00:00")


def candidate(answers: dict[str, int]) -> Candidate:
    value = {"average": round(sum(answers.values()) / len(answers), 1)} if len(answers) >= 5 else None
    return Candidate("safety", value, {person: f"[[{index},{score}]]" for index, (person, score) in enumerate(answers.items())})


def test_a_programme_stored_below_the_floor_is_raised_to_it():
    assert (K_FLOOR, effective_k(2), effective_k(7)) == (5, 5, 7)


def test_one_new_person_releases_nothing_and_five_do():
    six = {f"U{index}": 4 for index in range(6)}
    first = decide(candidate(six), k=5, salt="s", last_value=None, released_at=None, seen=frozenset(), now=NOW)
    assert first.release and first.value == {"average": 4.0}
    seventh = decide(candidate({**six, "U6": 1}), k=5, salt="s", last_value=first.value, released_at=NOW, seen=first.seen, now=NOW + timedelta(days=1))
    assert (seventh.release, seventh.value, seventh.held) == (False, {"average": 4.0}, True)
    eleven = {**six, **{f"U{index}": 1 for index in range(6, 11)}}
    later = decide(candidate(eleven), k=5, salt="s", last_value=first.value, released_at=NOW, seen=first.seen, now=NOW + timedelta(days=2))
    assert later.release and later.value == {"average": 2.6}


def test_people_who_change_their_answers_count_as_changed_but_fewer_than_k_release_nothing():
    six = {f"U{index}": 4 for index in range(6)}
    first = decide(candidate(six), k=5, salt="s", last_value=None, released_at=None, seen=frozenset(), now=NOW)
    four_edited = {**six, **{f"U{index}": 1 for index in range(4)}}
    assert not decide(candidate(four_edited), k=5, salt="s", last_value=first.value, released_at=NOW, seen=first.seen, now=NOW).release
    five_edited = {**six, **{f"U{index}": 1 for index in range(5)}}
    assert decide(candidate(five_edited), k=5, salt="s", last_value=first.value, released_at=NOW, seen=first.seen, now=NOW).release


async def seed(session, pairs: int, month: str = "2026-03") -> Programme:
    programme = await make_programme(session, now=at("2026-03-01T09:00:00"), peer_channel_id="C0MENTORS")
    for index in range(pairs):
        pair = await make_pair(session, programme=programme, now=at("2026-03-01T09:00:00"), mentor_id=f"U0M{index}", mentee_id=f"U0E{index}")
        await held(session, pair, f"{month}-1{index}T10:00:00", led=("mentor", "balanced"), safety=(5, 4))
    return programme


async def report(session, programme: Programme, now=NOW):
    return await released_report(session, await load_history(session, team_id=TEAM, programme=programme), now)


async def test_erasing_one_person_releases_no_new_value(db):
    async with db.begin() as session:
        programme = await seed(session, pairs=3)
        first = await report(session, programme)
        late = await make_pair(session, programme=programme, now=at("2026-03-01T09:00:00"), mentor_id="U0M9", mentee_id="U0E9")
        await held(session, late, "2026-03-20T10:00:00", led=("mentee", "mentee"), safety=(1, None), reflected=(True, False))
        held_back = await report(session, programme, NOW + timedelta(hours=1))
        await erase_person(session, team_id=TEAM, user_id="U0M0", now=NOW + timedelta(hours=2))
        after = await report(session, programme, NOW + timedelta(hours=3))
        ledger = (await session.exec(select(ReleasedFigure).where(ReleasedFigure.figure == "safety"))).one()
    assert first.cohort.safety_average == held_back.cohort.safety_average == after.cohort.safety_average == 4.5
    assert after.cohort.safety_respondents == 6 and "safety" in after.held
    assert ledger.released_at == NOW and "U0M0" not in ledger.seen  # digests of answer rows, never of who gave them


async def test_a_month_with_one_pair_shows_no_who_led_shares_in_the_chart_or_the_peer_post(db):
    async with db.begin() as session:
        programme = await seed(session, pairs=3)  # six people answered in March
        lonely = (await session.exec(select(Pair).order_by(Pair.id))).first()
        await held(session, lonely, "2026-04-08T10:00:00", led=("mentee", "mentee"), safety=(2, 2))  # one pair in April
        taken = await report(session, programme, at("2026-04-25T10:00:00"))
    months = {month["month"]: month["led"] for month in chart_data(taken)}
    assert months["2026-03"] is not None and months["2026-04"] is None
    post = str(build_peer_post(taken, month="2026-04"))
    assert "Who led: reverse-mentor" in post  # the cohort, six people, as released


async def test_a_one_pair_cohort_shows_no_who_led_and_no_safety_anywhere(db):
    async with db.begin() as session:
        programme = await seed(session, pairs=1)
        programme.k_anonymity = 2
        taken = await report(session, programme)
        reflections = (await session.exec(select(Reflection))).all()
    assert len(reflections) == 2
    assert taken.cohort.safety_average is None and taken.cohort.balance is None
    assert [month["led"] for month in chart_data(taken)] == [None]
    assert "Who led: not enough people" in str(build_peer_post(taken, month="2026-03"))


async def test_the_cohorts_who_led_is_the_sum_of_the_months_released_so_a_withheld_month_cannot_be_subtracted(db):
    async with db.begin() as session:
        programme = await seed(session, pairs=3)  # March: six people, "mentor" and "balanced" once per pair
        lonely = (await session.exec(select(Pair).order_by(Pair.id))).first()
        await held(session, lonely, "2026-04-08T10:00:00", led=("mentee", "mentee"), safety=(2, 2))  # April: one pair
        taken = await report(session, programme, at("2026-04-25T10:00:00"))
    march = taken.trends[0].balance
    assert (taken.cohort.balance.mentor, taken.cohort.balance.mentee, taken.cohort.balance.balanced) == (march.mentor, march.mentee, march.balanced)
    assert taken.cohort.balance.mentee == 0  # April's mentee-led session is nowhere
