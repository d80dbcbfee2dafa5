"""Personal goals: the form for one to three goals, the list both sides see, and the progress form."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from domain.views import GoalView
from prompts.blocks import Block, actions, button, context, divider, escape, header, message, plain, section

GOALS_EDIT_ACTION = "goals_edit"  # value: the pair id
GOAL_UPDATE_ACTION = "goal_update"  # value: the goal id
GOALS_CALLBACK = "goals_submit"  # private_metadata: {"pair": id, "goals": [goal id or null per slot]}
GOAL_PROGRESS_CALLBACK = "goal_progress_submit"  # private_metadata: the goal id
GOALS_TITLE = "Your goals"
PROGRESS_TITLE = "Goal progress"

SLOTS = 3
GOAL_ACTION = "text"
BENEFIT_ACTION = "benefit"
PROGRESS_BLOCK, PROGRESS_ACTION = "goal_progress", "progress"
NOTE_BLOCK, NOTE_ACTION = "goal_note", "note"

PROGRESS = {
    "not_started": ":white_circle: Not started",
    "under_way": ":large_blue_circle: Under way",
    "achieved": ":white_check_mark: Achieved",
}


def goal_block(slot: int) -> str:
    return f"goal_{slot}"


def benefit_block(slot: int) -> str:
    return f"benefit_{slot}"


def progress_label(progress: str) -> str:
    return PROGRESS.get(str(progress), str(progress))


def _input(block_id: str, action_id: str, label: str, value: str, placeholder: str) -> Block:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": action_id, "multiline": True, "max_length": 500, "placeholder": plain(placeholder)}
    if value:
        element["initial_value"] = value
    return {"type": "input", "block_id": block_id, "optional": True, "label": plain(label), "element": element}


def build_goals_modal(*, pair_id: int, goals: Sequence[GoalView]) -> dict[str, Any]:
    """One to three goals; each with what the organisation might gain. Blank slots are left out."""
    blocks: list[Block] = [
        section(
            "What do *you* want from this? Write one to three goals: something to learn, understand or change. "
            "For each, say what you hope the organisation gains. Your partner sees your goals; "
            "your programme admin only sees how many you have and how they're going."
        )
    ]
    slots: list[int | None] = []
    for slot in range(1, SLOTS + 1):
        goal = goals[slot - 1] if slot <= len(goals) else None
        slots.append(goal.id if goal is not None else None)
        blocks += [
            _input(goal_block(slot), GOAL_ACTION, f"Goal {slot}", goal.text if goal else "", "e.g. Understand what makes new starters stay or leave"),
            _input(benefit_block(slot), BENEFIT_ACTION, "What the organisation gains", goal.org_benefit if goal else "", "e.g. Better retention of early-career staff"),
        ]
    return {
        "type": "modal",
        "callback_id": GOALS_CALLBACK,
        "private_metadata": json.dumps({"pair": pair_id, "goals": slots}),
        "title": plain(GOALS_TITLE),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def parse_goals_submission(values: dict[str, Any], metadata: str) -> tuple[int, list[tuple[str, str, int | None]], dict[str, str]]:
    """(pair id, [(goal text, organisation gain, goal id kept)], errors by block id)."""
    data = json.loads(metadata or "{}")
    slots = list(data.get("goals") or [])
    drafts: list[tuple[str, str, int | None]] = []
    errors: dict[str, str] = {}
    for slot in range(1, SLOTS + 1):
        text = ((values.get(goal_block(slot)) or {}).get(GOAL_ACTION) or {}).get("value") or ""
        benefit = ((values.get(benefit_block(slot)) or {}).get(BENEFIT_ACTION) or {}).get("value") or ""
        goal_id = slots[slot - 1] if slot <= len(slots) else None
        if text.strip():
            drafts.append((text.strip(), benefit.strip(), goal_id))
        elif benefit.strip():
            errors[goal_block(slot)] = "Write the goal this is for, or clear the box below."
    if not drafts and not errors:
        errors[goal_block(1)] = "Write at least one goal."
    return int(data.get("pair") or 0), drafts, errors


def _goal_text(goal: GoalView) -> str:
    lines = [f"*{escape(goal.text)}*", progress_label(goal.progress)]
    if goal.org_benefit:
        lines.append(f"_For the organisation:_ {escape(goal.org_benefit)}")
    if goal.note:
        lines.append(f"_Latest note:_ {escape(goal.note)}")
    return "\n".join(lines)


def goal_lines(goals: Sequence[GoalView]) -> list[Block]:
    return [section(_goal_text(goal)) for goal in goals]


def build_goals_list(*, pair_id: int, my_goals: Sequence[GoalView], partner_id: str, partner_goals: Sequence[GoalView], can_edit: bool) -> dict[str, Any]:
    blocks: list[Block] = [header("Your goals")]
    if my_goals:
        for goal in my_goals:
            accessory = button("Update progress", GOAL_UPDATE_ACTION, str(goal.id)) if can_edit else None
            blocks.append(section(_goal_text(goal), accessory=accessory))
    else:
        blocks.append(section("You haven't set any goals yet. One to three is plenty."))
    if can_edit:
        blocks.append(actions(button("Edit your goals" if my_goals else "Set your goals", GOALS_EDIT_ACTION, str(pair_id), style=None if my_goals else "primary")))
    blocks += [divider(), section(f"*<@{partner_id}>'s goals*")]
    blocks += goal_lines(partner_goals) if partner_goals else [context("Not set yet.")]
    if not can_edit:
        blocks.append(context("Your pair is paused, so goals can't be changed until it resumes."))
    text = f"Your goals: {len(my_goals)} set. Your partner's: {len(partner_goals)}."
    return message(text, blocks)


def build_progress_modal(goal: GoalView) -> dict[str, Any]:
    options = [{"text": plain(label), "value": value} for value, label in PROGRESS.items()]
    note: dict[str, Any] = {"type": "plain_text_input", "action_id": NOTE_ACTION, "multiline": True, "max_length": 1000}
    if goal.note:
        note["initial_value"] = goal.note
    return {
        "type": "modal",
        "callback_id": GOAL_PROGRESS_CALLBACK,
        "private_metadata": str(goal.id),
        "title": plain(PROGRESS_TITLE),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            section(f"*{escape(goal.text)}*"),
            {
                "type": "input",
                "block_id": PROGRESS_BLOCK,
                "label": plain("How is it going?"),
                "element": {"type": "radio_buttons", "action_id": PROGRESS_ACTION, "options": options, "initial_option": next(o for o in options if o["value"] == goal.progress)},
            },
            {"type": "input", "block_id": NOTE_BLOCK, "optional": True, "label": plain("A note (what helped, what's next)"), "element": note},
        ],
    }


def parse_progress_submission(values: dict[str, Any]) -> tuple[str, str, dict[str, str]]:
    """(progress, note, errors by block id)."""
    option = ((values.get(PROGRESS_BLOCK) or {}).get(PROGRESS_ACTION) or {}).get("selected_option") or {}
    progress = option.get("value") or ""
    note = ((values.get(NOTE_BLOCK) or {}).get(NOTE_ACTION) or {}).get("value") or ""
    errors = {} if progress in PROGRESS else {PROGRESS_BLOCK: "Choose how it's going."}
    return progress, note.strip(), errors


def build_goals_saved(count: int) -> dict[str, Any]:
    text = f"Saved your {'goal' if count == 1 else f'{count} goals'}. Your partner can see {'it' if count == 1 else 'them'} on their Home tab."
    return message(text, [section(text)])


def build_partner_goals_set(*, owner_id: str, count: int) -> dict[str, Any]:
    text = f"<@{owner_id}> has set {'a goal' if count == 1 else f'{count} goals'} for your time together. Have a look on my Home tab."
    return message(text, [section(text)])


def not_your_goal() -> dict[str, Any]:
    text = "Only the person who set a goal can update it. You can see it, and encourage them!"
    return message(text, [section(text)])


def goal_not_found() -> dict[str, Any]:
    text = "I can't find that goal any more: it may have been removed. Type `/mentor goals` to see the current list."
    return message(text, [section(text)])
