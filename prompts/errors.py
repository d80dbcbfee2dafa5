"""What people see when something breaks on our side."""

from __future__ import annotations

from typing import Any

SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side and nothing was changed. Please try again in a moment; "
    "if it keeps happening, let your programme admin know."
)


def build_error_reply() -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": SOMETHING_WENT_WRONG}
