"""`/mentor sessions`: the person's sessions to come, with their buttons, and the earlier ones with what became of them."""

from __future__ import annotations

from typing import Any

from prompts.blocks import Block, divider, escape, header, message, section
from prompts.sessions import SessionView, session_buttons, session_details
from prompts.timefmt import format_when

LIST_LIMIT = 8  # per section, to stay well inside 100 blocks

STATUS_WORDS = {"held": "took place", "cancelled": "cancelled", "no_show": "missed", "booked": "booked"}


def _status_line(view: SessionView) -> str:
    status = STATUS_WORDS.get(view.status, view.status)
    if view.status == "booked":
        status = "waiting for your reflection"
    if view.late_cancel:
        status += " (late)"
    topic = f", {escape(view.topic)}" if view.topic else ""
    return f"• {format_when(view.starts_at, view.tz)}{topic}: {status}"


def build_sessions_list(upcoming: list[SessionView], past: list[SessionView]) -> dict[str, Any]:
    """`upcoming` holds the sessions still to come (a cancelled one among them, shown as cancelled)."""
    blocks: list[Block] = [header("Your sessions")]
    booked = [view for view in upcoming if view.status == "booked"]
    if booked:
        blocks.append(section("*Coming up*"))
        for view in booked[:LIST_LIMIT]:
            blocks.append(section(session_details(view)))
            blocks.append(session_buttons(view.id, confirmed=view.confirmed))
    else:
        blocks.append(section("Nothing booked. `/mentor schedule` books your next session."))
    called_off = [view for view in upcoming if view.status != "booked"]
    if called_off:
        blocks.append(section("*Called off*\n" + "\n".join(_status_line(view) for view in called_off[:LIST_LIMIT])))
    if past:
        blocks += [divider(), section("*Earlier*"), section("\n".join(_status_line(view) for view in past[:LIST_LIMIT]))]
    text = f"You have {len(booked)} session{'s' if len(booked) != 1 else ''} coming up."
    return message(text, blocks)
