"""Words for several programmes side by side: which one a reply is about, and choosing another."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prompts.blocks import Block, actions, button, context, escape, excerpt, message, section

CHOOSE_ACTION = "programme_choose"
MAX_SWITCH_BUTTONS = 5  # an actions block holds up to 25; five programmes at once is already a lot to read

USAGE = "Type `/mentor programme` to see your programmes, or `/mentor programme <name>` to choose the one your commands are about."


def about_line(name: str, others: Sequence[str]) -> str:
    """The line every reply, reminder and Home starts with when the person has more than one programme."""
    count = len(others) + 1
    return f"About *{escape(name)}* (one of your {count} programmes) · `/mentor programme` to switch"


def about_block(name: str, others: Sequence[str]) -> Block:
    return context(about_line(name, others))


def _switch_buttons(others: Sequence[tuple[int, str]]) -> list[dict[str, Any]]:
    # Slack wants each action_id unique within a block; the handler takes any suffix.
    return [
        button(f"Switch to {name[:60]}", f"{CHOOSE_ACTION}_{index}", value=str(programme_id))
        for index, (programme_id, name) in enumerate(others[:MAX_SWITCH_BUTTONS])
    ]


def switch_blocks(name: str, others: Sequence[tuple[int, str]]) -> list[Block]:
    """The Home's first blocks for someone in several programmes: which one it shows, and a button for each other."""
    buttons = _switch_buttons(others)
    return [about_block(name, [other for _, other in others]), actions(*buttons)] if buttons else []


def build_programmes(current: str | None, others: Sequence[tuple[int, str]]) -> dict[str, Any]:
    """`/mentor programme`: the one commands are about now, and the others to choose from."""
    if current is None:
        text = "You're not in a running programme. An admin can enrol you, or set one up with `/mentor admin setup`."
        return {"response_type": "ephemeral", **message(text, [section(text)])}
    if not others:
        text = f"You're in one programme, *{escape(current)}*: every command is about it."
        return {"response_type": "ephemeral", **message(text.replace("*", ""), [section(text)])}
    text = f"Your commands are about *{escape(current)}*. You're also in: " + ", ".join(f"*{escape(name)}*" for _, name in others) + "."
    blocks: list[Block] = [section(text)]
    blocks.append(actions(*_switch_buttons(others)))
    blocks.append(context("Or type `/mentor programme <name>`. Buttons and reminders about a pair always say which programme they belong to."))
    return {"response_type": "ephemeral", **message(text.replace("*", ""), blocks)}


def build_chosen(name: str) -> dict[str, Any]:
    text = f"Your commands are now about *{escape(name)}*. `/mentor programme` switches back."
    return {"response_type": "ephemeral", "replace_original": True, **message(text.replace("*", ""), [section(text)])}


def build_unknown(given: str, names: Sequence[str]) -> dict[str, Any]:
    yours = ", ".join(f"*{escape(name)}*" for name in names) if names else "none running"
    text = f"None of your programmes is called “{excerpt(given)}”. Yours: {yours}."
    return {"response_type": "ephemeral", **message(text.replace("*", ""), [section(text), context(USAGE)])}


def build_not_yours() -> dict[str, Any]:
    text = "That programme is not one of yours any more (it may have closed). `/mentor programme` lists yours."
    return {"response_type": "ephemeral", "replace_original": False, **message(text, [section(text)])}


def labelled(reply: dict[str, Any], name: str, others: Sequence[str]) -> dict[str, Any]:
    """A reply with the programme it is about as its first block (text-only replies get their text as a section)."""
    blocks = list(reply.get("blocks") or [section(reply.get("text") or "")])
    return {**reply, "blocks": [about_block(name, others), *blocks][:50]}
