"""The words when someone leaves Slack mid-programme: a kind note to their partner, and what the
programme's admins can do about the pair."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from prompts.blocks import escape, message, section

ROLE_WORDS = {Role.MENTOR: "reverse-mentor", Role.MENTEE: "mentee"}


def _in(programme_name: str) -> str:
    return f" in *{escape(programme_name)}*" if programme_name else ""


def build_partner_left(*, left_id: str, left_role: Role, programme_name: str = "") -> dict[str, Any]:
    """To the partner who is still here: their pair is on hold, nothing is their fault, the admin will be
    in touch. `programme_name`: the pair's, for someone in several programmes."""
    text = (
        f"Your {ROLE_WORDS[left_role]} <@{left_id}> is no longer in this workspace, so I've put your pair{_in(programme_name)} on hold: "
        "you won't get reminders or nudges about it in the meantime.\n"
        "Thank you for the time you've put in. Your programme admin will be in touch about what happens next, "
        "and your goals, actions and reflections stay as they are."
    )
    return message(text, [section(text)])


def build_admins_told(*, left_id: str, left_role: Role, partner_id: str, programme_name: str = "") -> dict[str, Any]:
    """To the programme's admins: which pair, that it is paused, and the commands that move it on.
    `programme_name`: the pair's, for an admin of several, whose commands act on the one they chose."""
    switch = f"• The commands below act on the programme you are working in: switch to this one first with `/mentor programme {escape(programme_name)}`.\n" if programme_name else ""
    heading = f"A pair in {escape(programme_name)} is on hold" if programme_name else "A pair is on hold"
    text = (
        f"*{heading}:* <@{left_id}> ({ROLE_WORDS[left_role]}) has been deactivated in Slack, so I've paused "
        f"their pair with <@{partner_id}> and told <@{partner_id}> you'll be in touch.\n"
        f"{switch}"
        f"• To end the pair, `/mentor admin end @someone` naming <@{partner_id}> (or `unpair` to free them for a new partner).\n"
        f"• Then to rematch <@{partner_id}>: `/mentor admin pair @mentor @mentee`, or `/mentor admin match` for suggestions.\n"
        f"• If <@{left_id}> comes back, `/mentor admin resume @someone` naming <@{partner_id}> picks the pair up again."
    )
    return message(text.replace("*", ""), [section(text)])
