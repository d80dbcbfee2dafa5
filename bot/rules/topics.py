"""Which roadmap topic a session is about when the time comes: a pure function of the roadmap."""

from __future__ import annotations

from collections.abc import Sequence


def proposed_topic(booked_key: str, roadmap: Sequence[tuple[str, str, bool]]) -> tuple[str, str] | None:
    """What a reminder proposes, from the roadmap as it stands when it is sent ((key, title, covered) in
    order): when the booking named no topic, or its topic has been covered since, the next topic not yet
    covered. None to keep the booking's own (still to cover, or off the roadmap), or when none is left."""
    if booked_key and not any(key == booked_key and covered for key, _, covered in roadmap):
        return None
    return next(((key, title) for key, title, covered in roadmap if not covered), None)
