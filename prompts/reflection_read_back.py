"""Reflections read back with `/mentor reflections`: your own, and a partner's only where they shared it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.reflection import OTHER_TOPIC
from domain.roles import Led, Role
from domain.views import ReflectionView
from prompts.blocks import Block, context, divider, escape, header, message, section
from prompts.reflection_conversation import TOOK_PLACE_LABELS


def _describe(reflection: ReflectionView, *, viewer_role: Role, own: bool, topic_titles: dict[str, str]) -> str:
    parts: list[str] = []
    if reflection.took_place and reflection.took_place != "yes":
        parts.append("Did not take place: " + TOOK_PLACE_LABELS[reflection.took_place].lower())
    if reflection.led_by:
        if reflection.led_by == Led.BALANCED:
            parts.append("Led: about even")
        else:
            who = "you" if reflection.led_by == viewer_role.value else ("your partner" if own else "them")
            parts.append(f"Led mostly by {who}")
    if reflection.safety is not None:
        parts.append(f"Felt free to speak: {reflection.safety}/5")
    if reflection.topic_key:
        parts.append("Topic: " + ("something else" if reflection.topic_key == OTHER_TOPIC else escape(topic_titles.get(reflection.topic_key, reflection.topic_key))))
    if reflection.learning:
        parts.append(f"Learned: {escape(reflection.learning)}")
    elif reflection.new_insight is False:
        parts.append("Nothing new this time")
    if own:
        parts.append("Shared with your partner" if reflection.shared else "Private to you")
    if reflection.completed_at is None:
        parts.append("_Not finished yet_")
    return "\n".join(f"• {part}" for part in parts) or "• No answers yet"


@dataclass(frozen=True)
class ReflectionEntry:
    when: str
    own: ReflectionView | None
    partner: ReflectionView | None  # only when the partner shared it and the viewer has reflected
    partner_reflected: bool
    partner_id: str


def build_reflections_list(entries: list[ReflectionEntry], *, viewer_role: Role, topic_titles: dict[str, str], admin: bool = False) -> dict[str, Any]:
    blocks: list[Block] = [header("Your reflections")]
    if not entries:
        text = "You haven't reflected on a session yet. After your next session I'll ask you a few short questions."
        if admin:
            text = "Reflections are private to the people who write them. As an admin you see totals only, in the programme report."
        blocks.append(section(text))
        return message(text, blocks)
    for entry in entries[:20]:
        blocks.append(divider())
        blocks.append(section(f"*Session on {entry.when}*"))
        if entry.own is not None:
            blocks.append(section("*You*\n" + _describe(entry.own, viewer_role=viewer_role, own=True, topic_titles=topic_titles)))
        else:
            blocks.append(context("You haven't reflected on this session. Type `/mentor reflect` to start."))
        partner = f"<@{entry.partner_id}>"
        if entry.partner is not None:
            blocks.append(section(f"*{partner}, shared with you*\n" + _describe(entry.partner, viewer_role=viewer_role, own=False, topic_titles=topic_titles)))
        elif entry.partner_reflected and entry.own is None:
            blocks.append(context(f"{partner} has reflected on this session. Reflect too, and you'll see anything they chose to share."))
        elif entry.partner_reflected:
            blocks.append(context(f"{partner} kept their reflection private."))
    blocks.append(context("Your answers are private unless you share them. Admins never see individual reflections."))
    return message("Your reflections", blocks[:100])
