"""'Did it work?': the validated measures as an admin reads them, in the report, the admin Home and the
final report. Only figures the disclosure gate released reach here; any other is 'not enough people yet'."""

from __future__ import annotations

from domain.health import HealthReport
from domain.measures import Change, MeasureFigures, Reliability, Wave
from domain.roles import Role
from prompts.blocks import Block, context, section

TITLE = "*Did it work?*"
NOT_YET = "not enough people yet"
NOBODY = "Nobody has answered the programme's statements yet. They are asked after each pair's charter is agreed, at the mid-point and at the close."
SIDES = {Role.MENTOR: "Reverse-mentors", Role.MENTEE: "Mentees"}
CHANGE_NAMES = {Wave.MID: "start to mid-point", Wave.CLOSE: "start to close"}
# The chart's words.
CHART_TITLE = "Change since the start (mean, with its 95% interval)"
CHART_AXIS = "Change in score (1 to 7 scale)"
CHART_NOT_YET = "Not enough people yet to show a change"


def signed(value: float) -> str:
    return f"{value:+.1f}"


def change_text(change: Change) -> str:
    effect = f", d = {change.effect_size:.1f}" if change.effect_size is not None else ""
    return f"{signed(change.mean)} (95% interval {signed(change.low)} to {signed(change.high)}{effect}; {change.people} people)"


def alpha_text(reliability: Reliability | None) -> str:
    if reliability is None:
        return f"alpha: {NOT_YET}"
    if reliability.alpha is None:
        return "alpha: answers too alike to compute"
    return f"alpha {reliability.alpha:.2f}"


def side_line(row: MeasureFigures) -> str:
    parts = [f"{CHANGE_NAMES[wave]}: {change_text(row.changes[wave]) if wave in row.changes else NOT_YET}" for wave in (Wave.MID, Wave.CLOSE)]
    close = f"{row.close.mean:.1f} of 7 ({row.close.people} people)" if row.close else NOT_YET
    return f"{SIDES[row.role]} ({alpha_text(row.reliability)}): " + "; ".join(parts) + f"; at the close: {close}"


def did_it_work_blocks(report: HealthReport) -> list[Block]:
    """One section per scale, each side of the pairs on its own line, alpha beside each; then how to read it."""
    if not any(row.answered for row in report.measures):
        return [section(f"{TITLE}\n{NOBODY}")]
    blocks: list[Block] = [section(TITLE)]
    titles = list(dict.fromkeys(row.title for row in report.measures))
    for title in titles:
        lines = [side_line(row) for row in report.measures if row.title == title]
        blocks.append(section(f"*{title}*\n" + "\n".join(lines)))
    blocks.append(context(
        f"Change is each person's later score minus their own score at the start, averaged: people who joined late count at the close, not in the change. "
        f"d is the effect size (about 0.2 small, 0.5 medium, 0.8 large). Alpha says whether a scale's statements held together (0.7 or more is usually "
        f"taken as good). Each figure covers at least {report.k} people and changes only once {report.k} more have answered. "
        "The statements and their sources are in the admin guide."
    ))
    return blocks


def chart_rows(report: HealthReport) -> list[tuple[str, Change]]:
    """Every released change, labelled for the chart: scale, side and waves."""
    return [
        (f"{row.title}\n{SIDES[row.role]}, {CHANGE_NAMES[wave]}", row.changes[wave])
        for row in report.measures
        for wave in (Wave.MID, Wave.CLOSE)
        if wave in row.changes
    ]
