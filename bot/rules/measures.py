"""Scoring the validated measures: a person's scale score, the scale's internal consistency, and the
cohort's paired change with its 95% interval and effect size. Pure functions of answers.

- A scale score is the mean of the items answered, reverse-scored items as 8 - x on the 1-7 scale, and
  counts only when more than half the scale's items (those asked of the person's side) were answered.
- Cronbach's alpha is computed over complete answer sets only (every item answered), one per person and
  pair: their latest wave, so late joiners count and no one counts twice.
- The change from the baseline to a later wave is paired by person (and pair): only people with a valid
  score at both waves, so a late joiner (no baseline) is left out of change but still counted in the
  close's level. Its interval is Student's t on the paired differences; the effect size is Cohen's d_z.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from domain.measures import (
    HIGHEST,
    LOWEST,
    WAVES,
    Change,
    Item,
    Level,
    MeasureAnswer,
    Reliability,
    Scale,
    ScaleScore,
    Wave,
)
from domain.roles import Role

CONFIDENCE = 0.95

Unit = tuple[str, int]  # a person, and the pair they answered about


def scored(item: Item, value: int) -> int:
    """An answer as it counts toward its scale: reverse-scored items turned round (8 - x on 1-7)."""
    return LOWEST + HIGHEST - value if item.reverse else value


def scale_score(scale: Scale, role: Role, wave: Wave, answers: dict[str, int]) -> ScaleScore:
    """One person's score on a scale at a wave from their answers by item key (skipped items absent)."""
    items = scale.items_for(role)
    values = [scored(item, answers[item.key]) for item in items if item.key in answers]
    valid = len(values) * 2 > len(items)
    return ScaleScore(scale=scale.key, wave=wave, score=sum(values) / len(values) if valid else None, answered=len(values), asked=len(items))


def _variance(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return sum((value - mean) ** 2 for value in values) / (len(values) - 1)


def cronbach_alpha(rows: list[list[float]]) -> float | None:
    """Alpha over complete rows (one per person, one column per item): k/(k-1) * (1 - sum of item
    variances / variance of the totals), sample variances. None below two people or two items, or when
    the totals do not vary."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    items = len(rows[0])
    total_variance = _variance([sum(row) for row in rows])
    if total_variance == 0:
        return None
    item_variances = sum(_variance([row[i] for row in rows]) for i in range(items))
    return items / (items - 1) * (1 - item_variances / total_variance)


@dataclass(frozen=True)
class PairedChange:
    people: int
    mean: float
    low: float
    high: float
    effect_size: float | None


def paired_change(before: list[float], after: list[float]) -> PairedChange | None:
    """The mean of after - before with its 95% t interval and Cohen's d_z; None below two pairs of scores."""
    differences = [b - a for a, b in zip(before, after, strict=True)]
    n = len(differences)
    if n < 2:
        return None
    from scipy import stats  # loaded on first use: SciPy costs every process most of a second at start

    mean = sum(differences) / n
    sd = math.sqrt(_variance(differences))
    half = stats.t.ppf((1 + CONFIDENCE) / 2, n - 1) * sd / math.sqrt(n)
    return PairedChange(people=n, mean=mean, low=mean - half, high=mean + half, effect_size=mean / sd if sd > 0 else None)


@dataclass
class Cohort:
    """Everyone's answers arranged for scoring: unit -> role, and unit -> wave -> item -> value."""

    roles: dict[Unit, Role]
    answers: dict[Unit, dict[Wave, dict[str, int]]]


def arrange(answers: Iterable[MeasureAnswer]) -> Cohort:
    roles: dict[Unit, Role] = {}
    by_unit: dict[Unit, dict[Wave, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for answer in answers:
        unit = (answer.person, answer.pair)
        roles[unit] = answer.role
        by_unit[unit][answer.wave][answer.item] = answer.value
    return Cohort(roles=roles, answers={unit: dict(waves) for unit, waves in by_unit.items()})


def scores(cohort: Cohort, scale: Scale, role: Role, wave: Wave) -> dict[Unit, float]:
    """The valid scores on a scale at a wave of every unit on this side of the pairs."""
    found = {}
    for unit, waves in cohort.answers.items():
        if cohort.roles[unit] is role and wave in waves:
            score = scale_score(scale, role, wave, waves[wave]).score
            if score is not None:
                found[unit] = score
    return found


def change(cohort: Cohort, scale: Scale, role: Role, to_wave: Wave) -> tuple[Change | None, set[Unit]]:
    """The paired change from the baseline to `to_wave`, and the units it is over."""
    before, after = scores(cohort, scale, role, Wave.BASELINE), scores(cohort, scale, role, to_wave)
    units = sorted(set(before) & set(after))
    found = paired_change([before[u] for u in units], [after[u] for u in units])
    if found is None:
        return None, set(units)
    return Change(scale.key, role, to_wave, found.people, found.mean, found.low, found.high, found.effect_size), set(units)


def level(cohort: Cohort, scale: Scale, role: Role, wave: Wave) -> tuple[Level | None, set[Unit]]:
    """The mean score at a wave over everyone with a valid score then (late joiners included)."""
    found = scores(cohort, scale, role, wave)
    if not found:
        return None, set()
    return Level(scale.key, role, wave, len(found), sum(found.values()) / len(found)), set(found)


def reliability(cohort: Cohort, scale: Scale, role: Role) -> tuple[Reliability, set[Unit]]:
    """Cronbach's alpha over each unit's latest complete answer set on this scale."""
    items = scale.items_for(role)
    rows: dict[Unit, list[float]] = {}
    for unit, waves in cohort.answers.items():
        if cohort.roles[unit] is not role:
            continue
        for wave in reversed(WAVES):
            given = waves.get(wave, {})
            if all(item.key in given for item in items):
                rows[unit] = [float(scored(item, given[item.key])) for item in items]
                break
    return Reliability(scale.key, role, cronbach_alpha(list(rows.values())), len(rows)), set(rows)


def own_scores(answers: Iterable[MeasureAnswer], scales: Iterable[Scale]) -> dict[Wave, list[ScaleScore]]:
    """One person's scores, wave by wave, from their own answers only (`/mentor progress`)."""
    cohort = arrange(answers)
    found: dict[Wave, list[ScaleScore]] = {}
    for wave in WAVES:
        for unit, waves in cohort.answers.items():
            if wave in waves:
                role = cohort.roles[unit]
                found.setdefault(wave, []).extend(scale_score(scale, role, wave, waves[wave]) for scale in scales if scale.items_for(role))
    return found
