"""The one next step for a person, from their pair's state: every state a pair can be in, in a table,
and the promises the ordered list keeps over every combination of the facts."""

from __future__ import annotations

from dataclasses import fields, replace
from itertools import product

import pytest

from bot.rules.next_step import CONDITIONS, next_step
from domain.next_step import NextStep, PairProgress

AGREED = PairProgress(
    has_charter=True,
    i_agreed_charter=True,
    partner_agreed_charter=True,
    my_goals=2,
    roadmap_topics=5,
    i_agreed_roadmap=True,
    partner_agreed_roadmap=True,
)
MEETING = replace(AGREED, met=True, session_ahead=True)


def _with(base: PairProgress = AGREED, **changes) -> PairProgress:
    return replace(base, **changes)


STATES = [
    ("a new pair starts with the charter", PairProgress(), NextStep.START_CHARTER),
    ("a charter the partner proposed is mine to agree", _with(i_agreed_charter=False, my_goals=0, roadmap_topics=0), NextStep.AGREE_CHARTER),
    ("after agreeing the charter come my goals, even while the partner has not agreed", _with(partner_agreed_charter=False, my_goals=0), NextStep.SET_GOALS),
    ("with goals set and no roadmap, choose topics", _with(roadmap_topics=0, i_agreed_roadmap=False, partner_agreed_roadmap=False), NextStep.CHOOSE_TOPICS),
    ("fewer than four topics, not agreed: choose topics", _with(roadmap_topics=3, i_agreed_roadmap=False, partner_agreed_roadmap=False), NextStep.CHOOSE_TOPICS),
    ("a roadmap the partner proposed is mine to agree", _with(i_agreed_roadmap=False), NextStep.AGREE_TOPICS),
    ("my part done, the partner has not agreed the roadmap", _with(partner_agreed_roadmap=False), NextStep.WAIT_FOR_PARTNER),
    ("my part done, the partner has not agreed the charter", _with(partner_agreed_charter=False), NextStep.WAIT_FOR_PARTNER),
    ("all agreed, never met, nothing booked: book the first", AGREED, NextStep.BOOK_FIRST_SESSION),
    ("all agreed, first session booked and confirmed", _with(session_ahead=True), NextStep.NOTHING_PENDING),
    ("met, next session booked and confirmed", MEETING, NextStep.NOTHING_PENDING),
    ("met, nothing booked: book the next (not 'nothing pending')", _with(met=True), NextStep.BOOK_NEXT_SESSION),
    ("a red pair's booker, three topics both agreed, no session for weeks: book, not choose topics",
     _with(roadmap_topics=3, met=True), NextStep.BOOK_NEXT_SESSION),
    ("a shorter roadmap the partner changed is still mine to agree", _with(roadmap_topics=3, i_agreed_roadmap=False), NextStep.CHOOSE_TOPICS),
    ("a session the partner booked waits for my Confirm", _with(MEETING, to_confirm=7), NextStep.CONFIRM_SESSION),
    ("the first session the partner booked waits for my Confirm", _with(session_ahead=True, to_confirm=7), NextStep.CONFIRM_SESSION),
    ("a reflection unfinished, nothing booked", _with(met=True, to_reflect=3), NextStep.FINISH_REFLECTION),
    ("a reflection unfinished, next session booked", _with(MEETING, to_reflect=3), NextStep.FINISH_REFLECTION),
    ("a Confirm comes before a reflection: the session is ahead", _with(MEETING, to_confirm=7, to_reflect=3), NextStep.CONFIRM_SESSION),
    ("a reflection comes before agreeing a changed charter", _with(MEETING, i_agreed_charter=False, to_reflect=3), NextStep.FINISH_REFLECTION),
    ("a changed charter is mine to agree, sessions or not", _with(MEETING, i_agreed_charter=False), NextStep.AGREE_CHARTER),
    ("a paused pair has no step to take", _with(paused=True, has_charter=False), NextStep.PAUSED),
    ("a paused pair is not asked to confirm or reflect", _with(MEETING, paused=True, to_confirm=7, to_reflect=3), NextStep.PAUSED),
]


@pytest.mark.parametrize(("progress", "expected"), [(progress, expected) for _, progress, expected in STATES], ids=[name for name, *_ in STATES])
def test_the_next_step_in_each_state(progress, expected):
    assert next_step(progress) is expected


def test_every_step_is_on_the_list_once_and_the_last_always_holds():
    assert [step for step, _ in CONDITIONS] == list(dict.fromkeys(step for step, _ in CONDITIONS))
    assert {step for step, _ in CONDITIONS} == set(NextStep)
    assert CONDITIONS[-1][0] is NextStep.NOTHING_PENDING and CONDITIONS[-1][1](PairProgress())


VALUES = {"my_goals": (0, 2), "roadmap_topics": (0, 3, 5), "to_confirm": (None, 7), "to_reflect": (None, 3)}


def _every_state() -> list[PairProgress]:
    names = [field.name for field in fields(PairProgress)]
    choices = [VALUES.get(name, (False, True)) for name in names]
    return [PairProgress(**dict(zip(names, values, strict=True))) for values in product(*choices)]


def test_over_every_combination_the_step_never_contradicts_the_state():
    for progress in _every_state():
        step = next_step(progress)
        if step is NextStep.NOTHING_PENDING:  # "you're on track" only with a session ahead and nothing owed
            assert progress.session_ahead and progress.to_confirm is None and progress.to_reflect is None, progress
            assert progress.charter_in_force and progress.roadmap_agreed, progress
        if step is NextStep.CHOOSE_TOPICS:  # never under a roadmap both agreed
            assert not (progress.roadmap_topics and progress.i_agreed_roadmap and progress.partner_agreed_roadmap), progress
        if step in (NextStep.BOOK_FIRST_SESSION, NextStep.BOOK_NEXT_SESSION):
            assert not progress.session_ahead and (step is NextStep.BOOK_NEXT_SESSION) == progress.met, progress
        if progress.to_confirm is not None and not progress.paused:
            assert step is NextStep.CONFIRM_SESSION, progress
        if progress.to_reflect is not None and progress.to_confirm is None and not progress.paused:
            assert step is NextStep.FINISH_REFLECTION, progress
