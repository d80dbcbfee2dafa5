"""What programme admins see: the set-up, enrolment, pairing and matching forms, and every answer
and refusal for `/mentor admin ...`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from domain.anonymity import K_FLOOR
from domain.matching import Proposal
from domain.programme_limits import RETENTION_LIMITS, SAFETY_THRESHOLD_LIMITS, WARNING_LIMITS
from domain.programme_templates import TemplateView
from domain.refusals import Refusal
from domain.roles import Role
from domain.thresholds import DEFAULTS, Thresholds
from domain.views import ProgrammeView
from prompts import early_warnings, limits, org_chart
from prompts import programme_templates as template_prompts
from prompts.blocks import (
    actions,
    button,
    context,
    divider,
    ephemeral,
    escape,
    excerpt,
    message,
    plain,
    section,
)
from prompts.help import ADMIN_COMMANDS, did_you_mean
from prompts.timefmt import format_day

SETUP_CALLBACK = "admin_setup"
ENROL_CALLBACK = "admin_enrol"
BULK_CALLBACK = "admin_bulk"
PAIR_CALLBACK = "admin_pair"
MATCH_CALLBACK = "admin_match"
MATCH_REMOVE_ACTION = "admin_match_remove"
MATCH_MANUAL_ACTION = "admin_match_manual"

ROLE_NAMES = {Role.MENTOR: "reverse-mentor", Role.MENTEE: "mentee"}
BULK_MAX_LINES = 200
MATCH_MAX_PAIRS = 40  # what one modal shows (each pair is a block); confirm, then match again for more


def role_name(role: Role | str) -> str:
    return ROLE_NAMES[Role(role)]


def _people(user_ids: Iterable[str]) -> str:
    ids = [f"<@{user_id}>" for user_id in user_ids]
    if len(ids) <= 1:
        return "".join(ids)
    return ", ".join(ids[:-1]) + " and " + ids[-1]


# --- inputs ------------------------------------------------------------------------------------------

def _input(block_id: str, label: str, element: dict[str, Any], *, hint: str | None = None, optional: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "input", "block_id": block_id, "label": plain(label), "element": {"action_id": block_id, **element}}
    if hint:
        block["hint"] = plain(hint)
    if optional:
        block["optional"] = True
    return block


def _text_input(initial: str = "", *, multiline: bool = False, placeholder: str = "", max_length: int = limits.TEXT_BOX) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial
    if placeholder:
        element["placeholder"] = plain(placeholder)
    return element


def _number(initial: int, low: int, high: int) -> dict[str, Any]:
    return {"type": "number_input", "is_decimal_allowed": False, "initial_value": str(initial), "min_value": str(low), "max_value": str(high)}


def _decimal(initial: float, low: float, high: float) -> dict[str, Any]:
    return {"type": "number_input", "is_decimal_allowed": True, "initial_value": f"{initial:g}", "min_value": f"{low:g}", "max_value": f"{high:g}"}


def _date_input(initial: date) -> dict[str, Any]:
    return {"type": "datepicker", "initial_date": initial.isoformat()}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text[:75]), "value": value}


def _hour_select(initial: int, hours: range) -> dict[str, Any]:
    options = [_option(f"{hour:02d}:00", str(hour)) for hour in hours]
    chosen = next((option for option in options if option["value"] == str(initial)), options[0])
    return {"type": "static_select", "options": options, "initial_option": chosen}


def _modal(title: str, callback_id: str, blocks: list[dict[str, Any]], *, submit: str | None = "Save", metadata: str = "") -> dict[str, Any]:
    view: dict[str, Any] = {"type": "modal", "callback_id": callback_id, "title": plain(title[:24]), "close": plain("Cancel"), "blocks": blocks}
    if submit:
        view["submit"] = plain(submit)
    if metadata:
        view["private_metadata"] = metadata
    return view


# --- set-up --------------------------------------------------------------------------------------------

def build_setup_modal(
    programme: ProgrammeView | None, *, admins: list[str], today: date, default_end: date, new: bool = False,
    templates: Sequence[TemplateView] | None = None, preset: ProgrammeView | None = None, version: int = 0,
) -> dict[str, Any]:
    """Create (no programme, or `new`) or edit the programme. Defaults: six months, monthly, an hour.

    A new programme's form offers `templates` to start from; `preset` is the chosen one's settings, and
    `version` counts the choices made, so each refills the fields it sets (see `_versioned`)."""
    editing = programme is not None and not new
    source = programme if editing else preset
    intro = (
        "Change how your programme runs. Pairs keep their own charters; new settings apply from now on."
        if editing
        else "Set up a reverse-mentoring programme. You will be its admin; add anyone who runs it with you."
    )
    blocks = [
        section(intro),
        _input("name", "Programme name", _text_input(source.name if source else "", placeholder="e.g. Reverse mentoring 2026", max_length=limits.SHORT_NAME)),
        _input("starts_on", "Starts on", _date_input(source.starts_on if source else today)),
        _input("ends_on", "Ends on", _date_input(source.ends_on if source else default_end), hint="Six months is typical."),
        _input("cadence_days", "Days between sessions", _number(source.cadence_days if source else 30, 7, 90), hint="30 means about once a month."),
        _input("session_minutes", "Session length in minutes", _number(source.session_minutes if source else 60, 15, 240)),
        _input(
            "reminder_minutes",
            "Reminders, in minutes before a session",
            _text_input(source.reminder_minutes if source else "1440,60", max_length=100),
            hint="Separate with commas: 1440,60 is a day before and an hour before.",
        ),
        _input("work_start_hour", "Working day starts", _hour_select(source.work_start_hour if source else 8, range(0, 24)),
               hint="I send nudges only in working hours, in each person's own time zone."),
        _input("work_end_hour", "Working day ends", _hour_select(source.work_end_hour if source else 19, range(1, 25))),
        _input("k_anonymity", "Smallest group shown in reports", _number(max(source.k_anonymity, K_FLOOR) if source else K_FLOOR, K_FLOOR, 50),
               hint=f"Figures from people's answers (safety, who led, check-ins) are shown only over at least this many people "
                    f"(at least {K_FLOOR}), and change only once this many more have answered."),
        _input("max_pairs_per_person", "Pairs per person at once", _number(source.max_pairs_per_person if source else 1, 1, 5)),
        _input("retention_days", "Keep personal data for this many days after the programme ends",
               _number(source.retention_days if source else 365, *RETENTION_LIMITS),
               hint="Then what people wrote (reflections, goals, actions, check-ins) is erased; the programme's figures stay as counts."),
        _input("admins", "Programme admins", {"type": "multi_users_select", "initial_users": admins}, hint="They can run every /mentor admin command."),
        *_early_warning_blocks(source.thresholds if source is not None else DEFAULTS),
    ]
    if not editing and templates is not None:
        blocks.insert(1, template_prompts.start_from_block(templates, preset.template_name if preset else None))
        blocks = _versioned(blocks, version)
    fields: dict[str, Any] = {"programme_id": programme.id if editing else None, "new": new}
    if not editing and templates is not None:
        fields.update(template=preset.template_name if preset else "", version=version)
    return _modal("Edit programme" if editing else "Set up a programme", SETUP_CALLBACK, blocks, metadata=json.dumps(fields))


def _versioned(blocks: list[dict[str, Any]], version: int) -> list[dict[str, Any]]:
    """Slack keeps what was typed in an input whose block and action ids survive `views.update`, and
    ignores its new initial value; so after each choice of template the fields it sets get new action
    ids (the block ids, which the form is read and its errors are shown by, stay)."""
    if not version:
        return blocks
    return [
        {**block, "element": {**block["element"], "action_id": f"{block['block_id']}.{version}"}}
        if block.get("block_id") in template_prompts.TEMPLATE_BLOCKS else block
        for block in blocks
    ]


def _early_warning_blocks(current: Thresholds) -> list[dict[str, Any]]:
    """When each detector fires: the programme's thresholds, or the defaults for a new programme."""
    blocks: list[dict[str, Any]] = [divider(), section(f"{early_warnings.HEADING}\n{early_warnings.INTRO}")]
    for name, label in early_warnings.LABELS.items():
        initial = getattr(current, name)
        element = _decimal(initial, *SAFETY_THRESHOLD_LIMITS) if name == "low_safety_threshold" else _number(initial, *WARNING_LIMITS[name])
        blocks.append(_input(name, label, element, hint=early_warnings.HINTS.get(name)))
    return blocks


