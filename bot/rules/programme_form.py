"""The programme set-up form: each field checked, with an error worded for the block it belongs to."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from domain.anonymity import K_FLOOR
from domain.programme_limits import LIMITS, RETENTION_LIMITS, SAFETY_THRESHOLD_LIMITS, WARNING_LIMITS
from domain.programme_templates import DEFAULT_SETTINGS
from prompts import early_warnings

DEFAULT_LENGTH = timedelta(days=DEFAULT_SETTINGS.length_days)  # about six months


@dataclass
class ProgrammeForm:
    fields: dict[str, Any] = field(default_factory=dict)
    admins: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def default_end(starts_on: date) -> date:
    return starts_on + DEFAULT_LENGTH


def parse_reminders(text: str) -> list[int] | None:
    """'1440,60' -> [1440, 60]: minutes before a session, each between 5 minutes and a week."""
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not parts or len(parts) > 4:
        return None
    try:
        minutes = [int(part) for part in parts]
    except ValueError:
        return None
    if any(value < 5 or value > 7 * 24 * 60 for value in minutes) or len(set(minutes)) != len(minutes):
        return None
    return sorted(minutes, reverse=True)


def _whole_number(text: Any) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def read_programme_form(state: dict[str, Any], *, editor: str) -> ProgrammeForm:
    """Check the submitted form (block_id -> value, block ids as in `prompts.admin`)."""
    form = ProgrammeForm()
    name = (state.get("name") or "").strip()
    if not name:
        form.errors["name"] = "Give the programme a name."
    elif len(name) > 120:
        form.errors["name"] = "Keep the name under 120 characters."
    form.fields["name"] = name

    starts = _date(state.get("starts_on"))
    ends = _date(state.get("ends_on"))
    if starts is None:
        form.errors["starts_on"] = "Pick a start date."
    elif ends is None:
        ends = default_end(starts)
    elif ends <= starts:
        form.errors["ends_on"] = "The end date must be after the start date."
    elif ends - starts > timedelta(days=2 * 366):
        form.errors["ends_on"] = "A programme can run for up to two years."
    form.fields["starts_on"], form.fields["ends_on"] = starts, ends

    for name_, (low, high) in LIMITS.items():
        value = _whole_number(state.get(name_))
        if value is None or not low <= value <= high:
            form.errors[name_] = f"Enter a whole number from {low} to {high}."
        form.fields[name_] = value
    if "k_anonymity" in form.errors:
        form.errors["k_anonymity"] = (
            f"Enter a whole number from {K_FLOOR} to {LIMITS['k_anonymity'][1]}: figures from people's answers are never shown "
            f"over fewer than {K_FLOOR} people, so no one's answer can be picked out."
        )

    # Older forms (and the sandbox's saved views) may lack the field: the programme keeps its setting.
    if "retention_days" in state:
        low, high = RETENTION_LIMITS
        retention = _whole_number(state.get("retention_days"))
        if retention is None or not low <= retention <= high:
            form.errors["retention_days"] = f"Enter a number of days from {low} to {high} (365 is a year)."
        form.fields["retention_days"] = retention

    reminders = parse_reminders(state.get("reminder_minutes") or "")
    if reminders is None:
        form.errors["reminder_minutes"] = (
            "Enter up to four times in minutes before a session, separated by commas, e.g. 1440,60 "
            "(each from 5 minutes to a week)."
        )
    else:
        form.fields["reminder_minutes"] = ",".join(str(value) for value in reminders)

    start_hour = _whole_number(state.get("work_start_hour"))
    end_hour = _whole_number(state.get("work_end_hour"))
    if start_hour is None or not 0 <= start_hour <= 23:
        form.errors["work_start_hour"] = "Pick when the working day starts."
    elif end_hour is None or not 1 <= end_hour <= 24:
        form.errors["work_end_hour"] = "Pick when the working day ends."
    elif end_hour - start_hour < 4:
        form.errors["work_end_hour"] = "The working day must end at least four hours after it starts."
    form.fields["work_start_hour"], form.fields["work_end_hour"] = start_hour, end_hour

    _read_warnings(state, form)
    admins = [user for user in state.get("admins") or [] if user]
    form.admins = sorted(set(admins) or {editor})
    return form


def _read_warnings(state: dict[str, Any], form: ProgrammeForm) -> None:
    """The early warnings' thresholds. A field the view lacks (an older form) keeps the programme's setting."""
    for name, (low, high) in WARNING_LIMITS.items():
        if name not in state:
            continue
        value = _whole_number(state.get(name))
        if value is None or not low <= value <= high:
            form.errors[name] = early_warnings.whole_number_error(low, high)
        form.fields[name] = value
    window, led = form.fields.get("role_reversal_window"), form.fields.get("role_reversal_threshold")
    checked = not {"role_reversal_window", "role_reversal_threshold"} & set(form.errors)
    if checked and window is not None and led is not None and led > window:
        form.errors["role_reversal_threshold"] = early_warnings.more_than_the_window(window)
    if "low_safety_threshold" in state:
        low, high = SAFETY_THRESHOLD_LIMITS
        threshold = _decimal(state.get("low_safety_threshold"))
        if threshold is None or not low <= threshold <= high:
            form.errors["low_safety_threshold"] = early_warnings.safety_threshold_error(low, high)
        form.fields["low_safety_threshold"] = threshold


def _decimal(text: Any) -> float | None:
    try:
        value = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    return round(value, 2) if math.isfinite(value) else None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
