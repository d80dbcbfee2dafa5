"""Words for several programmes side by side: which one a reply is about, and choosing another."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prompts.blocks import Block, actions, button, context, ephemeral, escape, excerpt, section

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


def headed(home: dict[str, Any], name: str, others: Sequence[tuple[int, str]]) -> dict[str, Any]:
    """A Home view for someone in several programmes, headed by the one it shows and a button to switch
    to each other (Slack's 100-block cap kept)."""
    if not others:
        return home
    switch = [about_block(name, [other for _, other in others]), actions(*_switch_buttons(others))]
    return {**home, "blocks": [*switch, *home["blocks"]][:100]}


def build_programmes(current: str | None, others: Sequence[tuple[int, str]]) -> dict[str, Any]:
    """`/mentor programme`: the one commands are about now, and the others to choose from."""
    if current is None:
        return ephemeral("You're not in a running programme. An admin can enrol you, or set one up with `/mentor admin setup`.")
    if not others:
        return ephemeral(f"You're in one programme, *{escape(current)}*: every command is about it.")
    text = f"Your commands are about *{escape(current)}*. You're also in: " + ", ".join(f"*{escape(name)}*" for _, name in others) + "."
    return ephemeral(text, [
        actions(*_switch_buttons(others)),
        context("Or type `/mentor programme <name>`. Buttons and reminders about a pair always say which programme they belong to."),
    ])


def build_chosen(name: str) -> dict[str, Any]:
    return {**ephemeral(f"Your commands are now about *{escape(name)}*. `/mentor programme` switches back."), "replace_original": True}


def build_unknown(given: str, names: Sequence[str]) -> dict[str, Any]:
    yours = ", ".join(f"*{escape(name)}*" for name in names) if names else "none running"
    text = f"None of your programmes is called “{excerpt(given)}”. Yours: {yours}."
    return ephemeral(text, [context(USAGE)])


def build_not_yours() -> dict[str, Any]:
    return {**ephemeral("That programme is not one of yours any more (it may have closed). `/mentor programme` lists yours."), "replace_original": False}


def labelled(reply: dict[str, Any], name: str, others: Sequence[str]) -> dict[str, Any]:
    """A reply with the programme it is about as its first block (text-only replies get their text as a section)."""
    blocks = list(reply.get("blocks") or [section(reply.get("text") or "")])
    return {**reply, "blocks": [about_block(name, others), *blocks][:50]}