def build_setup_saved(programme: ProgrammeView, *, created: bool, admins: list[str]) -> dict[str, Any]:
    verb = "is set up" if created else "is updated"
    text = (
        f"*{escape(programme.name)}* {verb}: {format_day(programme.starts_on)} to {format_day(programme.ends_on)}, "
        f"a {programme.session_minutes}-minute session every {programme.cadence_days} days. Admins: {_people(admins)}."
    )
    if created:
        text += "\nNext: enrol people with `/mentor admin enrol`, then pair them with `/mentor admin pair` or `/mentor admin match`."
    return message(text.replace("*", ""), [section(text)])


# --- permission and usage --------------------------------------------------------------------------------

def build_not_admin(admins: list[str]) -> dict[str, Any]:
    who = f"The admins of this programme are {_people(admins)}." if admins else "This programme has no admins listed."
    return ephemeral(f"Sorry, only programme admins can use `/mentor admin` commands. {who} Ask one of them, or a workspace admin, if you need a change.")


def build_no_programme() -> dict[str, Any]:
    return ephemeral("There is no programme yet. Start one with `/mentor admin setup`; you will be its admin.")


def build_admin_usage(unknown: str | None = None, meant: str | None = None) -> dict[str, Any]:
    """What admins can do; after a typo close to a known command (`meant`), only the question."""
    if unknown and meant:
        return ephemeral(did_you_mean(f"admin {unknown}", meant))
    lines = "\n".join(f"• `{command}`: {what}" for command, what in ADMIN_COMMANDS)
    first = f"I don't know `/mentor admin {excerpt(unknown)}`. " if unknown else ""
    return ephemeral(f"{first}Here is what programme admins can do:\n{lines}")


