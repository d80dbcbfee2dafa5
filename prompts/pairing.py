"""Words shared by the charter, goals and topics: role names, and the refusals all three give."""

from __future__ import annotations

from typing import Any

from prompts.blocks import message, section

ROLE_NAMES = {"mentor": "reverse-mentor", "mentee": "mentee"}


def role_name(role: str) -> str:
    return ROLE_NAMES.get(str(role), str(role))


def _say(text: str) -> dict[str, Any]:
    return message(text, [section(text)])


def no_pair() -> dict[str, Any]:
    return _say(
        "You're not in a pair yet, so there's nothing to set up here. Once your programme admin pairs you, "
        "I'll send you a welcome message with your first steps."
    )


def pair_ended() -> dict[str, Any]:
    return _say("That pairing has ended, so it can't be changed any more. Thank you for the time you put into it.")


def not_in_pair() -> dict[str, Any]:
    return _say("That belongs to a pair you're not part of, so I can't show or change it.")


def pair_paused() -> dict[str, Any]:
    return _say(
        "Your pair is paused at the moment, so nothing can be changed until it resumes. "
        "You can still look at what you agreed: it's on my Home tab."
    )


def build_notice_modal(title: str, notice: dict[str, Any]) -> dict[str, Any]:
    """Replaces a submitted modal whose submission can't be taken (say, the pair was paused meanwhile)."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title[:24]},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [section(notice["text"])],
    }


def refusal(reason: str) -> dict[str, Any]:
    """The message for a refusal reason from `bot.rules.pair_access`."""
    return {"no_pair": no_pair, "ended": pair_ended, "paused": pair_paused, "not_in_pair": not_in_pair}[reason]()
