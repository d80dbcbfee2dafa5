"""Records for the views, built from rows: the one place that reads a row on the words' behalf."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any, TypeVar

from bot.rules.detectors import thresholds_of
from domain.views import (
    ActionView,
    CharterView,
    GoalView,
    PersonView,
    ProgrammeView,
    ReflectionView,
    RoadmapItemView,
)
from store.models import Action, Charter, Goal, Person, Programme, Reflection, RoadmapItem

View = TypeVar("View")


def _copied(view: type[View], row: Any, **derived: Any) -> View:
    """A view record holding the row's fields of the same names, and `derived` for the rest."""
    return view(**{field.name: getattr(row, field.name) for field in fields(view) if field.name not in derived}, **derived)


def programme_view(programme: Programme) -> ProgrammeView:
    return _copied(ProgrammeView, programme, thresholds=thresholds_of(programme))


def person_view(person: Person) -> PersonView:
    return _copied(PersonView, person)


def action_view(action: Action) -> ActionView:
    return _copied(ActionView, action)


def reflection_view(reflection: Reflection) -> ReflectionView:
    return _copied(ReflectionView, reflection)


def charter_view(charter: Charter) -> CharterView:
    return _copied(CharterView, charter)


def goal_view(goal: Goal) -> GoalView:
    return _copied(GoalView, goal)


def goal_views(goals: Iterable[Goal]) -> tuple[GoalView, ...]:
    return tuple(goal_view(goal) for goal in goals)


def roadmap_view(items: Iterable[RoadmapItem]) -> tuple[RoadmapItemView, ...]:
    return tuple(_copied(RoadmapItemView, item) for item in items)
