"""Why no session time could be suggested to a pair."""

from __future__ import annotations

from enum import StrEnum


class NoSuggestion(StrEnum):
    NO_SHARED_HOURS = "no_shared_hours"  # their working days never meet for a whole session
    ALL_BUSY = "all_busy"  # they meet, but every shared hour in the weeks ahead is taken
