"""Records for the views, built from rows: the one place that reads a row on the words' behalf."""

from __future__ import annotations

from bot.rules.detectors import thresholds_of
from domain.views import ActionView, PersonView, ProgrammeView, ReflectionView
from store.models import Action, Person, Programme, Reflection


def programme_view(programme: Programme) -> ProgrammeView:
    return ProgrammeView(
        id=programme.id,
        name=programme.name,
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        cadence_days=programme.cadence_days,
        session_minutes=programme.session_minutes,
        reminder_minutes=programme.reminder_minutes,
        reflection_delay_minutes=programme.reflection_delay_minutes,
        work_start_hour=programme.work_start_hour,
        work_end_hour=programme.work_end_hour,
        k_anonymity=programme.k_anonymity,
        max_pairs_per_person=programme.max_pairs_per_person,
        retention_days=programme.retention_days,
        thresholds=thresholds_of(programme),
    )


def person_view(person: Person) -> PersonView:
    return PersonView(department=person.department, interests=person.interests)


def action_view(action: Action) -> ActionView:
    return ActionView(
        id=action.id,
        owner_id=action.owner_id,
        text=action.text,
        scope=action.scope,
        due_on=action.due_on,
        status=action.status,
        done_at=action.done_at,
    )


def reflection_view(reflection: Reflection) -> ReflectionView:
    return ReflectionView(
        took_place=reflection.took_place,
        led_by=reflection.led_by,
        safety=reflection.safety,
        topic_key=reflection.topic_key,
        learning=reflection.learning,
        new_insight=reflection.new_insight,
        shared=reflection.shared,
        completed_at=reflection.completed_at,
    )
