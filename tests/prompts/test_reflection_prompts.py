"""The reflection's Block Kit stays within Slack's limits, whatever the roadmap holds."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.reflection_flow import Step
from prompts import reflections, tips
from prompts.reflections import SessionContext, build_form_modal, build_question, topic_choices
from store.models import Role

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


def test_the_session_topic_comes_first_and_covered_topics_last():
    roadmap = _roadmap(3)
    roadmap[0].covered_at = "covered"
    assert [choice.key for choice in topic_choices(roadmap, "t2")] == ["t2", "t1", "t0"]


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
