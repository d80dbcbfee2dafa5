"""A suggested pair, as the matching rules propose it and the admin's view shows it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Proposal:
    mentor_id: str
    mentee_id: str
    shared_interests: tuple[str, ...]
    overlap_hours: float
    score: float
