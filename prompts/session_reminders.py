"""The messages before and after a session: each member's reminder (with the mentor's agenda and
the topic's opening questions) and the prompt that starts the reflection."""

from __future__ import annotations

from typing import Any

from prompts import content
from prompts.blocks import Block, actions, button, context, divider, escape, message, section
from prompts.reflection_conversation import REFLECTION_TOOK_PLACE_ACTION
from prompts.sessions import SessionView, session_details, when_text
from prompts.timefmt import format_when


def _template() -> dict[str, Any]:
    return content.load("session_template")


def topic_starters(topic_key: str) -> list[str]:
    """The catalogue's opening questions for a topic; none for an open conversation."""
    topics = {topic["key"]: topic for topic in content.topic_catalogue()}
    return list(topics.get(topic_key, {}).get("starters", []))


def _lead(minutes_before: int) -> str:
    if minutes_before % 1440 == 0:
        days = minutes_before // 1440
        return "tomorrow" if days == 1 else f"in {days} days"
    if minutes_before % 60 == 0:
        hours = minutes_before // 60
        return "in an hour" if hours == 1 else f"in {hours} hours"
    return f"in {minutes_before} minutes"


PROPOSED_TOPIC = "The topic is next on your roadmap: the session was booked without one, or its topic is covered already."


def build_mentor_reminder(view: SessionView, *, minutes_before: int, topic_key: str, proposed: bool = False) -> dict[str, Any]:
    """The reverse-mentor's reminder: the session, and a suggested agenda built on the template.
    `proposed`: the topic is the roadmap's next, proposed when the reminder is sent (bot/rules/topics.py)."""
    lead = _lead(minutes_before)
    text = f"Reminder: your session with <@{view.partner_id}> is {lead}, {when_text(view)}."
    blocks: list[Block] = [section(f"*Your session with <@{view.partner_id}> is {lead}.* :spiral_calendar_pad:\n{session_details(view)}")]
    if proposed:
        blocks.append(context(PROPOSED_TOPIC))
    steps = _template()["steps"]
    total = sum(step["minutes_share"] for step in steps) or 1
    agenda = []
    start = 0.0
    for step in steps:
        share = view.minutes * step["minutes_share"] / total
        title = step["title"] + (f": {escape(view.topic)}" if step["key"] == "topic" and view.topic else "")
        agenda.append(f"*{int(start)}–{int(start + share)} min · {title}*\n{step['guide']}")
        start += share
    blocks += [divider(), section("*A suggested agenda*\n" + "\n".join(agenda))]
    starters = topic_starters(topic_key)
    if starters:
        blocks.append(section("*Questions to open with*\n" + "\n".join(f"• {starter}" for starter in starters)))
    blocks.append(context("You lead the session: it's your experience that counts. Your mentee is there to listen and learn."))
    return message(text, blocks)


def build_mentee_reminder(view: SessionView, *, minutes_before: int, proposed: bool = False) -> dict[str, Any]:
    lead = _lead(minutes_before)
    text = f"Reminder: your session with <@{view.partner_id}> is {lead}, {when_text(view)}."
    blocks = [
        section(f"*Your session with <@{view.partner_id}> is {lead}.* :spiral_calendar_pad:\n{session_details(view)}"),
        *([context(PROPOSED_TOPIC)] if proposed else []),
        context(
            "Your role is to listen and learn: let your reverse-mentor lead, ask open questions, "
            "and hold back from advising. Come ready to agree one thing you'll do."
        ),
    ]
    return message(text, blocks)


def build_reflection_prompt(view: SessionView) -> dict[str, Any]:
    """After the session: did it take place? The buttons start the reflection (handlers/reflections.py)."""
    text = f"How was your session with <@{view.partner_id}> on {format_when(view.starts_at, view.tz)}? Did it take place?"
    value = str(view.id)
    blocks = [
        section(f"*{text}*"),
        actions(
            # Slack wants each action_id unique within a block; the reflection handler takes any suffix.
            button("Yes, we met", f"{REFLECTION_TOOK_PLACE_ACTION}_0", f"{value}:yes", style="primary"),
            button("It was cancelled", f"{REFLECTION_TOOK_PLACE_ACTION}_1", f"{value}:cancelled"),
            button("One of us couldn't make it", f"{REFLECTION_TOOK_PLACE_ACTION}_2", f"{value}:no_show"),
            block_id=f"took-place-{value}",
        ),
        context("A few quick questions follow. Your answers are private unless you choose to share them."),
        *([context(f"Programme: *{escape(view.programme)}*")] if view.programme else []),
    ]
    return message(text, blocks)
