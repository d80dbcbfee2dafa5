"""A suggested pair, as the matching rules propose it and the admin's view shows it."""

from __future__ import annotations

from dataclasses import dataclass

MIN_OVERLAP_HOURS = 1.0  # under an hour of shared working day, a pair can't meet without someone's night


@dataclass(frozen=True)
class Proposal:
    mentor_id: str
    mentee_id: str
    shared_interests: tuple[str, ...]
    overlap_hours: float
    score: float
    unknown_department: tuple[str, ...] = ()  # who of the two has no department: "not the same" is unchecked
