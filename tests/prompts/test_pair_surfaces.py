"""The pair's modals and Home stay inside Slack's limits, whatever the pair has filled in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.next_step import NextStep, PairProgress
from domain.roles import Role
from domain.views import CharterView, GoalView, PairView, RoadmapItemView
from prompts import charter as charter_prompts
from prompts import content
from prompts import goals as goal_prompts
from prompts import home as home_prompts
from prompts import topics as topic_prompts

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def _options(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for key in ("options", "initial_options"):
            found += [option for option in node.get(key, []) if isinstance(option, dict) and "value" in option]
        for value in node.values():
            found += _options(value)
    elif isinstance(node, list):
        for value in node:
            found += _options(value)
    return found


def _check_limits(view: dict[str, Any]) -> None:
    assert len(view["blocks"]) <= 100
    if view["type"] == "modal":
        assert len(view["title"]["text"]) <= 24
    assert all(len(option["text"]["text"]) <= 75 for option in _options(view))
    assert all(len(block["text"]["text"]) <= 3000 for block in view["blocks"] if block["type"] == "section" and "text" in block)


def _goal(goal_id: int, owner: str) -> GoalView:
    return GoalView(id=goal_id, owner_id=owner, text="x" * 500, org_benefit="y" * 500, progress="not_started", note="z" * 1000)


def _items(count: int) -> tuple[RoadmapItemView, ...]:
    titles = list(content.topic_titles().items())
    return tuple(RoadmapItemView(id=i + 1, topic_key=key, title=title, position=i + 1, covered_at=None) for i, (key, title) in enumerate(titles[:count]))


def test_the_charter_modal_fits_slack():
    terms = charter_prompts.new_charter_terms(cadence_days=30, session_minutes=60)
    _check_limits(charter_prompts.build_charter_modal(pair_id=1, terms=terms, partner_id="U2", version=None))


def test_the_goals_modals_fit_slack():
    _check_limits(goal_prompts.build_goals_modal(pair_id=1, goals=[_goal(1, "U1"), _goal(2, "U1"), _goal(3, "U1")]))
    _check_limits(goal_prompts.build_progress_modal(_goal(1, "U1")))


def test_the_topics_modal_fits_slack():
    own = [(f"own:{n}", "t" * 120) for n in range(10)]
    _check_limits(topic_prompts.build_topics_modal(pair_id=1, own_topics=own, chosen_keys=["own:1"], minimum=4, maximum=8))


def test_a_full_participant_home_fits_slack():
    terms = {**charter_prompts.new_charter_terms(cadence_days=30, session_minutes=60), "own_rules": "r\n" * 20}
    charter = CharterView(id=1, version=1, mentor_agreed_at=None, mentee_agreed_at=None, **terms)
    progress = PairProgress(has_charter=True, my_goals=3, roadmap_topics=8)
    overview = PairView(
        pair_id=1,
        user_id="U1",
        role=Role.MENTOR,
        partner_id="U2",
        charter=charter,
        my_goals=tuple(_goal(n, "U1") for n in (1, 2, 3)),
        partner_goals=tuple(_goal(n, "U2") for n in (4, 5, 6)),
        roadmap=_items(8),
        progress=progress,
        next_step=NextStep.AGREE_CHARTER,
        step_session_id=None,
        my_open_actions=(),
        partner_open_actions=0,
    )
    _check_limits(home_prompts.build_participant_home(overview))
