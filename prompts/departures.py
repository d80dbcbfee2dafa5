"""The words when someone leaves Slack mid-programme: a kind note to their partner, and what the
programme's admins can do about the pair."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from prompts.blocks import message, section

ROLE_WORDS = {Role.MENTOR: "reverse-mentor", Role.MENTEE: "mentee"}


def build_partner_left(*, left_id: str, left_role: Role) -> dict[str, Any]:
    """To the partner who is still here: their pair is on hold, nothing is their fault, the admin will be in touch."""
    text = (
        f"Your {ROLE_WORDS[left_role]} <@{left_id}> is no longer in this workspace, so I've put your pair on hold: "
        "you won't get reminders or nudges about it in the meantime.\n"
        "Thank you for the time you've put in. Your programme admin will be in touch about what happens next, "
        "and your goals, actions and reflections stay as they are."
    )
    return message(text, [section(text)])


def build_admins_told(*, left_id: str, left_role: Role, partner_id: str) -> dict[str, Any]:
    """To the programme's admins: which pair, that it is paused, and the commands that move it on."""
    text = (
        f"*A pair is on hold:* <@{left_id}> ({ROLE_WORDS[left_role]}) has been deactivated in Slack, so I've paused "
        f"their pair with <@{partner_id}> and told <@{partner_id}> you'll be in touch.\n"
        f"• To end the pair, `/mentor admin end @someone` naming <@{partner_id}> (or `unpair` to free them for a new partner).\n"
        f"• Then to rematch <@{partner_id}>: `/mentor admin pair @mentor @mentee`, or `/mentor admin match` for suggestions.\n"
        f"• If <@{left_id}> comes back, `/mentor admin resume @someone` naming <@{partner_id}> picks the pair up again."
    )
    return message(text.replace("*", ""), [section(text)])