def build_usage(text: str) -> dict[str, Any]:
    return ephemeral(text)


ENROL_USAGE = (
    "To enrol people, name the role and mention them: `/mentor admin enrol mentor @priya @sam` or "
    "`/mentor admin enrol mentee @tom`. Or type `/mentor admin enrol` for a form, or `/mentor admin enrol bulk` to paste emails."
)
ENROL_NO_ONE = "Choose at least one person to enrol."
ENROL_BOTH_ROLES = "Someone is in both lists. Choose each person for one role only."
BULK_EMPTY = "Paste at least one line: mentor-email, mentee-email."
PAIR_USAGE = "Mention the reverse-mentor, then the mentee: `/mentor admin pair @priya @tom`. Or type `/mentor admin pair` for a form."
CHOOSE_SOMEONE = "Choose someone."
NOTHING_TO_RESUME = "That pair isn't paused any more, so there is nothing to resume."


def bulk_too_long(count: int) -> str:
    return f"That's {count} lines; paste up to {BULK_MAX_LINES} at a time."


def pair_change_usage(verb: str) -> str:
    example = "`/mentor admin pause @priya until 2026-06-01` (the date is optional)" if verb == "pause" else f"`/mentor admin {verb} @priya`"
    return f"Mention one person from the pair, e.g. {example}."


# --- refusals --------------------------------------------------------------------------------------------

