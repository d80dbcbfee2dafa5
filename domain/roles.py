"""The two sides of a pair, and who led a session (as a reflection answers it)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MENTOR = "mentor"  # the reverse-mentor: the junior side, who leads
    MENTEE = "mentee"  # the senior executive, who learns


class Led(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    BALANCED = "balanced"
