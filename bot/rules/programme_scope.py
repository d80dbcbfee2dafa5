"""Which programme a person's commands are about when several run side by side."""

from __future__ import annotations

from collections.abc import Sequence


def programme_in_scope(candidates: Sequence[int], chosen: int | None) -> int | None:
    """The only programme there is; else the one the person chose (`/mentor programme`) while it is
    still theirs; else the newest (`candidates` come newest first). None: they are in none."""
    if not candidates:
        return None
    if chosen in candidates:
        return chosen
    return candidates[0]