def refusal_text(refusal: Refusal, *, max_pairs: int = 1) -> str:
    who = f"<@{refusal.user_id}>" if refusal.user_id else "Someone"
    role = role_name(refusal.role) if refusal.role else ""
    match refusal.code:
        case "same_person":
            return f"{who} can't be paired with themselves. Pick two different people."
        case "unknown":
            return f"I can't find {who} in this workspace."
        case "bot":
            return f"{who} is a bot, so can't take part."
        case "deactivated":
            return f"{who}'s Slack account is deactivated, so they can't take part."
        case "not_enrolled":
            return f"{who} isn't enrolled as a {role} yet. Enrol them first with `/mentor admin enrol {Role(refusal.role).value} @name`."
        case "other_role":
            return f"{who} is already enrolled as a {role} in this programme, so can't take the other role."
        case "swapped":
            mentor = f"<@{refusal.detail}>"
            return (
                f"{who} is enrolled as a mentee and {mentor} as a reverse-mentor. "
                f"Put the reverse-mentor first: `/mentor admin pair {mentor} {who}`."
            )
        case "together":
            return f"{who} and <@{refusal.detail}> are already paired."
        case "busy":
            limit = "one pair" if max_pairs == 1 else f"{max_pairs} pairs"
            return (
                f"{who} is already in a pair, and the programme allows {limit} per person. "
                "End or unpair that pair first, or raise the limit in `/mentor admin setup`."
            )
        case "bad_line":
            return "this line isn't two email addresses separated by a comma (`mentor-email, mentee-email`)."
        case "unknown_email":
            return f"no one in this workspace has the email address {escape(refusal.detail)}."
        case "same_email":
            return "the same person is on both sides of this line."
    return org_chart.pairing_refusal_text(refusal)


def build_refusal(refusal: Refusal, *, max_pairs: int = 1) -> dict[str, Any]:
    return ephemeral(refusal_text(refusal, max_pairs=max_pairs))


# --- enrolment -------------------------------------------------------------------------------------------

def build_enrol_modal() -> dict[str, Any]:
    blocks = [
        section("Choose who takes part. You can pair them afterwards, or let me suggest pairs with `/mentor admin match`."),
        _input("mentors", "Reverse-mentors", {"type": "multi_users_select"}, optional=True, hint="Usually earlier in their career; they lead the sessions."),
        _input("mentees", "Mentees", {"type": "multi_users_select"}, optional=True, hint="Usually senior leaders; they learn."),
    ]
    return _modal("Enrol people", ENROL_CALLBACK, blocks, submit="Enrol")


def build_enrol_report(*, enrolled: dict[Role, list[str]], already: dict[Role, list[str]], refused: list[Refusal], programme: ProgrammeView) -> dict[str, Any]:
    lines = []
    for role in Role:
        if enrolled.get(role):
            lines.append(f"Enrolled as {role_name(role)}s in *{escape(programme.name)}*: {_people(enrolled[role])}.")
        if already.get(role):
            lines.append(f"Already enrolled as {role_name(role)}s: {_people(already[role])}.")
    if refused:
        lines.append("Not enrolled:\n" + "\n".join(f"• {refusal_text(refusal)}" for refusal in refused))
    if not lines:
        lines.append("No one to enrol: mention people with `@`, e.g. `/mentor admin enrol mentor @priya`.")
    elif any(enrolled.values()):
        lines.append("I've asked each of them for their department and interests, to help with matching.")
    return ephemeral("\n".join(lines))


def build_bulk_modal() -> dict[str, Any]:
    blocks = [
        section("Paste one pair per line: the reverse-mentor's email, a comma, then the mentee's email. I'll enrol and pair each line, and tell you about any I couldn't."),
        _input("lines", "Pairs", _text_input(multiline=True, placeholder="priya@example.com, tom@example.com"), hint=f"Up to {BULK_MAX_LINES} lines."),
    ]
    return _modal("Enrol and pair", BULK_CALLBACK, blocks, submit="Enrol and pair")


