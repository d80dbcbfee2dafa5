"""Actions: the list in `/mentor actions` with its buttons, the add/edit form and the due reminder."""

from __future__ import annotations

import json
from typing import Any

from domain.statuses import ActionStatus
from domain.views import ActionView
from prompts.blocks import Block, actions, button, context, divider, escape, header, message, plain, section
from prompts.timefmt import format_day

ACTION_DONE_ACTION = "action_done"
ACTION_DONE_FROM_REMINDER_ACTION = "action_done_from_reminder"
ACTION_EDIT_ACTION = "action_edit"
ACTION_DROP_ACTION = "action_drop"
ACTION_ADD_ACTION = "action_add"
ACTION_FORM_CALLBACK = "action_form"
FORM_ACTION = "value"

SCOPES = {"personal": "For me", "organisational": "For the organisation"}


def action_line(action: ActionView, viewer_id: str) -> str:
    """One action as both sides read it: the text, whose it is, and when it is due or was done."""
    owner = "You" if action.owner_id == viewer_id else f"<@{action.owner_id}>"
    details = [owner]
    if action.scope == "organisational":
        details.append("for the organisation")
    if action.status == ActionStatus.DONE:
        done = f"done {format_day(action.done_at.date())}" if action.done_at else "done"
        return f":white_check_mark: ~{escape(action.text)}~\n_{' · '.join([*details, done])}_"
    if action.due_on:
        details.append(f"due {format_day(action.due_on)}")
    return f":small_blue_diamond: {escape(action.text)}\n_{' · '.join(details)}_"


def done_button(action: ActionView) -> dict[str, Any]:
    return button("Done", ACTION_DONE_ACTION, str(action.id), style="primary")


def build_actions_list(items: list[ActionView], *, viewer_id: str) -> dict[str, Any]:
    blocks: list[Block] = [header("Your pair's actions")]
    open_items = [item for item in items if item.status == ActionStatus.OPEN]
    done_items = [item for item in items if item.status == ActionStatus.DONE]
    if not items:
        blocks.append(section("No actions yet. Add one below, or they'll appear here from your reflections."))
    if open_items:
        blocks.append(section("*Open*"))
    for item in open_items[:30]:
        own = item.owner_id == viewer_id
        accessory = done_button(item) if own else None
        blocks.append(section(action_line(item, viewer_id), accessory=accessory, block_id=f"action_{item.id}"))
        if own:
            blocks.append(
                actions(
                    button("Edit", ACTION_EDIT_ACTION, str(item.id)),
                    button("Drop", ACTION_DROP_ACTION, str(item.id), style="danger"),
                    block_id=f"action_manage_{item.id}",
                )
            )
    if done_items:
        blocks.append(divider())
        blocks.append(section("*Done*"))
        for item in done_items[:20]:
            blocks.append(section(action_line(item, viewer_id), block_id=f"action_{item.id}"))
    blocks.append(divider())
    blocks.append(actions(button("Add an action", ACTION_ADD_ACTION, "add"), block_id="action_add"))
    blocks.append(context("Actions are visible to both of you. Only the person who owns one can tick it off."))
    summary = f"Your pair's actions: {len(open_items)} open, {len(done_items)} done."
    return message(summary, blocks[:100])


def build_action_modal(*, action: ActionView | None, origin: dict[str, str]) -> dict[str, Any]:
    text: dict[str, Any] = {"type": "plain_text_input", "action_id": FORM_ACTION, "max_length": 500}
    due: dict[str, Any] = {"type": "datepicker", "action_id": FORM_ACTION}
    scope_options = [{"text": plain(label), "value": value} for value, label in SCOPES.items()]
    scope: dict[str, Any] = {"type": "radio_buttons", "action_id": FORM_ACTION, "options": scope_options, "initial_option": scope_options[0]}
    if action is not None:
        text["initial_value"] = action.text
        if action.due_on:
            due["initial_date"] = action.due_on.isoformat()
        scope["initial_option"] = next((option for option in scope_options if option["value"] == action.scope), scope_options[0])
    return {
        "type": "modal",
        "callback_id": ACTION_FORM_CALLBACK,
        "private_metadata": json.dumps({"action": action.id if action else None, **origin}),
        "title": plain("Edit action" if action else "Add an action"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            {"type": "input", "block_id": "text", "label": plain("What will you do?"), "element": text},
            {"type": "input", "block_id": "due", "label": plain("Due date"), "element": due, "optional": True},
            {"type": "input", "block_id": "scope", "label": plain("Who is it for?"), "element": scope, "optional": True},
        ],
    }


FORM_ERRORS = {
    "text": "Please say what you will do.",
    "due_past": "Please choose today or a later date.",
}


def build_due_reminder(action: ActionView) -> dict[str, Any]:
    text = f"An action you set yourself is due today: *{escape(action.text)}*. Done already? Tick it off. If not, there's still time."
    return message(
        f"An action you set is due today: {escape(action.text)}",
        [
            section(text),
            actions(button("Done", ACTION_DONE_FROM_REMINDER_ACTION, str(action.id), style="primary"), block_id="action_due"),
            context("See all your pair's actions with `/mentor actions`."),
        ],
    )


def build_reminder_done(action: ActionView) -> dict[str, Any]:
    text = f":white_check_mark: Done: ~{escape(action.text)}~. Well done."
    return message(f"Done: {escape(action.text)}", [section(text)])


def build_no_pair() -> dict[str, Any]:
    text = "You aren't in a mentoring pair yet, so there are no actions to show. Your programme admin can pair you up."
    return message(text, [section(text)])


def build_not_yours() -> dict[str, Any]:
    text = "Only the person who owns an action can change it."
    return message(text, [section(text)])
