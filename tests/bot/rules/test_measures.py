"""Scoring the validated measures against hand-computed values, and the interval against SciPy."""

import math

import pytest
from scipy import stats

from bot.rules.measures import arrange, change, cronbach_alpha, level, paired_change, reliability, scale_score
from domain.measures import MeasureAnswer, Wave
from domain.roles import Role
from prompts.measures import items_for, scales

SAFETY, RELATIONSHIP, INCLUSION = scales()
SAFETY_KEYS = [item.key for item in SAFETY.items]  # mistake (R), hard issues, difference (R), risk, ask help (R), not undermined, valued


def test_the_items_are_data_with_their_source_and_reverse_items_marked():
    assert [scale.key for scale in scales()] == ["safety", "relationship", "inclusion"]
    assert len(SAFETY.items) == 7 and 4 <= len(RELATIONSHIP.items) <= 5
    assert [item.key for item in SAFETY.items if item.reverse] == ["safety_mistake", "safety_difference", "safety_ask_help"]
    assert all("Edmondson" in SAFETY.source and scale.source for scale in scales())
    assert {item.key for item in items_for(Role.MENTEE)} >= {"inclusion_understand", "inclusion_intent"}
    assert "inclusion_heard" not in {item.key for item in items_for(Role.MENTEE)}
    assert "inclusion_understand" not in {item.key for item in items_for(Role.MENTOR)}


def test_reverse_scored_items_count_as_eight_minus_the_answer():
    answers = dict(zip(SAFETY_KEYS, [2, 6, 1, 5, 3, 6, 7], strict=True))  # reversed: 6, 7, 5 -> 6+6+7+5+5+6+7 = 42

    score = scale_score(SAFETY, Role.MENTOR, Wave.BASELINE, answers)

    assert (score.score, score.answered, score.asked) == (6.0, 7, 7)


def test_a_score_is_the_mean_of_the_answered_items_and_counts_only_when_more_than_half_were_answered():
    four = {"safety_mistake": 7, "safety_hard_issues": 3, "safety_difference": 7, "safety_risk": 3}  # 1 + 3 + 1 + 3
    three = {"safety_mistake": 7, "safety_hard_issues": 3, "safety_difference": 7}

    assert scale_score(SAFETY, Role.MENTEE, Wave.MID, four).score == 2.0
    skipped = scale_score(SAFETY, Role.MENTEE, Wave.MID, three)
    assert (skipped.score, skipped.answered) == (None, 3)


def test_a_side_is_scored_only_on_the_items_asked_of_it():
    mentor_items = INCLUSION.items_for(Role.MENTOR)  # heard, influence, confidence, silence (R)
    answers = {item.key: 6 for item in mentor_items} | {"inclusion_understand": 1}

    assert scale_score(INCLUSION, Role.MENTOR, Wave.CLOSE, answers).score == (6 + 6 + 6 + 2) / 4


def test_cronbach_alpha_matches_the_hand_computed_value():
    rows = [[3, 4, 3], [5, 5, 4], [2, 3, 3], [6, 6, 5]]  # item variances 10/3, 5/3, 2.75/3; totals' 48.75/3

    assert cronbach_alpha(rows) == pytest.approx(1.5 * (1 - 17.75 / 48.75))


def test_alpha_needs_two_people_two_items_and_varying_totals():
    assert cronbach_alpha([[3, 4, 5]]) is None
    assert cronbach_alpha([[3], [4]]) is None
    assert cronbach_alpha([[4, 4], [4, 4]]) is None


def test_the_change_interval_is_scipys_paired_t_interval():
    before = [3.0, 4.5, 2.5, 5.0, 3.5, 4.0]
    after = [4.0, 5.0, 3.5, 5.5, 3.5, 5.5]

    found = paired_change(before, after)

    expected = stats.ttest_rel(after, before).confidence_interval(0.95)
    differences = [b - a for a, b in zip(before, after, strict=True)]
    mean = sum(differences) / 6
    sd = math.sqrt(sum((d - mean) ** 2 for d in differences) / 5)
    assert found is not None
    assert (found.low, found.high) == (pytest.approx(expected.low), pytest.approx(expected.high))
    assert found.mean == pytest.approx(mean) and found.effect_size == pytest.approx(mean / sd)
    assert found.people == 6


def _answers(person: str, pair: int, role: Role, wave: Wave, value: int) -> list[MeasureAnswer]:
    """Every non-reversed safety item at `value`, every reversed one at 8 - value: a score of `value`."""
    return [MeasureAnswer(person, pair, role, wave, item.key, 8 - value if item.reverse else value) for item in SAFETY.items]


def test_the_cohorts_change_is_paired_by_person_and_leaves_out_late_joiners_but_counts_them_at_the_close():
    answers = []
    for number, (start, end) in enumerate([(3, 5), (4, 5), (2, 4), (5, 6)]):
        answers += _answers(f"U{number}", number, Role.MENTOR, Wave.BASELINE, start) + _answers(f"U{number}", number, Role.MENTOR, Wave.CLOSE, end)
    answers += _answers("ULATE", 9, Role.MENTOR, Wave.CLOSE, 1)  # joined late: no baseline
    answers += _answers("UEXEC", 10, Role.MENTEE, Wave.BASELINE, 7) + _answers("UEXEC", 10, Role.MENTEE, Wave.CLOSE, 1)
    cohort = arrange(answers)

    found, units = change(cohort, SAFETY, Role.MENTOR, Wave.CLOSE)
    close, at_close = level(cohort, SAFETY, Role.MENTOR, Wave.CLOSE)

    assert found is not None and found.people == 4 and ("ULATE", 9) not in units
    assert found.mean == pytest.approx((2 + 1 + 2 + 1) / 4)  # the mentee's fall is theirs, not the mentors'
    assert close is not None and close.people == 5 and close.mean == pytest.approx((5 + 5 + 4 + 6 + 1) / 5)
    assert ("ULATE", 9) in at_close
    assert change(cohort, SAFETY, Role.MENTOR, Wave.MID)[0] is None


def test_alpha_over_the_cohort_uses_each_persons_latest_complete_answers_only():
    answers = _answers("U1", 1, Role.MENTOR, Wave.BASELINE, 3) + _answers("U2", 2, Role.MENTOR, Wave.BASELINE, 5)
    answers += [a for a in _answers("U3", 3, Role.MENTOR, Wave.BASELINE, 6) if a.item != "safety_risk"]  # one skipped: not a complete case

    found, units = reliability(arrange(answers), SAFETY, Role.MENTOR)

    assert found.people == 2 and units == {("U1", 1), ("U2", 2)}
    assert found.alpha == pytest.approx(1.0)
