"""`/mentor profile` (department and interests, used for matching) and `/mentor away`."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.roles import Role
from domain.times import TimeProblem
from domain.views import PersonView, ProgrammeView
from prompts import content, limits
from prompts.blocks import actions, button, ephemeral, escape, message, plain, section
from prompts.dates import day_problem_text
from prompts.timefmt import format_day

PROFILE_CALLBACK = "profile"
PROFILE_OPEN_ACTION = "profile_open"
ROLE_NAMES = {Role.MENTOR: "reverse-mentor", Role.MENTEE: "mentee"}


def topic_catalogue() -> dict[str, str]:
    """Catalogue key -> title, in the catalogue's order."""
    return content.topic_titles()


def _option(key: str, title: str) -> dict[str, Any]:
    return {"text": plain(title[:75]), "value": key}


def build_profile_modal(person: PersonView) -> dict[str, Any]:
    catalogue = topic_catalogue()
    chosen = [key for key in person.interests.split(",") if key in catalogue]
    interests: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": "interests",
        "placeholder": plain("Choose topics"),
        "options": [_option(key, title) for key, title in catalogue.items()],
    }
    if chosen:
        interests["initial_options"] = [_option(key, catalogue[key]) for key in chosen]
    department: dict[str, Any] = {"type": "plain_text_input", "action_id": "department", "max_length": limits.SHORT_NAME, "placeholder": plain("e.g. Finance")}
    if person.department:
        department["initial_value"] = person.department
    return {
        "type": "modal",
        "callback_id": PROFILE_CALLBACK,
        "title": plain("About you"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            section("This helps your programme admin suggest a good match: someone from a different part of the organisation who cares about the same things."),
            {"type": "input", "block_id": "department", "label": plain("Your department or team"), "element": department},
            {
                "type": "input",
                "block_id": "interests",
                "label": plain("Topics you'd like to explore"),
                "element": interests,
                "optional": True,
                "hint": plain("Pick as many as you like."),
            },
        ],
    }


def build_profile_errors(department: str) -> dict[str, str]:
    if not department.strip():
        return {"department": "Tell us your department or team, so you aren't matched with someone from it."}
    if len(department) > 120:
        return {"department": "Keep it under 120 characters."}
    return {}


def build_profile_saved(person: PersonView) -> dict[str, Any]:
    catalogue = topic_catalogue()
    topics = [catalogue[key] for key in person.interests.split(",") if key in catalogue]
    text = f"Thanks! Saved: *{escape(person.department)}*" + (f", interested in {escape(', '.join(topics))}." if topics else ".")
    return message(text.replace("*", ""), [section(text)])


def build_enrolled_invite(role: Role, *, programme: ProgrammeView) -> dict[str, Any]:
    """The DM to someone just enrolled: what it means, and a button to tell us about themselves."""
    text = (
        f"You've been enrolled as a *{ROLE_NAMES[role]}* in *{escape(programme.name)}*. :tada:\n"
        "To help find you a good match, tell me your department and the topics you'd like to explore. It takes a minute."
    )
    return message(text.replace("*", ""), [section(text), actions(button("Tell us about you", PROFILE_OPEN_ACTION, style="primary"))])


# --- away ------------------------------------------------------------------------------------------

def build_away_set(until: date) -> dict[str, Any]:
    text = f"Got it: you're away until *{format_day(until)}*. I'll hold your nudges until then; reminders of sessions already booked still come, so cancel any you'll miss. Type `/mentor away off` if you're back sooner."
    return ephemeral(text)


def build_away_off() -> dict[str, Any]:
    text = "Welcome back! Your nudges are on again."
    return {"response_type": "ephemeral", **message(text, [section(text)])}


def build_away_refused(given: str, problem: TimeProblem) -> dict[str, Any]:
    """`/mentor away` with no day, or one that cannot be used: why, in the words every typed day shares."""
    text = (
        f"{day_problem_text(problem, given)} For example `/mentor away until next friday` or `/mentor away until 20 December`. "
        "Type `/mentor away off` when you're back early."
    )
    return {"response_type": "ephemeral", **message(text, [section(text)])}
