"""The roll-up's Block Kit: within Slack's 50 blocks however many programmes, and names escaped."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.health import CheckInFigures, CohortFigures, HealthReport, Light
from domain.rollup import Rollup, RollupTotal
from prompts.report_rollup import ROWS_IN_MESSAGE, build_rollup_message

NOW = datetime(2026, 3, 25, 10, tzinfo=UTC)
SLACK_BLOCK_LIMIT = 50


def report(name: str) -> HealthReport:
    return HealthReport(programme_name=name, now=NOW, k=5, cohort=CohortFigures(sessions_held=2), pairs=[], trends=[], check_ins=CheckInFigures(),
                        held={"safety": NOW})


def rollup(count: int) -> Rollup:
    total = RollupTotal(k=5, cohort=CohortFigures(sessions_held=2 * count), lights={light: 0 for light in Light})
    return Rollup(reports=[report(f"Programme {index}") for index in range(count)], total=total)


def test_sixty_programmes_fit_in_one_message_with_the_rest_named_and_counted_in_the_total():
    built = build_rollup_message(rollup(60))
    text = str(built["blocks"])
    assert len(built["blocks"]) <= SLACK_BLOCK_LIMIT
    assert f"Programme {ROWS_IN_MESSAGE - 1}*" in text
    assert f"…and {60 - ROWS_IN_MESSAGE} more programmes, counted in the total: Programme {ROWS_IN_MESSAGE}," in text
    assert "120 held" in text
    assert all(len(element["text"]) <= 2000 for block in built["blocks"] if block["type"] == "context" for element in block["elements"])


def test_a_programme_name_is_escaped_in_its_row():
    built = rollup(2)
    built.reports[0].programme_name = "<!channel> pilot & co"
    text = str(build_rollup_message(built)["blocks"])
    assert "<!channel>" not in text and "&lt;!channel&gt; pilot &amp; co" in text
