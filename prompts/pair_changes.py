"""Words for `/mentor admin pause|resume|end @someone`: what changed, the Resume button on a paused pair's
notice, and why nothing could change."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.times import TimeProblem
from prompts.blocks import actions, button, ephemeral
from prompts.dates import day_problem_text
from prompts.timefmt import format_day

RESUME_ACTION = "admin_pair_resume"

PAIR_CHANGE_DONE = {
    "paused": "The pair of <@{mentor}> and <@{mentee}> is paused{until}. I've let them both know.",
    "resumed": "The pair of <@{mentor}> and <@{mentee}> is active again. I've let them both know.",
    "ended": "The pair of <@{mentor}> and <@{mentee}> has ended. Their history is kept. I've thanked them both.",
    "unpaired": "<@{mentor}> and <@{mentee}> are no longer paired. Their history is kept, and both can be paired again. I've let them both know.",
}


def build_pair_change_done(change: str, *, mentor_id: str, mentee_id: str, pair_id: int, until: date | None = None) -> dict[str, Any]:
    until_text = f" until {format_day(until)}, when it resumes by itself" if until else " until you resume it"
    text = PAIR_CHANGE_DONE[change].format(mentor=mentor_id, mentee=mentee_id, until=until_text)
    extra = [actions(button("Resume now", RESUME_ACTION, value=str(pair_id)))] if change == "paused" else []
    return ephemeral(text, extra)


def build_no_pair(user_id: str, *, several: bool = False) -> dict[str, Any]:
    """`several`: the admin runs more than one programme, and the person may have a pair in another."""
    where = "in this programme" if several else "right now"
    return ephemeral(f"<@{user_id}> isn't in a pair {where}, so there is nothing to change.")


def build_wrong_status(user_id: str, status: str) -> dict[str, Any]:
    text = {
        "active": f"The pair of <@{user_id}> is already active.",
        "paused": f"The pair of <@{user_id}> is already paused. Resume it first if you want a different date.",
    }.get(status, f"The pair of <@{user_id}> can't be changed that way now.")
    return ephemeral(text)


def build_pause_date_refused(text: str, problem: TimeProblem) -> dict[str, Any]:
    """The day a pause should end cannot be used: why, in the words every typed day shares."""
    return ephemeral(f"{day_problem_text(problem, text)} For example `/mentor admin pause @someone until 20 December`, or leave the day off.")
