"""The health report, computed from a seeded programme with a known history."""

from datetime import timedelta

from bot.flows.disclosure import released_report
from bot.rules.health import build_report
from domain.health import Light, Reason
from store.reports import load_history
from tests.factories import make_pair, make_programme
from tests.factories_history import (
    COHORT_NOW,
    at,
    held,
    make_charter,
    make_check_in,
    make_roadmap,
    make_session,
    seed_known_cohort,
)


async def known_report(db, **programme_fields):
    async with db.begin() as session:
        cohort = await seed_known_cohort(session)
        for name, value in programme_fields.items():
            setattr(cohort.programme, name, value)
        history = await load_history(session, team_id="T0FLIPSIDE", programme=cohort.programme)
        return cohort, await released_report(session, history, COHORT_NOW)


async def test_cohort_counts_pairs_by_status(db):
    _, report = await known_report(db)
    assert (report.cohort.pairs_active, report.cohort.pairs_paused, report.cohort.pairs_ended) == (3, 1, 1)


async def test_cohort_counts_sessions_held_planned_and_cancelled_by_side_and_notice(db):
    _, report = await known_report(db)
    cohort = report.cohort
    assert (cohort.sessions_held, cohort.sessions_planned) == (7, 1)
    assert (cohort.cancelled_late, cohort.cancelled_not_late) == (1, 2)
    assert (cohort.cancelled_by_mentor_side, cohort.cancelled_by_mentee_side, cohort.cancelled_by_others) == (1, 2, 0)


async def test_reflection_rate_is_completed_over_two_per_held_session(db):
    _, report = await known_report(db)
    assert (report.cohort.reflections_completed, report.cohort.reflections_asked) == (13, 14)


async def test_balance_counts_a_session_as_mentee_led_when_either_side_says_so(db):
    _, report = await known_report(db)
    balance = report.cohort.balance
    # March alone: seven people answered about it; April and May, four or fewer, are not released (bot/flows/disclosure.py).
    assert (balance.mentor, balance.mentee, balance.balanced, balance.unknown) == (2, 1, 1, 0)


async def test_topics_goals_and_actions_are_counted(db):
    _, report = await known_report(db)
    cohort = report.cohort
    assert (cohort.topics_covered, cohort.topics_planned) == (4, 7)
    assert (cohort.goals_not_started, cohort.goals_under_way, cohort.goals_achieved) == (1, 1, 1)
    assert (cohort.actions_open, cohort.actions_done, cohort.actions_overdue) == (3, 1, 2)


async def test_safety_average_is_shown_over_at_least_k_respondents(db):
    _, report = await known_report(db, k_anonymity=7)  # seven distinct people answered the safety item
    assert report.cohort.safety_respondents == 7
    assert report.cohort.safety_average == 3.8


async def test_safety_average_is_withheld_below_k_respondents(db):
    _, report = await known_report(db, k_anonymity=8)
    assert report.cohort.safety_respondents == 7
    assert report.cohort.safety_average is None


async def test_each_pair_gets_its_light_and_plain_reasons(db):
    cohort, report = await known_report(db)
    by_pair = {pair.pair_id: pair for pair in report.pairs}
    assert (by_pair[cohort.thriving.id].light, by_pair[cohort.thriving.id].reasons) == (Light.GREEN, [])
    assert by_pair[cohort.struggling.id].light is Light.RED
    assert by_pair[cohort.struggling.id].reasons == [
        Reason(Light.RED, "2 cancellations in a row by the mentee side"),
        Reason(Light.AMBER, "no session for 7 weeks"),
        Reason(Light.AMBER, "roles reverting: the senior side led 2 of the last 2 sessions"),
        Reason(Light.AMBER, "2 actions overdue"),
    ]
    assert by_pair[cohort.new.id].light is Light.AMBER
    assert by_pair[cohort.new.id].reasons == [Reason(Light.AMBER, "charter not agreed after 2 weeks")]
    assert (by_pair[cohort.paused.id].light, by_pair[cohort.paused.id].reasons) == (Light.GREEN, [])
    assert (by_pair[cohort.ended.id].light, by_pair[cohort.ended.id].reasons) == (None, [])


async def test_pairs_needing_attention_are_red_then_amber(db):
    cohort, report = await known_report(db)
    assert [pair.pair_id for pair in report.needing_attention] == [cohort.struggling.id, cohort.new.id]


