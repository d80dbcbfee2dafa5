"""The roll-up report across several programmes: what `bot.flows.admin_rollup` returns and
`prompts.report_rollup` renders."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.health import CohortFigures, HealthReport, Light


@dataclass
class RollupTotal:
    """The programmes' figures added up. Behaviour is summed; each figure over answers combines only
    the programmes whose own figure is released (`from_programmes` of them), and only when that covers
    at least `k` people (the strictest k among the programmes), else it stays None."""

    k: int
    cohort: CohortFigures
    lights: dict[Light, int] = field(default_factory=dict)
    safety_from_programmes: int = 0
    balance_from_programmes: int = 0


@dataclass
class Rollup:
    """One released report per programme (oldest first) and, across several, their total."""

    reports: list[HealthReport]
    total: RollupTotal | None  # None: a single programme, shown as its own report
    whole_workspace: bool = False  # a Slack workspace admin or owner, seeing every running programme


@dataclass(frozen=True)
class RollupRefused:
    """No roll-up for this person: no programme is running (`ask` empty), or they run none of them."""

    no_programme: bool
    ask: list[str] = field(default_factory=list)  # the running programmes' admins
