"""The reflection as one modal form, for those who would rather not answer in the DM, and its errors."""

from __future__ import annotations

from typing import Any

from domain.reflection import OTHER_TOPIC, TopicChoice
from domain.roles import Led
from domain.views import ReflectionView
from prompts.blocks import Block, plain, section
from prompts.reflection_conversation import (
    INSIGHT_NOTICE,
    LED_LABELS,
    LED_NOTICE,
    SAFETY_LABELS,
    TOOK_PLACE_LABELS,
    SessionContext,
)

REFLECTION_FORM_CALLBACK = "reflection_form"
FORM_ACTION = "value"


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text[:75]), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = True, hint: str | None = None) -> Block:
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label), "element": element, "optional": optional}
    if hint:
        block["hint"] = plain(hint)
    return block


def _with_initial(element: dict[str, Any], options: list[dict[str, Any]], value: str | None) -> dict[str, Any]:
    for option in options:
        if value is not None and option["value"] == value:
            element["initial_option"] = option
    return element


def build_form_modal(ctx: SessionContext, topics: list[TopicChoice], reflection: ReflectionView | None) -> dict[str, Any]:
    took_options = [_option(label, value) for value, label in TOOK_PLACE_LABELS.items()]
    led_options = [_option(label, value) for value, label in LED_LABELS.items()]
    safety_options = [_option(label, str(value)) for value, label in SAFETY_LABELS.items()]
    topic_options = [_option(topic.title, topic.key) for topic in topics] + [_option("Something else", OTHER_TOPIC)]
    led_initial = None
    if reflection is not None and reflection.led_by:
        led_initial = "even" if reflection.led_by == Led.BALANCED else ("me" if reflection.led_by == ctx.role.value else "partner")
    share_option = _option("Share with my partner once they have reflected too", "yes")
    share: dict[str, Any] = {"type": "checkboxes", "action_id": FORM_ACTION, "options": [share_option]}
    if reflection is not None and reflection.shared:
        share["initial_options"] = [share_option]
    learning: dict[str, Any] = {"type": "plain_text_input", "action_id": FORM_ACTION, "multiline": True, "max_length": 3000}
    if reflection is not None and reflection.learning:
        learning["initial_value"] = reflection.learning
    blocks: list[Block] = [
        section(f"Your session with <@{ctx.partner_id}> on {ctx.when}."),
        _input(
            "took_place",
            "Did the session take place?",
            _with_initial({"type": "radio_buttons", "action_id": FORM_ACTION, "options": took_options}, took_options, reflection.took_place if reflection else None),
            optional=False,
        ),
        _input(
            "led",
            "Who did most of the sharing and teaching?",
            _with_initial({"type": "radio_buttons", "action_id": FORM_ACTION, "options": led_options}, led_options, led_initial),
            hint=LED_NOTICE,
        ),
        _input(
            "safety",
            "How free did you feel to say what was on your mind?",
            _with_initial(
                {"type": "static_select", "action_id": FORM_ACTION, "placeholder": plain("1 (not at all) to 5 (completely)"), "options": safety_options},
                safety_options,
                str(reflection.safety) if reflection and reflection.safety else None,
            ),
            hint="Only you see this unless you share.",
        ),
        _input(
            "topic",
            "Which topic did you cover?",
            _with_initial(
                {"type": "static_select", "action_id": FORM_ACTION, "placeholder": plain("Choose a topic"), "options": topic_options},
                topic_options,
                reflection.topic_key if reflection else None,
            ),
        ),
        _input("learning", "What did you learn or see differently?", learning, hint="Only you see this unless you share. " + INSIGHT_NOTICE),
        _input(
            "actions",
            "What will you do as a result?",
            {"type": "plain_text_input", "action_id": FORM_ACTION, "multiline": True, "max_length": 3000},
            hint="One action per line. Add 'by friday' to a line for its own due date.",
        ),
        _input("due", "Due date for actions without one", {"type": "datepicker", "action_id": FORM_ACTION}),
        _input("share", "Share with your partner?", share),
    ]
    return {
        "type": "modal",
        "callback_id": REFLECTION_FORM_CALLBACK,
        "private_metadata": str(ctx.session_id),
        "title": plain("Reflect on your session"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


FORM_ERRORS = {
    "took_place": "Please say whether the session took place.",
    "due_past": "Please choose today or a later date.",
    "actions": "Type one action per line, or leave this empty.",
}
