"""The pair charter: its modal, the request to agree, what changed between versions, and replies."""

from __future__ import annotations

from functools import cache
from typing import Any

from domain.views import CharterView
from prompts import content
from prompts.blocks import (
    Block,
    actions,
    button,
    context,
    divider,
    escape,
    header,
    message,
    mrkdwn,
    plain,
    section,
)

CHARTER_OPEN_ACTION = "charter_open"  # the welcome DM's "Start your charter"; value: the pair id
CHARTER_EDIT_ACTION = "charter_edit"  # "Suggest changes" and "Edit the charter"; value: the pair id
CHARTER_AGREE_ACTION = "charter_agree"  # value: "<charter id>:<version>", so an old request can't agree a new version
CHARTER_CALLBACK = "charter_submit"  # private_metadata: the pair id
MODAL_TITLE = "Our charter"

DRIVER_BLOCK, DRIVER_ACTION = "charter_driver", "driver"
CADENCE_BLOCK, CADENCE_ACTION = "charter_cadence", "cadence"
LENGTH_BLOCK, LENGTH_ACTION = "charter_length", "length"
FORMAT_BLOCK, FORMAT_ACTION = "charter_format", "format"
CONFIDENTIAL_BLOCK, CONFIDENTIAL_ACTION = "charter_confidential", "confidential"
RULES_BLOCK, RULES_ACTION = "charter_rules", "rules"
OWN_RULES_BLOCK, OWN_RULES_ACTION = "charter_own_rules", "own_rules"
MENTOR_DUTIES_BLOCK, MENTOR_DUTIES_ACTION = "charter_mentor_duties", "mentor_duties"
MENTEE_DUTIES_BLOCK, MENTEE_DUTIES_ACTION = "charter_mentee_duties", "mentee_duties"
CONFIDENTIAL_VALUE = "confidential"

DRIVERS = {
    "mentor": "The reverse-mentor books our sessions",
    "mentee": "The mentee books our sessions",
    "alternating": "We take turns to book",
}
FORMATS = {"in_person": "In person", "video": "On video", "mixed": "A mix of both"}
CADENCES = {7: "Every week", 14: "Every two weeks", 21: "Every three weeks", 30: "Every month", 42: "Every six weeks", 60: "Every two months"}
LENGTHS = (30, 45, 60, 90)
CONFIDENTIALITY_TEXT = "What we say stays between us, unless we both agree to share it."
# What Flipside itself passes on, so the line above is not read as more than it is (bot/flows/disclosure.py).
CONFIDENTIALITY_ADMIN = (
    "Flipside never shows your programme admin what either of you says or writes. The admin sees what you do "
    "(sessions booked, held and cancelled, by which side) and two flags from your answers: roles reverting and topics drying up."
)

DEFAULT_MENTOR_DUTIES = "Bring a topic to each session and lead the conversation. Share what you're comfortable sharing."
DEFAULT_MENTEE_DUTIES = "Protect the time and turn up ready. Listen first, ask questions, and act on what you learn."



@cache
def ground_rules() -> dict[str, str]:
    """The catalogue of ground rules, key -> wording, in the order people see them."""
    return {rule["key"]: rule["text"] for rule in content.load("ground_rules")}


def cadence_label(days: int) -> str:
    return CADENCES.get(days, f"Every {days} days")


def rhythm(days: int) -> str:
    """How often, as a sentence says it: "every three weeks", "every month" (28 to 31 days), "every 45 days"."""
    return "every month" if 28 <= days <= 31 else cadence_label(days).lower()


def rule_keys(stored: str) -> list[str]:
    return [key for key in stored.split(",") if key]


def own_rule_lines(stored: str) -> list[str]:
    return [line.strip() for line in stored.splitlines() if line.strip()]


