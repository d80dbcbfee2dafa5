"""The CSV export: documented columns, one row per pair, names that cannot run as formulas."""

import csv
from datetime import UTC, datetime
from io import StringIO

from bot.flows.charts import render_chart
from bot.flows.export import CSV_COLUMNS, build_csv
from domain.health import CheckInFigures, CohortFigures, HealthReport, MonthTrend, PairHealth


def report_with(pairs: list[PairHealth], names: dict[str, str]) -> HealthReport:
    return HealthReport(
        programme_name="Spring cohort", now=datetime(2026, 6, 3, tzinfo=UTC), k=5, cohort=CohortFigures(),
        pairs=pairs, trends=[MonthTrend(month="2026-06")], check_ins=CheckInFigures(), names=names,
    )


def test_every_column_is_documented_once():
    names = [name for name, _ in CSV_COLUMNS]
    assert len(names) == len(set(names)) and all(meaning for _, meaning in CSV_COLUMNS)


def test_a_name_that_looks_like_a_formula_is_written_as_text():
    content = build_csv(report_with([PairHealth(pair_id=1, mentor_id="U1", mentee_id="U2", status="active")], {"U1": "=HYPERLINK(1)"})).decode()
    [row] = list(csv.DictReader(StringIO(content)))
    assert row["mentor"] == "'=HYPERLINK(1)" and row["mentee"] == "U2"


def test_the_chart_is_a_png_even_before_any_session():
    assert render_chart(report_with([], {})).startswith(b"\x89PNG\r\n\x1a\n")
