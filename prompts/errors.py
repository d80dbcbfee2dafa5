"""What people see when something breaks on our side."""

from __future__ import annotations

from typing import Any

SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side and nothing was changed. Please try again in a moment; "
    "if it keeps happening, let your programme admin know."
)


def build_error_reply() -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": SOMETHING_WENT_WRONG}


# After a click was taken and saved, a later step failed (Slack refused or dropped the reply): what the
# click changed stays, so this does not say that nothing changed.
COULD_NOT_FINISH = (
    "Sorry, something went wrong on my side and I could not finish that. Please try again in a moment; "
    "if it keeps happening, let your programme admin know."
)


def build_could_not_finish_reply() -> dict[str, Any]:
    """Only to the person who clicked, beside the message they clicked in (not replacing it)."""
    return {"response_type": "ephemeral", "replace_original": False, "text": COULD_NOT_FINISH}
