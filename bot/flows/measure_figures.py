"""The validated measures' cohort figures, as candidates for the disclosure gate (bot/flows/disclosure.py).

Each scale, side of the pairs and kind of figure is its own population and its own ledger entry:
`m:<scale>:<side>:alpha` (internal consistency), `...:mid` and `...:close` (the paired change from the
baseline), `...:level` (the mean at the close, late joiners included). A figure's value is computed only
over at least k distinct people, and the gate releases a new value only once k people's answers are new
to it, so neither a small cohort nor two reports a person apart (nor an erasure) gives anyone away.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from bot.rules import measures as rules
from domain.health import HealthReport
from domain.measures import Change, Level, MeasureAnswer, MeasureFigures, Reliability, Wave
from domain.roles import Role
from prompts.measures import scales
from store.models import MeasureAnswer as StoredAnswer
from store.reports import ProgrammeHistory

ROLES = (Role.MENTOR, Role.MENTEE)
KINDS = ("alpha", "mid", "close", "level")


def figure_name(scale: str, role: Role, kind: str) -> str:
    return f"m:{scale}:{role}:{kind}"


def as_rule_answers(rows: list[StoredAnswer]) -> list[MeasureAnswer]:
    """Stored answers as the rules read them."""
    return [
        MeasureAnswer(person=row.user_id, pair=row.pair_id, role=Role(row.role), wave=Wave(row.wave), item=row.item_key, value=row.value, answer_id=row.id or 0)
        for row in rows
        if row.value is not None and row.role in set(Role) and row.wave in set(Wave)
    ]


def answers_of(history: ProgrammeHistory) -> list[MeasureAnswer]:
    return as_rule_answers(history.measure_answers)


def _contributions(answers: list[MeasureAnswer], units: set[rules.Unit], items: set[str], waves: set[Wave]) -> dict[str, str]:
    """Each person's answer rows behind a figure, as canonical JSON (what the gate digests)."""
    rows: dict[str, list[tuple]] = defaultdict(list)
    for answer in answers:
        if (answer.person, answer.pair) in units and answer.item in items and answer.wave in waves:
            rows[answer.person].append((answer.answer_id, answer.value))
    return {person: json.dumps(sorted(found), separators=(",", ":")) for person, found in rows.items()}


def _people(units: set[rules.Unit]) -> int:
    return len({person for person, _ in units})


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def measure_candidates(history: ProgrammeHistory, k: int) -> list[tuple[str, dict[str, Any] | None, dict[str, str]]]:
    """(figure, value or None below k distinct people, contributions) for every measure figure."""
    answers = answers_of(history)
    cohort = rules.arrange(answers)
    found = []
    for scale in scales():
        for role in ROLES:
            items = {item.key for item in scale.items_for(role)}
            if not items:
                continue
            reliability, units = rules.reliability(cohort, scale, role)
            value = {"alpha": _round(reliability.alpha), "people": reliability.people} if _people(units) >= k else None
            found.append((figure_name(scale.key, role, "alpha"), value, _contributions(answers, units, items, set(Wave))))
            for wave in (Wave.MID, Wave.CLOSE):
                change, units = rules.change(cohort, scale, role, wave)
                value = None
                if change is not None and _people(units) >= k:
                    value = {"people": change.people, "mean": _round(change.mean), "low": _round(change.low), "high": _round(change.high), "d": _round(change.effect_size)}
                found.append((figure_name(scale.key, role, wave), value, _contributions(answers, units, items, {Wave.BASELINE, wave})))
            level, units = rules.level(cohort, scale, role, Wave.CLOSE)
            value = {"people": level.people, "mean": _round(level.mean)} if level is not None and _people(units) >= k else None
            found.append((figure_name(scale.key, role, "level"), value, _contributions(answers, units, items, {Wave.CLOSE})))
    return found


def apply_measures(report: HealthReport, released: dict[str, dict[str, Any] | None], answered: bool) -> HealthReport:
    """The 'Did it work?' rows from the released values only; a figure not released stays None."""
    rows = []
    for scale in scales():
        for role in ROLES:
            if not scale.items_for(role):
                continue
            row = MeasureFigures(scale=scale.key, title=scale.title, role=role, answered=answered)
            alpha = released.get(figure_name(scale.key, role, "alpha"))
            if alpha is not None:
                row.reliability = Reliability(scale.key, role, alpha["alpha"], alpha["people"])
            for wave in (Wave.MID, Wave.CLOSE):
                value = released.get(figure_name(scale.key, role, wave))
                if value is not None:
                    row.changes[wave] = Change(scale.key, role, wave, value["people"], value["mean"], value["low"], value["high"], value["d"])
            level = released.get(figure_name(scale.key, role, "level"))
            if level is not None:
                row.close = Level(scale.key, role, Wave.CLOSE, level["people"], level["mean"])
            rows.append(row)
    report.measures = rows
    return report