async def test_pair_rows_carry_last_and_next_session_and_counts(db):
    cohort, report = await known_report(db)
    thriving = next(pair for pair in report.pairs if pair.pair_id == cohort.thriving.id)
    assert thriving.last_session == at("2026-05-10T10:00:00")
    assert thriving.next_session == at("2026-06-10T10:00:00")
    assert (thriving.held, thriving.cancelled, thriving.topics_covered, thriving.topics_planned) == (3, 0, 3, 4)
    assert not hasattr(thriving, "balance")  # who led, per pair, is answers: never in a pair's row


async def test_trends_count_held_and_cancelled_sessions_per_month(db):
    _, report = await known_report(db)
    assert [(t.month, t.held, t.cancelled) for t in report.trends] == [
        ("2026-03", 4, 0),
        ("2026-04", 2, 2),
        ("2026-05", 1, 1),
        ("2026-06", 0, 0),
    ]
    march = report.trends[0].balance
    assert (march.mentor, march.mentee, march.balanced) == (2, 1, 1)


async def test_reasons_never_mention_safety_even_when_it_is_low(db):
    _, report = await known_report(db)  # the struggling pair's mentor answered 2 for safety twice
    texts = " ".join(reason.text for pair in report.pairs for reason in pair.reasons).lower()
    assert "safe" not in texts and "SECRET".lower() not in texts


async def test_a_long_silence_with_nothing_booked_is_red(db):
    async with db.begin() as session:
        programme = await make_programme(session, now=at("2026-01-01T09:00:00"))
        pair = await make_pair(session, programme=programme, now=at("2026-01-01T09:00:00"))
        await make_charter(session, pair=pair)
        meeting = await held(session, pair, "2026-01-10T10:00:00")
        await make_roadmap(session, pair=pair, covered=[meeting])
        history = await load_history(session, team_id="T0FLIPSIDE", programme=programme)
    report = build_report(history, at("2026-01-10T10:00:00") + timedelta(weeks=11))
    assert report.pairs[0].light is Light.RED
    assert report.pairs[0].reasons == [Reason(Light.RED, "no session for 11 weeks")]


async def test_two_sessions_without_insight_or_roadmap_progress_is_topics_drying_up(db):
    async with db.begin() as session:
        programme = await make_programme(session, now=at("2026-01-01T09:00:00"))
        pair = await make_pair(session, programme=programme, now=at("2026-01-01T09:00:00"))
        await make_charter(session, pair=pair)
        first = await held(session, pair, "2026-01-10T10:00:00", insight=True)
        await make_roadmap(session, pair=pair, covered=[first, None])
        await held(session, pair, "2026-02-10T10:00:00", insight=False)
        await held(session, pair, "2026-03-10T10:00:00", insight=False)
        await make_session(session, pair=pair, starts_at=at("2026-04-01T10:00:00"), status="booked")
        history = await load_history(session, team_id="T0FLIPSIDE", programme=programme)
    report = build_report(history, at("2026-03-12T10:00:00"))
    assert report.pairs[0].reasons == [Reason(Light.AMBER, "topics drying up: no new insight or roadmap progress in the last 2 sessions")]


async def check_in_report(db, respondents: int, k: int):
    async with db.begin() as session:
        programme = await make_programme(session, now=at("2026-01-01T09:00:00"), k_anonymity=k)
        for index in range(respondents):
            pair = await make_pair(session, programme=programme, now=at("2026-01-01T09:00:00"), mentor_id=f"U0M{index}", mentee_id=f"U0E{index}")
            await make_check_in(session, pair=pair, user_id=pair.mentor_id, kind="midpoint", now=at("2026-03-01T09:00:00"), working=4)
            await make_check_in(
                session, pair=pair, user_id=pair.mentor_id, kind="closing", now=at("2026-06-01T09:00:00"),
                recommend=10 if index % 2 == 0 else 5, goals_achieved="some", take_part_again="yes",
            )
        history = await load_history(session, team_id="T0FLIPSIDE", programme=programme)
        return (await released_report(session, history, at("2026-06-02T09:00:00"))).check_ins


async def test_check_in_scores_are_withheld_at_k_minus_one_respondents(db):
    figures = await check_in_report(db, respondents=4, k=5)
    assert figures.midpoint_respondents == 4 and figures.midpoint_working_average is None
    assert figures.closing_respondents == 4 and figures.recommend_score is None and figures.goals_achieved is None


async def test_check_in_scores_are_shown_at_k_respondents_with_an_nps_style_score(db):
    figures = await check_in_report(db, respondents=5, k=5)
    assert figures.midpoint_working_average == 4.0
    assert figures.recommend_score == 20  # 3 promoters, 2 detractors of 5
    assert figures.goals_achieved == {"some": 5} and figures.take_part_again == {"yes": 5}