def build_bulk_report(*, paired: list[tuple[int, str, str]], failed: list[tuple[int, str, Refusal]], max_pairs: int) -> dict[str, Any]:
    """`paired`: (line number, mentor, mentee); `failed`: (line number, the line, why)."""
    lines = []
    if paired:
        lines.append(f"*Enrolled and paired ({len(paired)}):*\n" + "\n".join(f"• Line {number}: <@{mentor}> with <@{mentee}>" for number, mentor, mentee in paired))
    if failed:
        lines.append(
            f"*Not saved ({len(failed)}):* nothing from these lines was saved; fix them and paste just those again.\n"
            + "\n".join(f"• Line {number} `{excerpt(line)}`: {refusal_text(refusal, max_pairs=max_pairs)}" for number, line, refusal in failed)
        )
    if not lines:
        lines.append("There were no lines to read.")
    text = "\n\n".join(lines)
    return message(text.replace("*", ""), [section(part) for part in lines])


# --- pairing ---------------------------------------------------------------------------------------------

def build_pair_modal() -> dict[str, Any]:
    blocks = [
        section("Pair a reverse-mentor with a mentee. Both need to be enrolled. I'll welcome them both."),
        _input("mentor", "Reverse-mentor", {"type": "users_select"}),
        _input("mentee", "Mentee", {"type": "users_select"}),
    ]
    return _modal("Pair two people", PAIR_CALLBACK, blocks, submit="Pair them")


def build_paired(mentor_id: str, mentee_id: str) -> dict[str, Any]:
    return ephemeral(f"<@{mentor_id}> is now the reverse-mentor for <@{mentee_id}>. I've sent each of them a welcome and a link to their charter.")


# --- matching --------------------------------------------------------------------------------------------

def _topic_titles(keys: Iterable[str], catalogue: dict[str, str]) -> str:
    return escape(", ".join(catalogue.get(key, key) for key in keys))


def build_match_modal(proposals: list[Proposal], *, catalogue: dict[str, str], unmatched: list[str]) -> dict[str, Any]:
    """The suggested pairs, each removable; submitting confirms them all."""
    metadata = json.dumps({"pairs": [[proposal.mentor_id, proposal.mentee_id] for proposal in proposals], "unmatched": unmatched})
    blocks: list[dict[str, Any]] = []
    if proposals:
        blocks.append(section(
            f"I suggest these {len(proposals)} pairs. They share the most interests and working hours, "
            "are never from the same department or reporting line and have not been paired before."
        ))
        for proposal in proposals[:MATCH_MAX_PAIRS]:
            shared = _topic_titles(proposal.shared_interests, catalogue) or "no topics in common yet"
            blocks.append(section(
                f"<@{proposal.mentor_id}> mentors <@{proposal.mentee_id}>\nShared interests: {shared} · "
                f"{proposal.overlap_hours:g} working hours in common{org_chart.unknown_department_warning(proposal.unknown_department)}",
                accessory=button("Remove", MATCH_REMOVE_ACTION, value=f"{proposal.mentor_id}:{proposal.mentee_id}"),
            ))
    else:
        blocks.append(section("I have no pairs to suggest right now."))
    if unmatched:
        blocks.append(context(f"Not matched: {_people(unmatched)}. Enrol more people, or pair them yourself."))
    blocks += [divider(), actions(button("Pair someone myself", MATCH_MANUAL_ACTION))]
    return _modal("Suggested pairs", MATCH_CALLBACK, blocks, submit="Confirm all" if proposals else None, metadata=metadata)


def read_match_metadata(metadata: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The pairs still proposed and the people left unmatched, as kept in the modal."""
    data = json.loads(metadata or "{}")
    return [(mentor, mentee) for mentor, mentee in data.get("pairs", [])], list(data.get("unmatched", []))


def build_match_report(*, paired: list[tuple[str, str]], refused: list[tuple[str, str, Refusal]], max_pairs: int) -> dict[str, Any]:
    lines = []
    if paired:
        lines.append(f"*Paired ({len(paired)}):* " + "; ".join(f"<@{mentor}> with <@{mentee}>" for mentor, mentee in paired) + ". I've welcomed them all.")
    if refused:
        lines.append("*Not paired:*\n" + "\n".join(f"• <@{mentor}> with <@{mentee}>: {refusal_text(refusal, max_pairs=max_pairs)}" for mentor, mentee, refusal in refused))
    text = "\n".join(lines) or "No pairs were made."
    return message(text.replace("*", ""), [section(text)])
