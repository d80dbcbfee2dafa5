"""Block Kit rules that real Slack enforces, so the sandbox refuses what Slack would refuse.

A message Slack will not take (`invalid_blocks`) or a view it will not open (`invalid_arguments`)
should fail in the sandbox and in the tests too, not only in a real workspace. These are the
documented limits a bot most easily trips over: counts, lengths, and ids that must be unique.
https://api.slack.com/reference/block-kit/blocks and .../block-elements, .../composition-objects
"""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100
ID_LENGTH = 255
TEXT_LIMITS = {"header": 150, "section": 3000, "field": 2000, "button": 75, "option": 75, "option_description": 75,
               "label": 2000, "placeholder": 150, "hint": 2000, "view_title": 24, "view_button": 24}
OPTION_VALUE, BUTTON_VALUE = 150, 2000
ELEMENTS = {"actions": 25, "context": 10}
FIELDS, OPTIONS = 10, 100


def _text(obj: Any) -> str:
    return obj.get("text", "") if isinstance(obj, dict) else ""


def _too_long(problems: list[str], where: str, obj: Any, kind: str) -> None:
    text = _text(obj)
    if len(text) > TEXT_LIMITS[kind]:
        problems.append(f"{where}: {kind} text is {len(text)} characters, more than {TEXT_LIMITS[kind]}")


def _options(problems: list[str], where: str, element: dict[str, Any]) -> None:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    if len(options) > OPTIONS and element.get("type") != "overflow":
        problems.append(f"{where}: {len(options)} options, more than {OPTIONS}")
    if element.get("type") == "overflow" and not 1 <= len(options) <= 5:
        problems.append(f"{where}: an overflow menu has 1 to 5 options, not {len(options)}")
    if element.get("type") in ("radio_buttons", "checkboxes") and len(options) > 10:
        problems.append(f"{where}: {len(options)} {element['type']} options, more than 10")
    for option in options:
        _too_long(problems, where, option.get("text"), "option")
        _too_long(problems, where, option.get("description"), "option_description")
        if len(str(option.get("value", ""))) > OPTION_VALUE:
            problems.append(f"{where}: an option value is longer than {OPTION_VALUE} characters")


def _element(problems: list[str], where: str, element: dict[str, Any]) -> None:
    if len(str(element.get("action_id", ""))) > ID_LENGTH:
        problems.append(f"{where}: action_id longer than {ID_LENGTH} characters")
    if element.get("type") == "button":
        _too_long(problems, where, element.get("text"), "button")
        if len(str(element.get("value", ""))) > BUTTON_VALUE:
            problems.append(f"{where}: a button value is longer than {BUTTON_VALUE} characters")
    _too_long(problems, where, element.get("placeholder"), "placeholder")
    _options(problems, where, element)


def block_problems(blocks: Any, *, view: bool) -> list[str]:
    """What Slack would object to in these blocks (empty when they are fine)."""
    if not isinstance(blocks, list):
        return ["blocks is not a list"]
    problems: list[str] = []
    limit = VIEW_BLOCKS if view else MESSAGE_BLOCKS
    if len(blocks) > limit:
        problems.append(f"{len(blocks)} blocks, more than {limit}")
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"blocks[{index}] ({block.get('type') if isinstance(block, dict) else '?'})"
        if not isinstance(block, dict) or "type" not in block:
            problems.append(f"{where}: not a block (an object with a type)")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in block_ids:
                problems.append(f"{where}: block_id {block_id!r} is used twice")
            block_ids.add(block_id)
            if len(str(block_id)) > ID_LENGTH:
                problems.append(f"{where}: block_id longer than {ID_LENGTH} characters")
        kind = block.get("type")
        if kind == "header":
            _too_long(problems, where, block.get("text"), "header")
        elif kind == "section":
            if not block.get("text") and not block.get("fields"):
                problems.append(f"{where}: a section needs text or fields")
            _too_long(problems, where, block.get("text"), "section")
            fields = block.get("fields") or []
            if len(fields) > FIELDS:
                problems.append(f"{where}: {len(fields)} fields, more than {FIELDS}")
            for field in fields:
                _too_long(problems, where, field, "field")
        elif kind == "input":
            _too_long(problems, where, block.get("label"), "label")
            _too_long(problems, where, block.get("hint"), "hint")
        elements = [block[key] for key in ("accessory", "element") if isinstance(block.get(key), dict)]
        if kind in ELEMENTS:
            elements += [e for e in block.get("elements") or [] if isinstance(e, dict)]
            if len(block.get("elements") or []) > ELEMENTS[kind]:
                problems.append(f"{where}: {len(block['elements'])} elements, more than {ELEMENTS[kind]}")
        action_ids = [e.get("action_id") for e in elements if e.get("action_id") is not None]
        for action_id in {a for a in action_ids if action_ids.count(a) > 1}:
            problems.append(f"{where}: action_id {action_id!r} is used by more than one element")
        for element in elements:
            _element(problems, where, element)
    return problems


def view_problems(view: dict[str, Any]) -> list[str]:
    problems = block_problems(view.get("blocks", []), view=True)
    for key in ("title", "submit", "close"):
        if key in view:
            _too_long(problems, f"the view's {key}", view[key], "view_title" if key == "title" else "view_button")
    return problems
