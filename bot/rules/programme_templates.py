"""Programme templates as data: the built-in ones, a saved one's JSON, a programme's settings as a template,
a template as the set-up form's starting values, and whether a name may be used."""

from __future__ import annotations

import json
from dataclasses import asdict, fields, replace
from datetime import date, timedelta
from typing import Any

from bot.rules.programme_form import parse_reminders
from domain.programme_limits import LIMITS, RETENTION_LIMITS, SAFETY_THRESHOLD_LIMITS, WARNING_LIMITS
from domain.programme_templates import DEFAULT_SETTINGS, NAME_MAX, TemplateSettings, TemplateView
from domain.thresholds import DEFAULTS, Thresholds
from domain.views import ProgrammeView
from prompts import charter, content

LENGTH_LIMITS = (28, 2 * 366)  # days a programme runs, as the set-up form allows
# Whole-number settings and their bounds; the working day's hours are checked as a pair.
_BOUNDS: dict[str, tuple[int, int]] = {
    **LIMITS, "length_days": LENGTH_LIMITS, "retention_days": RETENTION_LIMITS, "reflection_delay_minutes": (0, 24 * 60),
}
# The programme's columns a template carries (beside the thresholds and the two catalogues).
PROGRAMME_FIELDS = (
    "cadence_days", "session_minutes", "reminder_minutes", "reflection_delay_minutes", "work_start_hour", "work_end_hour",
    "k_anonymity", "max_pairs_per_person", "retention_days",
)


def _keys(stored: str) -> tuple[str, ...]:
    return tuple(key for key in (part.strip() for part in stored.split(",")) if key)


def settings_of(programme: ProgrammeView) -> TemplateSettings:
    """A programme's settings, to save as a template (its length, not its dates)."""
    return TemplateSettings(
        length_days=(programme.ends_on - programme.starts_on).days,
        thresholds=programme.thresholds,
        topic_keys=_keys(programme.topic_keys),
        ground_rule_keys=_keys(programme.ground_rule_keys),
        **{name: getattr(programme, name) for name in PROGRAMME_FIELDS},
    )


def settings_json(settings: TemplateSettings) -> str:
    data = asdict(settings)
    data["topic_keys"], data["ground_rule_keys"] = list(settings.topic_keys), list(settings.ground_rule_keys)
    return json.dumps(data, sort_keys=True)


def _whole(value: Any, low: int, high: int) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high else None


def settings_from(data: Any) -> TemplateSettings:
    """A template's settings from its data (a saved row's JSON, or a built-in's file): each value that is
    missing or out of bounds falls back to the default, and keys not in today's catalogues are dropped."""
    data = data if isinstance(data, dict) else {}
    default = DEFAULT_SETTINGS
    chosen: dict[str, Any] = {}
    for name, (low, high) in _BOUNDS.items():
        value = _whole(data.get(name), low, high)
        if value is not None:
            chosen[name] = value
    reminders = parse_reminders(str(data.get("reminder_minutes", "")))
    if reminders is not None:
        chosen["reminder_minutes"] = ",".join(str(minutes) for minutes in reminders)
    start, end = _whole(data.get("work_start_hour"), 0, 23), _whole(data.get("work_end_hour"), 1, 24)
    if start is not None and end is not None and end - start >= 4:
        chosen["work_start_hour"], chosen["work_end_hour"] = start, end
    chosen["thresholds"] = _thresholds(data.get("thresholds"))
    topics, rules = content.topic_titles(), charter.ground_rules()
    chosen["topic_keys"] = tuple(key for key in data.get("topic_keys") or [] if key in topics)
    chosen["ground_rule_keys"] = tuple(key for key in data.get("ground_rule_keys") or [] if key in rules)
    return replace(default, **chosen)


def _thresholds(data: Any) -> Thresholds:
    data = data if isinstance(data, dict) else {}
    chosen: dict[str, Any] = {}
    for setting in fields(Thresholds):
        value = data.get(setting.name)
        if setting.name == "low_safety_threshold":
            low, high = SAFETY_THRESHOLD_LIMITS
            if isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high:
                chosen[setting.name] = float(value)
        elif _whole(value, *WARNING_LIMITS[setting.name]) is not None:
            chosen[setting.name] = value
    thresholds = replace(DEFAULTS, **chosen)
    if thresholds.role_reversal_threshold > thresholds.role_reversal_window:
        return replace(thresholds, role_reversal_window=DEFAULTS.role_reversal_window, role_reversal_threshold=DEFAULTS.role_reversal_threshold)
    return thresholds


def builtin_templates() -> list[TemplateView]:
    """The templates Flipside ships (prompts/data/programme_templates.json)."""
    return [
        TemplateView(name=entry["name"], settings=settings_from(entry["settings"]), builtin=True, about=entry.get("about", ""))
        for entry in content.programme_templates()
    ]


def saved_template(name: str, settings: str) -> TemplateView:
    try:
        data = json.loads(settings)
    except ValueError:
        data = {}
    return TemplateView(name=name, settings=settings_from(data))


def find(templates: list[TemplateView], name: str) -> TemplateView | None:
    """The template of this name, in any case."""
    wanted = name.strip().casefold()
    return next((template for template in templates if template.name.casefold() == wanted), None)


def name_problem(name: str, templates: list[TemplateView]) -> str | None:
    """Why a new template may not have this name ("blank", "too_long", "taken"), or None."""
    name = name.strip()
    if not name:
        return "blank"
    if len(name) > NAME_MAX:
        return "too_long"
    if find(templates, name) is not None:
        return "taken"
    return None


def preset_programme(template: TemplateView, *, today: date) -> ProgrammeView:
    """What the set-up form for a new programme shows when it starts from this template."""
    settings = template.settings
    return ProgrammeView(
        id=None, name="", starts_on=today, ends_on=today + timedelta(days=settings.length_days),
        thresholds=settings.thresholds, topic_keys=",".join(settings.topic_keys),
        ground_rule_keys=",".join(settings.ground_rule_keys), template_name=template.name,
        **{name: getattr(settings, name) for name in PROGRAMME_FIELDS},
    )


def programme_extras(template: TemplateView) -> dict[str, Any]:
    """What a new programme takes from its template beyond the set-up form's fields."""
    settings = template.settings
    return {
        "reflection_delay_minutes": settings.reflection_delay_minutes,
        "topic_keys": ",".join(settings.topic_keys),
        "ground_rule_keys": ",".join(settings.ground_rule_keys),
        "template_name": template.name,
    }