def offered_rules(programme_rules: str, chosen: str = "") -> dict[str, str]:
    """The ground rules a pair's form offers, in catalogue order: the programme's own (its template's; the
    whole catalogue when it names none), and any the pair's charter has already, so they can be unticked."""
    catalogue = ground_rules()
    wanted = set(rule_keys(programme_rules))
    if not wanted:
        return dict(catalogue)
    wanted |= set(rule_keys(chosen))
    return {key: text for key, text in catalogue.items() if key in wanted}


def new_charter_terms(*, cadence_days: int, session_minutes: int, programme_rules: str = "") -> dict[str, object]:
    """A first draft for a pair with no charter yet: the programme's rhythm and sensible defaults, with
    every rule the programme chose ticked (three of the catalogue when it chose none)."""
    offered = list(offered_rules(programme_rules))
    return {
        "driver": "mentor",
        "cadence_days": cadence_days,
        "session_minutes": session_minutes,
        "format": "video",
        "confidentiality": True,
        "ground_rules": ",".join(offered if rule_keys(programme_rules) else offered[:3]),
        "own_rules": "",
        "mentor_responsibilities": DEFAULT_MENTOR_DUTIES,
        "mentee_responsibilities": DEFAULT_MENTEE_DUTIES,
    }


# --- the modal -----------------------------------------------------------------------------------
def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text[:75]), "value": value}


def _rule_option(key: str, text: str) -> dict[str, Any]:
    return {"text": mrkdwn(text[:75]), "value": key}


def _select(block_id: str, action_id: str, label: str, options: list[dict[str, Any]], initial: dict[str, Any]) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {"type": "static_select", "action_id": action_id, "options": options, "initial_option": initial},
    }


def _text_input(block_id: str, action_id: str, label: str, value: str, *, hint: str = "", optional: bool = True) -> Block:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": action_id, "multiline": True, "max_length": 1000}
    if value:
        element["initial_value"] = value
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label), "element": element, "optional": optional}
    if hint:
        block["hint"] = plain(hint)
    return block


