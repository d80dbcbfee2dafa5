"""The validated measures (issue 18): scales, their items, a person's scores and the cohort's change.

Plain records that the items' loader (prompts/measures.py), the scoring rules (bot/rules/measures.py),
the disclosure gate and the views share. A scale's items are data (prompts/data/measures.json).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from domain.roles import Role

LOWEST, HIGHEST = 1, 7  # the agreement scale every item is answered on


class Wave(StrEnum):
    """When the scales are asked: after the charter is agreed, at the mid-point, at the close."""

    BASELINE = "baseline"
    MID = "mid"
    CLOSE = "close"


WAVES = (Wave.BASELINE, Wave.MID, Wave.CLOSE)


@dataclass(frozen=True)
class Item:
    key: str
    scale: str
    construct: str
    text: str
    asked_of: frozenset[Role]
    reverse: bool = False

    def asked_of_role(self, role: Role) -> bool:
        return role in self.asked_of


@dataclass(frozen=True)
class Scale:
    key: str
    title: str
    source: str
    items: tuple[Item, ...]

    def items_for(self, role: Role) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.asked_of_role(role))


@dataclass(frozen=True)
class ScaleScore:
    """One person's score on a scale at a wave: None when too few items were answered to count."""

    scale: str
    wave: Wave
    score: float | None
    answered: int
    asked: int


@dataclass(frozen=True)
class Change:
    """The cohort's paired change on a scale from the baseline to a later wave, for one side of the pairs."""

    scale: str
    role: Role
    to_wave: Wave
    people: int
    mean: float
    low: float  # the 95% t interval of the mean change
    high: float
    effect_size: float | None  # Cohen's d_z: the mean change over the changes' standard deviation


@dataclass(frozen=True)
class Level:
    """The cohort's mean score on a scale at one wave (everyone who answered, late joiners too)."""

    scale: str
    role: Role
    wave: Wave
    people: int
    mean: float


@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha over complete answer sets (each person's latest), so an admin sees whether the scale held together."""

    scale: str
    role: Role
    alpha: float | None
    people: int


@dataclass
class MeasureFigures:
    """What 'Did it work?' shows for one scale and one side of the pairs, as the disclosure gate released it:
    a figure left None had fewer than k people (or none released yet)."""

    scale: str
    title: str
    role: Role
    reliability: Reliability | None = None
    changes: dict[Wave, Change] = field(default_factory=dict)
    close: Level | None = None
    answered: bool = False  # anyone has answered this scale at all


@dataclass(frozen=True)
class MeasureAnswer:
    """One stored answer, as the rules read it (the person's role in the pair they answered about)."""

    person: str
    pair: int
    role: Role
    wave: Wave
    item: str
    value: int
    answer_id: int = 0


def wave_key(wave: Wave, programme_id: int, pair_id: int, user_id: str) -> str:
    """The outbox key that asks one person a wave for one pair: the record that they were asked, so asked once."""
    return f"measures:{wave}:{programme_id}:{pair_id}:{user_id}"
