"""The records words read are built from rows field by field, and carry nothing a row has beyond them."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

from bot.views import charter_view, goal_view, roadmap_view
from domain.views import CharterView, GoalView, RoadmapItemView
from store.models import Charter, Goal, RoadmapItem

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def test_a_charter_view_holds_the_rows_terms_and_agreements_and_nothing_of_who_edited_it():
    row = Charter(
        id=7, team_id="T", pair_id=3, driver="alternating", cadence_days=14, session_minutes=45, format="in_person",
        confidentiality=False, ground_rules="listen", own_rules="no phones", mentor_responsibilities="book",
        mentee_responsibilities="show up", version=4, mentor_agreed_at=NOW, updated_by="U0MENTOR", updated_at=NOW,
    )
    view = charter_view(row)
    assert view == CharterView(
        id=7, driver="alternating", cadence_days=14, session_minutes=45, format="in_person", confidentiality=False,
        ground_rules="listen", own_rules="no phones", mentor_responsibilities="book", mentee_responsibilities="show up",
        version=4, mentor_agreed_at=NOW, mentee_agreed_at=None,
    )
    assert not hasattr(view, "team_id") and not hasattr(view, "updated_by")


def test_goal_and_roadmap_views_copy_each_field_they_name():
    goal = Goal(id=2, team_id="T", pair_id=3, owner_id="U0MENTEE", text="Listen more", org_benefit="Retention", progress="on_track", note="week 2")
    item = RoadmapItem(id=5, team_id="T", pair_id=3, topic_key="own:1", title="Hybrid work", position=2, covered_at=NOW)
    assert goal_view(goal) == GoalView(id=2, owner_id="U0MENTEE", text="Listen more", org_benefit="Retention", progress="on_track", note="week 2")
    assert roadmap_view([item]) == (RoadmapItemView(id=5, topic_key="own:1", title="Hybrid work", position=2, covered_at=NOW),)
    assert {field.name for field in fields(RoadmapItemView)} < set(RoadmapItem.model_fields)
