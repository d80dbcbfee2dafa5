"""The reflection's Block Kit stays within Slack's limits, whatever the roadmap holds."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from domain.reflection import Answer, Learning, Skipped, Step, TopicChoice
from domain.roles import Role
from prompts import content, tips
from prompts import reflection_conversation as reflections
from prompts.reflection_conversation import SessionContext, build_question, topic_choices
from prompts.reflection_form import build_form_modal

LONG = "A very long topic title that goes on and on about many things at once, far beyond any button"


def _roadmap(count: int):
    return [SimpleNamespace(topic_key=f"t{n}", title=f"{LONG} {n}", position=n, covered_at=None) for n in range(count)]


@pytest.mark.parametrize("step", [step for step in Step if step is not Step.DONE])
@pytest.mark.parametrize("role", list(Role))
def test_questions_have_unique_action_ids_per_block_and_short_buttons(step, role):
    ctx = SessionContext(session_id=42, partner_id="U0PARTNER", role=role, when="Wed 4 Mar, 10:00 GMT")
    message = build_question(step, ctx, topic_choices(_roadmap(15)))
    for block in message["blocks"]:
        if block["type"] == "actions":
            ids = [element["action_id"] for element in block["elements"]]
            assert len(ids) == len(set(ids)) and len(ids) <= 25
            assert all(len(element["text"]["text"]) <= 75 for element in block["elements"])
            assert all(element["value"].startswith("42:") or element["value"] == "42" for element in block["elements"])
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def test_the_topics_keep_the_roadmap_order_whatever_was_covered_or_booked():
    roadmap = _roadmap(3)
    roadmap[0].covered_at = "covered"
    assert [choice.key for choice in topic_choices(roadmap, "t2")] == ["t0", "t1", "t2"]


def test_a_long_roadmap_keeps_the_session_topic_and_uncovered_ones_in_roadmap_order():
    roadmap = _roadmap(12)
    for item in roadmap[:3]:
        item.covered_at = "covered"
    assert [choice.key for choice in topic_choices(roadmap, "t1")] == ["t1", *(f"t{n}" for n in range(3, 12))]


def test_form_fits_slacks_limits():
    ctx = SessionContext(session_id=42, partner_id="U0PARTNER", role=Role.MENTEE, when="Wed 4 Mar, 10:00 GMT")
    view = build_form_modal(ctx, topic_choices(_roadmap(15)), None)
    assert len(view["title"]["text"]) <= 24
    for block in view["blocks"]:
        for option in block.get("element", {}).get("options", []):
            assert len(option["text"]["text"]) <= 75


def test_tips_are_worded_for_each_role():
    assert tips.build_role_reversal(Role.MENTOR) != tips.build_role_reversal(Role.MENTEE)
    assert tips.build_low_safety(Role.MENTOR) != tips.build_low_safety(Role.MENTEE)
    assert reflections.build_low_safety_tips()["text"]


def _all_tips(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    values = node.values() if isinstance(node, dict) else node
    return [tip for value in values for tip in _all_tips(value)]


def test_every_tip_in_the_data_reaches_someone():
    """No dead content: each tip in tips.json is in a message some detector or answer sends."""
    sent = json.dumps(
        [
            *(tips.build_role_reversal(role) for role in Role),
            *(tips.build_cosy_chat(role, []) for role in Role),
            *(tips.build_low_safety(role) for role in Role),
            tips.build_stalled_goal("A goal"),
            reflections.build_low_safety_tips(),
        ]
    )
    unused = [tip for tip in _all_tips(content.tips()) if json.dumps(tip)[1:-1] not in sent]
    assert unused == []


def test_role_reversal_tips_name_each_sides_part():
    mentor, mentee = (json.dumps(tips.build_role_reversal(role)) for role in (Role.MENTOR, Role.MENTEE))
    assert "taking the lead back" in mentor and "add it to your charter" in mentor
    assert "handing the lead back to your reverse-mentor" in mentee and "What do I not see from where I sit?" in mentee


def test_answer_labels_read_the_same_typed_or_clicked():
    topics = [TopicChoice("hybrid-working", "Hybrid working")]
    assert reflections.reply_label(Answer(Step.TOPIC, "hybrid-working"), topics) == "Hybrid working"
    assert reflections.reply_label(Answer(Step.LED, "even"), topics) == "About even"
    assert reflections.reply_label(Answer(Step.SAFETY, 5), topics) == "5 Completely"
    assert reflections.reply_label(Skipped(Step.SAFETY), topics) == "Skipped"
    assert reflections.reply_label(Answer(Step.LEARNING, Learning("x" * 500, True)), topics).endswith("…")


def test_the_question_a_message_asks_is_read_from_its_buttons():
    ctx = SessionContext(session_id=42, partner_id="U0MENTEE", role=Role.MENTOR, when="Wed 4 Mar")
    for step in (Step.TOOK_PLACE, Step.SAFETY, Step.SHARE):
        assert reflections.asked_step(build_question(step, ctx, [])) is step
    assert reflections.asked_step(reflections.build_completed(held=True, created=[])) is None


@pytest.mark.parametrize("role", list(Role))
def test_the_who_led_and_insight_questions_say_which_flag_reaches_the_admin_before_they_are_answered(role):
    ctx = SessionContext(session_id=42, partner_id="U0PARTNER", role=role, when="Wed 4 Mar, 10:00 GMT")
    topics = topic_choices(_roadmap(3))
    assert '"roles reverting"' in str(build_question(Step.LED, ctx, topics))
    assert '"topics drying up"' in str(build_question(Step.LEARNING, ctx, topics))
    hints = {block["block_id"]: block.get("hint", {}).get("text", "") for block in build_form_modal(ctx, topics, None)["blocks"] if block["type"] == "input"}
    assert '"roles reverting"' in hints["led"] and '"topics drying up"' in hints["learning"]
    assert all(len(hint) <= 2000 for hint in hints.values())
