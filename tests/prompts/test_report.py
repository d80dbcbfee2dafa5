"""The report's words: k-anonymous figures say so plainly; modals stay within Slack's limits."""

from datetime import UTC, datetime

from domain.health import CheckInFigures, CohortFigures, HealthReport
from prompts import check_ins, report


def empty_report(**cohort) -> HealthReport:
    return HealthReport(
        programme_name="Spring cohort", now=datetime(2026, 6, 3, tzinfo=UTC), k=5,
        cohort=CohortFigures(**cohort), pairs=[], trends=[], check_ins=CheckInFigures(),
    )


def test_safety_below_k_respondents_says_there_are_not_enough_responses():
    text = str(report.summary_blocks(empty_report(safety_respondents=4)))
    assert "*Psychological safety*\\nnot enough responses to show" in text


def test_safety_at_k_respondents_shows_the_average():
    text = str(report.summary_blocks(empty_report(safety_respondents=5, safety_average=3.8)))
    assert "3.8 out of 5 (5 people)" in text


def test_midpoint_aggregate_is_withheld_until_k_people_answered():
    assert "not enough responses to show" in report.check_in_lines(CheckInFigures(midpoint_respondents=4), k=5)
    assert "4.2 out of 5" in report.check_in_lines(CheckInFigures(midpoint_respondents=5, midpoint_working_average=4.2), k=5)


def test_check_in_modals_fit_slacks_limits():
    for kind in (check_ins.MIDPOINT, check_ins.CLOSING):
        modal = check_ins.build_check_in_modal(kind=kind, pair_id=1, k=5)
        assert len(modal["title"]["text"]) <= 24
        options = [o for b in modal["blocks"] if b["type"] == "input" for o in b["element"].get("options", [])]
        assert all(len(option["text"]["text"]) <= 75 for option in options)
