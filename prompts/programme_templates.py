"""Programme templates in words: the "Start from" choice on a new programme's form, and the answers to
`/mentor admin template ...` (list, save, delete) and `/mentor admin setup new <template>`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.programme_templates import NAME_MAX, TemplateView
from prompts import early_warnings
from prompts.blocks import ephemeral, escape, excerpt, plain

START_FROM_ACTION = "admin_setup_start_from"
DEFAULTS_VALUE = "none"  # the option for Flipside's own defaults
_PREFIX = "t:"
# The set-up form's fields a template fills: picking another template resets these and keeps the rest
# (the name, the start date and the admins) as typed.
TEMPLATE_BLOCKS = (
    "ends_on", "cadence_days", "session_minutes", "reminder_minutes", "work_start_hour", "work_end_hour", "k_anonymity",
    "max_pairs_per_person", "retention_days", *early_warnings.LABELS,
)
USAGE = (
    "`/mentor admin template` lists the templates, `/mentor admin template save <name>` saves this programme's "
    "settings as one, `/mentor admin template delete <name>` deletes a saved one, and "
    "`/mentor admin setup new <name>` starts a programme from one."
)


def option_value(name: str) -> str:
    return _PREFIX + name


def chosen_name(value: str | None) -> str | None:
    """The template a "Start from" option names; None for Flipside's defaults."""
    return value[len(_PREFIX):] if value and value.startswith(_PREFIX) else None


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text[:75]), "value": value}


def start_from_block(templates: Sequence[TemplateView], chosen: str | None) -> dict[str, Any]:
    """Choosing a template fills the form at once (dispatch_action sends the choice before Submit)."""
    options = [_option("Flipside's defaults", DEFAULTS_VALUE)]
    options += [_option(f"{template.name} (built in)" if template.builtin else template.name, option_value(template.name)) for template in templates]
    initial = next((option for option in options if chosen and option["value"] == option_value(chosen)), options[0])
    return {
        "type": "input",
        "block_id": START_FROM_ACTION,
        "dispatch_action": True,
        "optional": True,
        "label": plain("Start from"),
        "hint": plain("A template fills in the rhythm, reminders, working hours, k and early warnings; its topics and ground rules come with it."),
        "element": {"type": "static_select", "action_id": START_FROM_ACTION, "options": options, "initial_option": initial},
    }


def _summary(template: TemplateView) -> str:
    settings = template.settings
    topics = f"{len(settings.topic_keys)} topics" if settings.topic_keys else "every topic"
    rules = f"{len(settings.ground_rule_keys)} ground rules" if settings.ground_rule_keys else "every ground rule"
    return (
        f"{settings.length_days} days, a {settings.session_minutes}-minute session every {settings.cadence_days} days, "
        f"reminders {settings.reminder_minutes.replace(',', ' and ')} minutes before, working hours "
        f"{settings.work_start_hour:02d}:00-{settings.work_end_hour:02d}:00, smallest group shown {settings.k_anonymity}, "
        f"{topics}, {rules}"
    )


def build_template_list(templates: Sequence[TemplateView]) -> dict[str, Any]:
    lines = []
    for template in templates:
        kind = " (built in)" if template.builtin else ""
        about = f"\n   {escape(template.about)}" if template.about else ""
        lines.append(f"• *{escape(template.name)}*{kind}: {_summary(template)}.{about}")
    saved = "" if any(not template.builtin for template in templates) else "\nNo saved templates yet."
    return ephemeral("*Programme templates*\n" + "\n".join(lines) + saved + "\n" + USAGE)


def build_template_saved(template: TemplateView) -> dict[str, Any]:
    return ephemeral(
        f"Saved this programme's settings as the template *{escape(template.name)}*: {_summary(template)}. "
        f"Start a programme from it with `/mentor admin setup new {excerpt(template.name)}`."
    )


def build_template_refused(problem: str, name: str) -> dict[str, Any]:
    if problem == "blank":
        return ephemeral("Give the template a name: `/mentor admin template save Spring pilot`.")
    if problem == "too_long":
        return ephemeral(f"Keep the template's name to {NAME_MAX} characters; that one has {len(name.strip())}. Nothing was saved.")
    return ephemeral(f"There is already a template called `{excerpt(name)}`. Choose another name, or delete that one first. Nothing was saved.")


def build_template_deleted(name: str) -> dict[str, Any]:
    return ephemeral(f"Deleted the template `{excerpt(name)}`. Programmes started from it keep their settings.")


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"`{excerpt(name)}`" for name in names)


def build_template_not_found(name: str, names: Sequence[str], *, builtin: bool = False) -> dict[str, Any]:
    if builtin:
        return ephemeral(f"`{excerpt(name)}` is built in, so it can't be deleted.")
    return ephemeral(f"There is no template called `{excerpt(name)}`. The templates are: {_names(names)}.")


def build_unknown_start(name: str, names: Sequence[str]) -> dict[str, Any]:
    return ephemeral(
        f"There is no template called `{excerpt(name)}`, so I haven't opened the form. "
        f"The templates are: {_names(names)}. For example `/mentor admin setup new {excerpt(names[0]) if names else ''}`."
    )


def build_nothing_to_save() -> dict[str, Any]:
    return ephemeral("There is no programme running to save as a template. Set one up with `/mentor admin setup`, or start from a template with `/mentor admin setup new <name>`.")


def build_usage() -> dict[str, Any]:
    return ephemeral(USAGE)
