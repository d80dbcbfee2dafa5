"""What the detectors say: tips worded for each side, each from its reader's own answers, never revealing what anyone answered."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from domain.thresholds import DEFAULTS
from prompts import content
from prompts.blocks import context, escape, message, section

FOOTER = "I send this when your own reflections show a pattern across sessions. Your partner's answers play no part in it, and nothing anyone wrote is shared."
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def last_sessions(count: int) -> str:
    """'your last session', 'your last three sessions': the detectors' thresholds, as people read them."""
    if count == 1:
        return "your last session"
    return f"your last {NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else count} sessions"


def _bullets(items: list[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def build_role_reversal(role: Role | str) -> dict[str, Any]:
    role = Role(role)
    opening = (
        "Your recent reflections say most of the sharing and teaching has come from the senior side. "
        "That's a common drift in reverse mentoring, and easy to turn round."
    )
    ask = "Some ideas for taking the lead back:" if role is Role.MENTOR else "Some ideas for handing the lead back to your reverse-mentor:"
    text = f"*Keeping the roles the right way round*\n{opening}\n\n{ask}\n{_bullets(content.tips()['role_reversal'][role.value])}"
    return message("Keeping the roles the right way round: a few ideas for your next session.", [section(text), context(FOOTER)])


def build_cosy_chat(role: Role | str, suggestions: list[dict[str, Any]], *, sessions: int = DEFAULTS.cosy_chat_run) -> dict[str, Any]:
    role = Role(role)
    lines = [
        "*Time for a fresh topic?*",
        f"{last_sessions(sessions).capitalize()} didn't move your roadmap on, or didn't bring you a new insight, going by your reflections. "
        "Pleasant chats are good; stretching ones are better.",
    ]
    if suggestions:
        lines.append("Topics you haven't covered yet:\n" + _bullets([f"*{escape(topic['title'])}*: {escape(topic['summary'])}" for topic in suggestions]))
    lines.append("Ideas for the next session:\n" + _bullets(content.tips()["cosy_chat"][role.value]))
    return message("Time for a fresh topic? A few suggestions for your next session.", [section("\n\n".join(lines)), context(FOOTER)])


def build_low_safety(role: Role | str) -> dict[str, Any]:
    role = Role(role)
    text = (
        "*Making it easier to speak freely*\n"
        "Your recent reflections say your sessions have felt less open than they could. That's normal in a relationship across a big "
        "difference in seniority, and it gets better with care from both sides.\n\n"
        f"{_bullets(content.tips()['low_safety_pair'][role.value])}"
    )
    return message("Making it easier to speak freely: a few ideas for your next session.", [section(text), context(FOOTER)])


def build_stalled_goal(goal_text: str, *, sessions: int = DEFAULTS.stalled_goal_sessions) -> dict[str, Any]:
    text = (
        f"*Your goal: {escape(goal_text)}*\n"
        f"It hasn't changed over {last_sessions(sessions)}. Worth a fresh look?\n\n"
        f"{_bullets(content.tips()['stalled_goal'])}"
    )
    return message(f"A nudge about your goal: {escape(goal_text)}", [section(text), context("Only you get this message.")])
