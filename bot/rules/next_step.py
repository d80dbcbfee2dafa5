"""The one next step for a person in a pair, from the pair's state: a pure function, no I/O.

One ordered list of conditions, the first that holds wins. What cannot wait comes first: a session
the partner booked waits for a Confirm, and a reflection is best finished while the session is fresh.
Then the order follows how a pair gets going: agree how you will work (charter), say what you want
from it (goals), agree what you will talk about (topics), then meet, and keep meeting. A person whose
own part is done but who waits on their partner is told so, rather than being sent to a step they
cannot take.
"""

from __future__ import annotations

from collections.abc import Callable

from domain.next_step import NextStep, PairProgress

CONDITIONS: tuple[tuple[NextStep, Callable[[PairProgress], bool]], ...] = (
    (NextStep.PAUSED, lambda progress: progress.paused),
    (NextStep.CONFIRM_SESSION, lambda progress: progress.to_confirm is not None),
    (NextStep.FINISH_REFLECTION, lambda progress: progress.to_reflect is not None),
    (NextStep.START_CHARTER, lambda progress: not progress.has_charter),
    (NextStep.AGREE_CHARTER, lambda progress: not progress.i_agreed_charter),
    (NextStep.SET_GOALS, lambda progress: progress.my_goals == 0),
    (NextStep.CHOOSE_TOPICS, lambda progress: not progress.roadmap_chosen),
    (NextStep.AGREE_TOPICS, lambda progress: not progress.i_agreed_roadmap),
    (NextStep.WAIT_FOR_PARTNER, lambda progress: not progress.charter_in_force or not progress.roadmap_agreed),
    (NextStep.BOOK_FIRST_SESSION, lambda progress: not progress.session_ahead and not progress.met),
    (NextStep.BOOK_NEXT_SESSION, lambda progress: not progress.session_ahead),
    (NextStep.NOTHING_PENDING, lambda progress: True),
)


def next_step(progress: PairProgress) -> NextStep:
    return next(step for step, holds in CONDITIONS if holds(progress))
