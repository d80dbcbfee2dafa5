"""Who may look at or change a pair's charter, goals and roadmap.

Only the two people in the pair, ever. An ended pair can't be changed. A paused pair can be looked
at but not changed: the pause is a break, and agreements made during it would skip the partner who
is away; both pick up where they left off when it resumes.
"""

from __future__ import annotations

from enum import StrEnum

from domain.statuses import PairStatus
from store.models import Pair


class Refusal(StrEnum):
    NO_PAIR = "no_pair"
    ENDED = "ended"
    PAUSED = "paused"
    NOT_IN_PAIR = "not_in_pair"


def view_refusal(pair: Pair | None, user_id: str) -> Refusal | None:
    if pair is None:
        return Refusal.NO_PAIR
    if user_id not in (pair.mentor_id, pair.mentee_id):
        return Refusal.NOT_IN_PAIR
    if pair.status == PairStatus.ENDED:
        return Refusal.ENDED
    return None


def edit_refusal(pair: Pair | None, user_id: str) -> Refusal | None:
    refusal = view_refusal(pair, user_id)
    if refusal is None and pair is not None and pair.status == PairStatus.PAUSED:
        return Refusal.PAUSED
    return refusal
