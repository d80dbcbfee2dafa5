"""Suggested matching: the best set of pairs among the enrolled but unpaired.

"Best" means, first, as many pairs as the rules allow, then the most shared interest in roadmap
topics and the most overlap between working days. Four rules are never broken: no two people from the
same department, no one with anyone in their own reporting line (above or below, at any depth, from the
org chart), no pair with under an hour of working day in common, and no pair that has been together
before (in any programme). A blank department can't be compared, so the proposal names who has none. The assignment is
optimal (SciPy's Hungarian solver), not a greedy guess, and the same inputs always give the same pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.matching import MIN_OVERLAP_HOURS, Proposal

INTEREST_WEIGHT = 3.0  # one shared topic is worth three hours of shared working day
OVERLAP_WEIGHT = 1.0


@dataclass(frozen=True)
class Candidate:
    """What the matching needs to know about someone."""

    user_id: str
    department: str = ""
    interests: frozenset[str] = frozenset()
    tz: str = "UTC"
    managers: tuple[str, ...] = ()  # the chain above them in the org chart, nearest first


def parse_interests(text: str) -> frozenset[str]:
    return frozenset(key.strip() for key in (text or "").split(",") if key.strip())


def working_overlap_hours(tz_a: str, tz_b: str, *, on: datetime, start_hour: int = 9, end_hour: int = 17) -> float:
    """Hours of the working day two zones share on the date of `on` (daylight saving as of then)."""
    offsets = [on.astimezone(ZoneInfo(tz)).utcoffset().total_seconds() / 3600 for tz in (tz_a, tz_b)]  # type: ignore[union-attr]
    # Each working day as a span of UTC hours; the day wraps, so compare a day either side too.
    a_start, a_end = start_hour - offsets[0], end_hour - offsets[0]
    b_start, b_end = start_hour - offsets[1], end_hour - offsets[1]
    best = 0.0
    for shift in (-24.0, 0.0, 24.0):
        best = max(best, min(a_end, b_end + shift) - max(a_start, b_start + shift))
    return best


def chain_above(user_id: str, manager_of: Mapping[str, str]) -> tuple[str, ...]:
    """Everyone above someone in the org chart, nearest first; a loop (refused at import) ends the walk."""
    chain: list[str] = []
    manager = manager_of.get(user_id, "")
    while manager and manager != user_id and manager not in chain:
        chain.append(manager)
        manager = manager_of.get(manager, "")
    return tuple(chain)


def in_reporting_line(a: Candidate, b: Candidate) -> bool:
    """One manages the other, directly or further up the same chain."""
    return a.user_id in b.managers or b.user_id in a.managers


def _same_department(mentor: Candidate, mentee: Candidate) -> bool:
    return bool(mentor.department.strip()) and mentor.department.strip().casefold() == mentee.department.strip().casefold()


def describe(mentor: Candidate, mentee: Candidate, *, now: datetime, start_hour: int = 9, end_hour: int = 17) -> Proposal:
    """What two people share: topics of interest and hours of the working day."""
    shared = tuple(sorted(mentor.interests & mentee.interests))
    overlap = working_overlap_hours(mentor.tz, mentee.tz, on=now, start_hour=start_hour, end_hour=end_hour)
    score = INTEREST_WEIGHT * len(shared) + OVERLAP_WEIGHT * overlap
    unknown = tuple(person.user_id for person in (mentor, mentee) if not person.department.strip())
    return Proposal(mentor.user_id, mentee.user_id, shared, round(overlap, 2), round(score, 2), unknown)


def allowed(mentor: Candidate, mentee: Candidate, history: set[tuple[str, str]]) -> bool:
    """The rules never broken but for time: different departments, not in one reporting line, not paired before."""
    if mentor.user_id == mentee.user_id or _same_department(mentor, mentee) or in_reporting_line(mentor, mentee):
        return False
    return (mentor.user_id, mentee.user_id) not in history


def propose_pairs(
    mentors: Iterable[Candidate],
    mentees: Iterable[Candidate],
    history: set[tuple[str, str]],
    *,
    now: datetime,
    start_hour: int = 9,
    end_hour: int = 17,
) -> list[Proposal]:
    """The optimal pairs, ordered by mentor id; `history` holds every earlier (mentor, mentee)."""
    mentor_list = sorted(mentors, key=lambda person: person.user_id)
    mentee_list = sorted(mentees, key=lambda person: person.user_id)
    if not mentor_list or not mentee_list:
        return []
    details: dict[tuple[int, int], Proposal] = {}
    for row, mentor in enumerate(mentor_list):
        for column, mentee in enumerate(mentee_list):
            if allowed(mentor, mentee, history):
                proposal = describe(mentor, mentee, now=now, start_hour=start_hour, end_hour=end_hour)
                if proposal.overlap_hours >= MIN_OVERLAP_HOURS:
                    details[(row, column)] = proposal
    if not details:
        return []
    # Every allowed pair is worth a bonus larger than any total score, so the solver first makes as
    # many pairs as it can and only then chases interest and overlap. A forbidden cell costs 0, the
    # same as leaving both unpaired; if the solver picks one anyway (a square matrix forces some
    # choice), it is dropped below.
    # Imported here: SciPy and NumPy add a second to every start and tens of MB to every process,
    # for a step an admin takes once a cohort.
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    bonus = 1.0 + sum(proposal.score for proposal in details.values())
    cost = np.zeros((len(mentor_list), len(mentee_list)))
    for (row, column), proposal in details.items():
        cost[row, column] = -(bonus + proposal.score)
    rows, columns = linear_sum_assignment(cost)
    chosen = [details[(row, column)] for row, column in zip(rows, columns, strict=True) if (row, column) in details]
    return sorted(chosen, key=lambda proposal: (proposal.mentor_id, proposal.mentee_id))