def build_charter_modal(
    *, pair_id: int, terms: dict[str, Any], partner_id: str, version: int | None, programme_rules: str = ""
) -> dict[str, Any]:
    driver_options = [_option(text, value) for value, text in DRIVERS.items()]
    cadences = dict(CADENCES)
    cadences.setdefault(int(terms["cadence_days"]), cadence_label(int(terms["cadence_days"])))
    cadence_options = [_option(text, str(days)) for days, text in sorted(cadences.items())]
    lengths = sorted(set(LENGTHS) | {int(terms["session_minutes"])})
    length_options = [_option(f"{minutes} minutes", str(minutes)) for minutes in lengths]
    format_options = [_option(text, value) for value, text in FORMATS.items()]
    confidential_option = _rule_option(CONFIDENTIAL_VALUE, CONFIDENTIALITY_TEXT)
    rule_options = [_rule_option(key, text) for key, text in offered_rules(programme_rules, str(terms["ground_rules"])).items()]
    chosen_rules = [option for option in rule_options if option["value"] in rule_keys(str(terms["ground_rules"]))]

    intro = (
        f"Agree how you and <@{partner_id}> will work together. When you save, that counts as your agreement, "
        "and I'll ask your partner to agree too. It's in force once you both have."
    )
    if version:
        intro += f" You're editing version {version}."
    confidentiality: Block = {
        "type": "input",
        "block_id": CONFIDENTIAL_BLOCK,
        "optional": True,
        "label": plain("Confidentiality"),
        "element": {"type": "checkboxes", "action_id": CONFIDENTIAL_ACTION, "options": [confidential_option]},
        "hint": plain(CONFIDENTIALITY_ADMIN),
    }
    if terms["confidentiality"]:
        confidentiality["element"]["initial_options"] = [confidential_option]
    rules: Block = {
        "type": "input",
        "block_id": RULES_BLOCK,
        "optional": True,
        "label": plain("Ground rules"),
        "element": {"type": "checkboxes", "action_id": RULES_ACTION, "options": rule_options},
    }
    if chosen_rules:
        rules["element"]["initial_options"] = chosen_rules
    blocks: list[Block] = [
        section(intro),
        _select(DRIVER_BLOCK, DRIVER_ACTION, "Who books sessions?", driver_options, next(o for o in driver_options if o["value"] == terms["driver"])),
        _select(CADENCE_BLOCK, CADENCE_ACTION, "How often do you meet?", cadence_options, next(o for o in cadence_options if o["value"] == str(terms["cadence_days"]))),
        _select(LENGTH_BLOCK, LENGTH_ACTION, "How long is a session?", length_options, next(o for o in length_options if o["value"] == str(terms["session_minutes"]))),
        {
            "type": "input",
            "block_id": FORMAT_BLOCK,
            "label": plain("How do you meet?"),
            "element": {
                "type": "radio_buttons",
                "action_id": FORMAT_ACTION,
                "options": format_options,
                "initial_option": next(o for o in format_options if o["value"] == terms["format"]),
            },
        },
        confidentiality,
        rules,
        _text_input(OWN_RULES_BLOCK, OWN_RULES_ACTION, "Ground rules of your own", str(terms["own_rules"]), hint="One a line."),
        _text_input(MENTOR_DUTIES_BLOCK, MENTOR_DUTIES_ACTION, "What the reverse-mentor takes on", str(terms["mentor_responsibilities"])),
        _text_input(MENTEE_DUTIES_BLOCK, MENTEE_DUTIES_ACTION, "What the mentee takes on", str(terms["mentee_responsibilities"])),
    ]
    return {
        "type": "modal",
        "callback_id": CHARTER_CALLBACK,
        "private_metadata": str(pair_id),
        "title": plain(MODAL_TITLE),
        "submit": plain("Save and agree"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def _value(values: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    return (values.get(block_id) or {}).get(action_id) or {}


def _selected(values: dict[str, Any], block_id: str, action_id: str) -> str | None:
    option = _value(values, block_id, action_id).get("selected_option")
    return option.get("value") if option else None


def _ticked(values: dict[str, Any], block_id: str, action_id: str) -> list[str]:
    return [option["value"] for option in _value(values, block_id, action_id).get("selected_options") or []]


def _typed(values: dict[str, Any], block_id: str, action_id: str) -> str:
    return (_value(values, block_id, action_id).get("value") or "").strip()


def parse_charter_submission(values: dict[str, Any]) -> tuple[dict[str, object], dict[str, str]]:
    """The terms from the modal's `state.values`, and errors by block id for anything unusable."""
    errors: dict[str, str] = {}
    driver = _selected(values, DRIVER_BLOCK, DRIVER_ACTION)
    if driver not in DRIVERS:
        errors[DRIVER_BLOCK] = "Choose who books your sessions."
    form = _selected(values, FORMAT_BLOCK, FORMAT_ACTION)
    if form not in FORMATS:
        errors[FORMAT_BLOCK] = "Choose how you'll meet."
    numbers: dict[str, int] = {}
    for block_id, action_id, name, what in (
        (CADENCE_BLOCK, CADENCE_ACTION, "cadence_days", "how often you'll meet"),
        (LENGTH_BLOCK, LENGTH_ACTION, "session_minutes", "how long a session lasts"),
    ):
        chosen = _selected(values, block_id, action_id) or ""
        if chosen.isdigit() and 0 < int(chosen) <= 365:
            numbers[name] = int(chosen)
        else:
            errors[block_id] = f"Choose {what}."
    known_rules = ground_rules()
    terms: dict[str, object] = {
        "driver": driver or "",
        "cadence_days": numbers.get("cadence_days", 0),
        "session_minutes": numbers.get("session_minutes", 0),
        "format": form or "",
        "confidentiality": CONFIDENTIAL_VALUE in _ticked(values, CONFIDENTIAL_BLOCK, CONFIDENTIAL_ACTION),
        "ground_rules": ",".join(key for key in known_rules if key in _ticked(values, RULES_BLOCK, RULES_ACTION)),
        "own_rules": "\n".join(own_rule_lines(_typed(values, OWN_RULES_BLOCK, OWN_RULES_ACTION))),
        "mentor_responsibilities": _typed(values, MENTOR_DUTIES_BLOCK, MENTOR_DUTIES_ACTION),
        "mentee_responsibilities": _typed(values, MENTEE_DUTIES_BLOCK, MENTEE_DUTIES_ACTION),
    }
    return terms, errors


# --- what changed --------------------------------------------------------------------------------
def _quoted(text: str) -> str:
    return f"“{escape(text)}”" if text else "nothing written"


def charter_changes(before: CharterView, after: CharterView) -> list[str]:
    """What changed between two versions of a charter, one plain sentence per change."""
    changes: list[str] = []
    if before.driver != after.driver:
        changes.append(f"*Who books sessions*: was “{DRIVERS.get(before.driver, before.driver)}”, now “{DRIVERS.get(after.driver, after.driver)}”.")
    if before.cadence_days != after.cadence_days:
        changes.append(f"*How often*: was {cadence_label(before.cadence_days).lower()}, now {cadence_label(after.cadence_days).lower()}.")
    if before.session_minutes != after.session_minutes:
        changes.append(f"*Session length*: was {before.session_minutes} minutes, now {after.session_minutes} minutes.")
    if before.format != after.format:
        changes.append(f"*How you meet*: was {FORMATS.get(before.format, before.format).lower()}, now {FORMATS.get(after.format, after.format).lower()}.")
    if before.confidentiality != after.confidentiality:
        changes.append("*Confidentiality*: now included." if after.confidentiality else "*Confidentiality*: no longer included.")
    rules = ground_rules()
    old_rules, new_rules = rule_keys(before.ground_rules), rule_keys(after.ground_rules)
    changes += [f"*Ground rule added*: {rules.get(key, key)}" for key in new_rules if key not in old_rules]
    changes += [f"*Ground rule removed*: {rules.get(key, key)}" for key in old_rules if key not in new_rules]
    old_own, new_own = own_rule_lines(before.own_rules), own_rule_lines(after.own_rules)
    changes += [f"*Own ground rule added*: {escape(line)}" for line in new_own if line not in old_own]
    changes += [f"*Own ground rule removed*: {escape(line)}" for line in old_own if line not in new_own]
    if before.mentor_responsibilities != after.mentor_responsibilities:
        changes.append(f"*What the reverse-mentor takes on*: now {_quoted(after.mentor_responsibilities)}")
    if before.mentee_responsibilities != after.mentee_responsibilities:
        changes.append(f"*What the mentee takes on*: now {_quoted(after.mentee_responsibilities)}")
    return changes


# --- showing a charter ---------------------------------------------------------------------------
def charter_state_line(charter: CharterView, *, viewer_role: str) -> str:
    mine = charter.mentor_agreed_at if viewer_role == "mentor" else charter.mentee_agreed_at
    theirs = charter.mentee_agreed_at if viewer_role == "mentor" else charter.mentor_agreed_at
    if mine and theirs:
        return f":white_check_mark: In force: you both agreed version {charter.version}."
    if mine:
        return f":hourglass_flowing_sand: You agreed version {charter.version}; waiting for your partner."
    if theirs:
        return f":raised_hand: Your partner agreed version {charter.version}; waiting for you."
    return f"Version {charter.version}: not agreed yet."


def charter_lines(charter: CharterView) -> list[str]:
    rules = ground_rules()
    all_rules = [rules.get(key, key) for key in rule_keys(charter.ground_rules)] + [escape(line) for line in own_rule_lines(charter.own_rules)]
    lines = [
        f"*Who books sessions*: {DRIVERS.get(charter.driver, charter.driver)}",
        f"*How often*: {cadence_label(charter.cadence_days)}, {charter.session_minutes} minutes, {FORMATS.get(charter.format, charter.format).lower()}",
        f"*Confidentiality*: {CONFIDENTIALITY_TEXT if charter.confidentiality else 'not included'} {CONFIDENTIALITY_ADMIN}",
    ]
    if all_rules:
        lines.append("*Ground rules*:\n" + "\n".join(f"• {rule}" for rule in all_rules))
    lines.append(f"*The reverse-mentor takes on*: {escape(charter.mentor_responsibilities or '') or 'nothing written yet'}")
    lines.append(f"*The mentee takes on*: {escape(charter.mentee_responsibilities or '') or 'nothing written yet'}")
    return lines


def charter_blocks(charter: CharterView) -> list[Block]:
    return [section("\n".join(charter_lines(charter)))]


def build_agreement_request(charter: CharterView, *, pair_id: int, from_id: str, changes: list[str] | None) -> dict[str, Any]:
    """The partner's DM: the charter, what changed (when it did), and Agree / Suggest changes."""
    if changes:
        opening = f"<@{from_id}> changed your charter (now version {charter.version}), so I need your agreement again. What changed:"
        blocks: list[Block] = [section(opening), section("\n".join(f"• {change}" for change in changes))]
    else:
        opening = f"<@{from_id}> has proposed your pair charter and agreed it. Have a look, and agree it or suggest changes."
        blocks = [section(opening)]
    blocks += [
        divider(),
        *charter_blocks(charter),
        actions(
            button("Agree", CHARTER_AGREE_ACTION, f"{charter.id}:{charter.version}", style="primary"),
            button("Suggest changes", CHARTER_EDIT_ACTION, str(pair_id)),
        ),
    ]
    return message(opening, blocks)


def build_charter_saved(charter: CharterView, *, partner_id: str, in_force: bool) -> dict[str, Any]:
    if in_force:
        text = f"Thank you: you and <@{partner_id}> have both agreed version {charter.version}. Your charter is in force."
    else:
        text = f"Saved and agreed on your side (version {charter.version}). I've asked <@{partner_id}> to agree too."
    return message(text, [section(text)])


def build_charter_now_in_force(charter: CharterView, *, partner_id: str) -> dict[str, Any]:
    text = f"<@{partner_id}> has agreed your charter (version {charter.version}). It's now in force. :tada:"
    return message(text, [section(text), *charter_blocks(charter)])


def build_agreed_message(charter: CharterView) -> dict[str, Any]:
    """What the request turns into once agreed: the charter, without the buttons."""
    text = f"You agreed version {charter.version} of your charter. Thank you."
    return message(text, [section(text), *charter_blocks(charter)])


def build_stale_request(charter: CharterView, *, pair_id: int) -> dict[str, Any]:
    text = f"This charter has changed since this message was sent. Here is the latest, version {charter.version}:"
    return message(
        text,
        [
            section(text),
            *charter_blocks(charter),
            actions(
                button("Agree", CHARTER_AGREE_ACTION, f"{charter.id}:{charter.version}", style="primary"),
                button("Suggest changes", CHARTER_EDIT_ACTION, str(pair_id)),
            ),
        ],
    )


def build_already_agreed(charter: CharterView) -> dict[str, Any]:
    text = f"You've already agreed version {charter.version} of your charter. Nothing more to do."
    return message(text, [section(text)])


def build_paused_charter_view(charter: CharterView | None, *, viewer_role: str) -> dict[str, Any]:
    """A read-only look at the charter for a paused pair: it can be read, not changed."""
    note = "Your pair is paused, so the charter can't be changed until it resumes."
    if charter is None:
        return message(note, [section(note)])
    text = charter_state_line(charter, viewer_role=viewer_role)
    return message(text, [header("Your charter"), section(text), *charter_blocks(charter), context(note)])
