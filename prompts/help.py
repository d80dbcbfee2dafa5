"""What `/mentor help` says, and the pointer for a DM the bot does not understand."""

from __future__ import annotations

from typing import Any

from prompts.blocks import context, divider, header, message, section

COMMANDS: list[tuple[str, str]] = [
    ("/mentor help", "What you can do, and where you stand."),
    ("/mentor reflect", "Reflect on your last session: a few short questions in our DM."),
    ("/mentor reflections", "Read your reflections, and what your partner chose to share."),
    ("/mentor actions", "Your pair's actions: tick them off, add, edit or drop them."),
]

ADMIN_COMMANDS: list[tuple[str, str]] = [
    ("/mentor admin report", "How the programme is going, with a chart in our DM."),
    ("/mentor admin export", "A CSV with one row per pair: counts and flags, no private answers."),
    ("/mentor admin peers #channel", "A monthly post for the cohort's reverse-mentors in a channel of your choice."),
]


def build_help_message(*, unknown: str | None = None) -> dict[str, Any]:
    lines = "\n".join(f"• `{command}`: {what}" for command, what in COMMANDS)
    blocks = []
    if unknown:
        blocks.append(section(f"I don't know `/mentor {unknown}` yet. Here is what I can do:"))
    blocks += [
        header("Flipside: reverse mentoring, kept on track"),
        section(
            "I help a reverse-mentor and a senior colleague agree how they will work together, "
            "keep their sessions happening, and reflect on what they learn."
        ),
        divider(),
        section(lines),
        context("Open my *Home* tab any time to see your next step."),
    ]
    fallback = f"I don't know `/mentor {unknown}`. " if unknown else ""
    return message(fallback + "Flipside help: type /mentor help to see what you can do.", blocks)


def build_dm_pointer() -> dict[str, Any]:
    text = "I didn't catch that. Type `/mentor help` to see what I can do, or open my Home tab for your next step."
    return message(text, [section(text)])
