"""How the one next step is put to a person, with the button that takes it (for help and Home)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.next_step import NextStep
from domain.views import RoadmapItemView
from prompts.blocks import button
from prompts.charter import CHARTER_EDIT_ACTION
from prompts.goals import GOALS_EDIT_ACTION
from prompts.reflection_conversation import REFLECTION_OPEN_FORM_ACTION
from prompts.sessions import CONFIRM_ACTION, book_button
from prompts.topics import TOPICS_AGREE_ACTION, TOPICS_CHOOSE_ACTION, agreement_value


def next_step_text(step: NextStep, *, partner_id: str) -> str:
    return {
        NextStep.PAUSED: "Your pair is paused. Everything you agreed is kept, ready for when it resumes.",
        NextStep.CONFIRM_SESSION: f"<@{partner_id}> booked a session with you. Confirm it so they know you'll be there, or move it.",
        NextStep.FINISH_REFLECTION: "Finish your reflection on your last session: a few short questions. "
        "Type `/mentor reflect` to carry on in our DM, or use the form.",
        NextStep.START_CHARTER: f"Agree a charter with <@{partner_id}>: how often you'll meet, who books, and your ground rules. Type `/mentor charter`.",
        NextStep.AGREE_CHARTER: f"<@{partner_id}> is waiting for you to agree your charter. Have a look and agree it, or suggest changes.",
        NextStep.SET_GOALS: "Set one to three personal goals: what you want to learn or change. Type `/mentor goals`.",
        NextStep.CHOOSE_TOPICS: "Choose four to eight topics to cover together, in order. Type `/mentor topics`.",
        NextStep.AGREE_TOPICS: f"<@{partner_id}> has proposed your topic roadmap. Have a look and agree it, or change it.",
        NextStep.WAIT_FOR_PARTNER: f"You've done your part. I'm waiting for <@{partner_id}> to agree, and I'll let you know.",
        NextStep.BOOK_FIRST_SESSION: f"You're all set up. Book your first session with <@{partner_id}>.",
        NextStep.BOOK_NEXT_SESSION: f"Book your next session with <@{partner_id}>: nothing is booked yet.",
        NextStep.NOTHING_PENDING: "Nothing pending: you're on track. Enjoy your next session.",
    }[step]


def next_step_button(step: NextStep, *, pair_id: int, roadmap: Sequence[RoadmapItemView], session_id: int | None = None) -> dict[str, Any] | None:
    """The button that takes the step; `session_id` is the session a Confirm or a reflection is about."""
    if step is NextStep.CONFIRM_SESSION and session_id is not None:
        return button("Confirm", CONFIRM_ACTION, str(session_id), style="primary")
    if step is NextStep.FINISH_REFLECTION and session_id is not None:
        return button("Reflect now", REFLECTION_OPEN_FORM_ACTION, str(session_id), style="primary")
    if step is NextStep.START_CHARTER:
        return button("Start your charter", CHARTER_EDIT_ACTION, str(pair_id), style="primary")
    if step is NextStep.AGREE_CHARTER:
        return button("Review the charter", CHARTER_EDIT_ACTION, str(pair_id), style="primary")
    if step is NextStep.SET_GOALS:
        return button("Set your goals", GOALS_EDIT_ACTION, str(pair_id), style="primary")
    if step is NextStep.CHOOSE_TOPICS:
        return button("Choose topics", TOPICS_CHOOSE_ACTION, str(pair_id), style="primary")
    if step is NextStep.AGREE_TOPICS:
        return button("Agree the roadmap", TOPICS_AGREE_ACTION, agreement_value(pair_id, roadmap), style="primary")
    if step in (NextStep.BOOK_FIRST_SESSION, NextStep.BOOK_NEXT_SESSION):
        return book_button()
    return None
