"""How much text Flipside takes, and how it says no to more: the one place for the limits.

Each modal text box declares its own `max_length` (Slack enforces it in the client, and
`handlers.limits` checks it again on the server); a box that declares none gets `TEXT_BOX`.
"""

from __future__ import annotations

TEXT_BOX = 3000  # Slack's own ceiling for a plain_text_input, and ours for a box that declares none
TYPED_ANSWER = 3000  # a reflection answer typed in the DM: as much as the form's box takes
SHORT_NAME = 120  # a programme's name, a department


def too_long(given: int, limit: int) -> str:
    """Under a modal box that got more than it takes."""
    return f"That's {given:,} characters; this box takes up to {limit:,}. Please shorten it."


def typed_answer_too_long() -> str:
    """The re-ask hint for a typed answer over the limit."""
    return f"That's longer than I can keep: an answer can be up to {TYPED_ANSWER:,} characters. Send a shorter one, or use the form."
