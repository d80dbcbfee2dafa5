"""A programme template: the settings a new programme starts from, built in or saved by an admin under a name."""

from __future__ import annotations

from dataclasses import dataclass

from domain.thresholds import DEFAULTS, Thresholds

NAME_MAX = 60  # characters in a saved template's name (it fits a select option's 75)


@dataclass(frozen=True)
class TemplateSettings:
    """What a template sets: rhythm, reminders, working hours, k, the early warnings, topics and ground rules.

    `topic_keys` and `ground_rule_keys` pick from the catalogues in prompts/data; empty means all of them.
    """

    length_days: int = 182
    cadence_days: int = 30
    session_minutes: int = 60
    reminder_minutes: str = "1440,60"
    reflection_delay_minutes: int = 15
    work_start_hour: int = 8
    work_end_hour: int = 19
    k_anonymity: int = 5
    max_pairs_per_person: int = 1
    retention_days: int = 365
    thresholds: Thresholds = DEFAULTS
    topic_keys: tuple[str, ...] = ()
    ground_rule_keys: tuple[str, ...] = ()


# Flipside's own defaults: what a programme set up from no template starts with (store/models.py's
# Programme columns and the set-up form's length default to these).
DEFAULT_SETTINGS = TemplateSettings()


@dataclass(frozen=True)
class TemplateView:
    """A template as the lists and the set-up form show it."""

    name: str
    settings: TemplateSettings
    builtin: bool = False
    about: str = ""  # a built-in template's why, from its data file
