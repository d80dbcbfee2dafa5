"""The CSV export: one row per pair, behaviour and the announced flags only, never an answer or a count of answers."""

from __future__ import annotations

import csv
from io import StringIO

from domain.health import HealthReport, PairHealth

# The columns, in order, and what each holds. Times are UTC, ISO 8601; counts are whole numbers.
CSV_COLUMNS: list[tuple[str, str]] = [
    ("pair_id", "the pair's number in Flipside"),
    ("mentor", "the reverse-mentor's full name, as in their Slack profile (or Slack id)"),
    ("mentee", "the mentee's full name, as in their Slack profile (or Slack id)"),
    ("status", "active, paused or ended"),
    ("sessions_held", "sessions that took place"),
    ("sessions_cancelled", "sessions cancelled, by either side"),
    ("late_cancellations", "of those, cancelled at short notice"),
    ("last_session", "when the latest held session started (UTC)"),
    ("next_session", "when the next booked session starts (UTC)"),
    ("topics_covered", "roadmap topics covered"),
    ("topics_planned", "roadmap topics agreed"),
    ("goals", "goals set"),
    ("goals_under_way", "goals under way"),
    ("goals_achieved", "goals achieved"),
    ("actions_open", "actions still open"),
    ("actions_done", "actions done"),
    ("actions_overdue", "open actions past their due date"),
    ("charter_agreed", "yes when both sides agreed the charter"),
    ("light", "green, amber or red; empty for an ended pair"),
    ("reasons", "why the light is amber or red, separated by semicolons"),
]


def _cell(text: str) -> str:
    """A name as a spreadsheet will show it: never read as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _time(value: object) -> str:
    return value.isoformat(timespec="minutes") if value is not None else ""  # type: ignore[attr-defined]


def pair_row(pair: PairHealth, names: dict[str, str]) -> dict[str, object]:
    return {
        "pair_id": pair.pair_id,
        "mentor": _cell(names.get(pair.mentor_id, pair.mentor_id)),
        "mentee": _cell(names.get(pair.mentee_id, pair.mentee_id)),
        "status": pair.status,
        "sessions_held": pair.held,
        "sessions_cancelled": pair.cancelled,
        "late_cancellations": pair.late_cancelled,
        "last_session": _time(pair.last_session),
        "next_session": _time(pair.next_session),
        "topics_covered": pair.topics_covered,
        "topics_planned": pair.topics_planned,
        "goals": pair.goals,
        "goals_under_way": pair.goals_under_way,
        "goals_achieved": pair.goals_achieved,
        "actions_open": pair.actions_open,
        "actions_done": pair.actions_done,
        "actions_overdue": pair.actions_overdue,
        "charter_agreed": "yes" if pair.charter_agreed else "no",
        "light": pair.light.value if pair.light else "",
        "reasons": "; ".join(reason.text for reason in pair.reasons),
    }


def build_csv(report: HealthReport) -> bytes:
    output = StringIO()
    writer = csv.DictWriter(output, fieldnames=[name for name, _ in CSV_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for pair in report.pairs:
        writer.writerow(pair_row(pair, report.names))
    return output.getvalue().encode("utf-8")
