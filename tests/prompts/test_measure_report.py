"""'Did it work?' as words: nothing answered, figures withheld below k, released figures with interval and alpha,
and the same section in the final report (issue 18)."""

import re

from domain.measures import Change, MeasureFigures, Reliability, Wave
from domain.roles import Role
from prompts.check_ins import build_final_report
from prompts.measure_report import NOBODY, NOT_YET, did_it_work_blocks
from tests.prompts.test_report import empty_report


def text(blocks) -> str:
    return "\n".join(str(block) for block in blocks)


def test_before_anyone_answers_the_section_says_when_the_statements_are_asked():
    assert NOBODY in text(did_it_work_blocks(empty_report()))


def test_figures_not_released_show_not_enough_people_yet_and_no_number():
    report = empty_report()
    report.measures = [MeasureFigures(scale="safety", title="Psychological safety in the pair", role=role, answered=True) for role in Role]

    shown = text(did_it_work_blocks(report)[1:2])

    assert shown.count(NOT_YET) == 8  # alpha, two changes and the close, for each side
    assert not re.search(r"\d", shown)


def test_a_released_change_shows_its_interval_effect_size_and_alpha():
    report = empty_report()
    row = MeasureFigures(scale="safety", title="Psychological safety in the pair", role=Role.MENTOR, answered=True)
    row.reliability = Reliability("safety", Role.MENTOR, 0.83, 7)
    row.changes[Wave.CLOSE] = Change("safety", Role.MENTOR, Wave.CLOSE, 7, 0.64, 0.12, 1.16, 0.9)
    report.measures = [row]

    shown = text(did_it_work_blocks(report))

    assert "Reverse-mentors (alpha 0.83): start to mid-point: not enough people yet; start to close: +0.6 (95% interval +0.1 to +1.2, d = 0.9; 7 people)" in shown


def test_the_final_report_carries_the_section():
    assert "*Did it work?*" in text(build_final_report(empty_report())["blocks"])
