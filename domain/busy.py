"""Time that is taken: what a suggested session time must avoid, whoever says so.

A busy block comes from the pair's own sessions or from a person's connected calendar (Google's
free/busy, Microsoft's schedule); suggestions read them all alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class BusyBlock:
    """[start, end) in UTC; an all-day block spans the person's whole local day."""

    start: datetime
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end
