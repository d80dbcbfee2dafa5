"""Suggested matching: optimal, never the same department, never an earlier pair, deterministic."""

import random
from datetime import UTC, datetime

from bot.rules.matching import Candidate, allowed, chain_above, propose_pairs, working_overlap_hours
from domain.matching import Proposal

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # no daylight saving in London or New York yet


def person(user_id: str, interests: str = "", department: str = "", tz: str = "Europe/London") -> Candidate:
    return Candidate(user_id, department, frozenset(key for key in interests.split() if key), tz)


def pairs_of(proposals: list[Proposal]) -> list[tuple[str, str]]:
    return [(proposal.mentor_id, proposal.mentee_id) for proposal in proposals]


def test_the_optimal_assignment_beats_the_greedy_one():
    # Shared topics, worked out by hand: A-X 4, A-Y 3, B-X 3, B-Y 0 (same zone, so overlap is equal).
    # Greedy takes the best cell first (A-X, 4) and is left with B-Y (0): 4 in all.
    # The optimum is A-Y and B-X: 3 + 3 = 6.
    mentors = [person("UA", "t1 t2 t3 t4 t5 t6 t7"), person("UB", "t1 t2 t3")]
    mentees = [person("UX", "t1 t2 t3 t4"), person("UY", "t5 t6 t7")]
    proposals = propose_pairs(mentors, mentees, set(), now=NOW)
    assert pairs_of(proposals) == [("UA", "UY"), ("UB", "UX")]
    assert [len(proposal.shared_interests) for proposal in proposals] == [3, 3]


def test_people_from_the_same_department_are_never_paired():
    mentors = [person("UA", "t1 t2 t3", department="Sales"), person("UB", "t9", department="IT")]
    mentees = [person("UX", "t1 t2 t3", department="sales"), person("UY", "t8", department="HR")]
    proposals = propose_pairs(mentors, mentees, set(), now=NOW)
    assert ("UA", "UX") not in pairs_of(proposals)
    assert pairs_of(proposals) == [("UA", "UY"), ("UB", "UX")]


def test_a_forbidden_cell_the_solver_would_choose_is_dropped():
    mentors = [person("UA", department="Sales")]
    mentees = [person("UX", department="Sales")]
    assert propose_pairs(mentors, mentees, set(), now=NOW) == []


def test_an_earlier_pair_from_any_programme_is_not_repeated():
    mentors = [person("UA", "t1 t2"), person("UB")]
    mentees = [person("UX", "t1 t2"), person("UY")]
    proposals = propose_pairs(mentors, mentees, {("UA", "UX")}, now=NOW)
    assert pairs_of(proposals) == [("UA", "UY"), ("UB", "UX")]


def test_as_many_people_as_possible_are_paired_before_interests_count():
    # A and X share a lot, but B can only go with X (same department as Y): two pairs beat one great one.
    mentors = [person("UA", "t1 t2 t3 t4", department="Ops"), person("UB", department="Data")]
    mentees = [person("UX", "t1 t2 t3 t4", department="Law"), person("UY", department="Data")]
    assert pairs_of(propose_pairs(mentors, mentees, set(), now=NOW)) == [("UA", "UY"), ("UB", "UX")]


def test_more_mentors_than_mentees_leaves_the_extra_mentors_unpaired():
    mentors = [person("UA"), person("UB", "t1"), person("UC")]
    mentees = [person("UX", "t1")]
    assert pairs_of(propose_pairs(mentors, mentees, set(), now=NOW)) == [("UB", "UX")]


def test_shared_working_hours_decide_when_interests_are_equal():
    mentors = [person("UA", tz="Europe/London")]
    mentees = [person("UX", tz="Asia/Tokyo"), person("UY", tz="America/New_York")]
    assert pairs_of(propose_pairs(mentors, mentees, set(), now=NOW)) == [("UA", "UY")]


def test_working_overlap_between_zones_is_counted_in_hours():
    assert working_overlap_hours("Europe/London", "America/New_York", on=NOW) == 3
    assert working_overlap_hours("Europe/London", "Asia/Kolkata", on=NOW) == 2.5
    assert working_overlap_hours("Asia/Kolkata", "America/New_York", on=NOW) == 0
    assert working_overlap_hours("Pacific/Auckland", "America/Los_Angeles", on=NOW) > 0  # across the date line


def test_the_same_people_in_any_order_get_the_same_pairs():
    mentors = [person(f"UM{index}", "t1 t2" if index % 2 else "t3") for index in range(6)]
    mentees = [person(f"UE{index}", "t1" if index % 3 else "t3 t2") for index in range(6)]
    first = propose_pairs(mentors, mentees, set(), now=NOW)
    for seed in range(5):
        shuffled_mentors, shuffled_mentees = mentors[:], mentees[:]
        random.Random(seed).shuffle(shuffled_mentors)
        random.Random(seed + 100).shuffle(shuffled_mentees)
        assert propose_pairs(shuffled_mentors, shuffled_mentees, set(), now=NOW) == first
    assert len(first) == 6


def test_no_one_to_match_gives_no_proposals():
    assert propose_pairs([], [person("UX")], set(), now=NOW) == []


# --- the org chart: reporting lines, departments, time zones -------------------------------------------

def test_the_chain_above_someone_is_every_manager_up_to_the_top_and_survives_a_loop():
    managers = {"UA": "UB", "UB": "UC", "UC": "", "UL1": "UL2", "UL2": "UL1"}
    assert chain_above("UA", managers) == ("UB", "UC")
    assert chain_above("UC", managers) == ()
    assert chain_above("UNOBODY", managers) == ()
    assert chain_above("UL1", managers) == ("UL2",)  # a loop (refused at import) ends the walk


def test_no_one_is_paired_with_their_manager_their_managers_manager_or_anyone_below_them():
    managers = {"UM": "UBOSS", "UBOSS": "UBIGBOSS", "UR": "UM", "UOUT": ""}
    def placed(user_id: str, interests: str = "") -> Candidate:
        return Candidate(user_id, interests=frozenset(interests.split()), managers=chain_above(user_id, managers))
    mentors = [placed("UM", "t1 t2 t3"), placed("UR", "t1 t2 t3")]
    mentees = [placed("UBOSS", "t1 t2 t3"), placed("UBIGBOSS", "t1 t2 t3"), placed("UOUT")]
    proposals = propose_pairs(mentors, mentees, set(), now=NOW)
    # UM reports to UBOSS (and so to UBIGBOSS); UR reports to UM, so also to both: only UOUT is outside their line.
    assert pairs_of(proposals) == [("UM", "UOUT")]
    assert not allowed(placed("UBOSS"), placed("UR"), set())  # below, two levels down


def test_a_pair_with_an_unknown_department_is_proposed_with_a_warning_naming_who():
    mentors = [person("UA", "t1", department="")]
    mentees = [person("UX", "t1", department="Sales")]
    [proposal] = propose_pairs(mentors, mentees, set(), now=NOW)
    assert proposal.unknown_department == ("UA",)
    [both] = propose_pairs([person("UB", department=" ")], [person("UY")], set(), now=NOW)
    assert both.unknown_department == ("UB", "UY")


def test_under_an_hour_of_shared_working_day_is_never_proposed():
    mentors = [person("UA", "t1 t2 t3", tz="Asia/Kolkata")]
    mentees = [person("UX", "t1 t2 t3", tz="America/New_York"), person("UY", tz="Europe/London")]
    assert pairs_of(propose_pairs(mentors, mentees, set(), now=NOW, start_hour=8, end_hour=19)) == [("UA", "UY")]  # 30 minutes with New York


def test_on_a_generated_org_chart_of_500_people_no_proposal_is_within_a_reporting_line():
    rng = random.Random(19)
    ids = [f"U{n:04d}" for n in range(500)]
    managers = {ids[0]: ""} | {ids[n]: ids[rng.randrange(max(0, n - 30), n)] for n in range(1, 500)}  # deep and bushy
    zones = ["Europe/London", "Europe/Paris", "America/New_York", "Asia/Kolkata"]
    people = [
        Candidate(user_id, f"D{rng.randrange(12)}", frozenset(f"t{rng.randrange(8)}" for _ in range(3)), rng.choice(zones), chain_above(user_id, managers))
        for user_id in ids
    ]
    mentors, mentees = people[250:], people[:250]  # juniors mentor the seniors nearer the top
    proposals = propose_pairs(mentors, mentees, set(), now=NOW)
    assert len(proposals) > 100
    def line_of(user_id: str) -> set[str]:
        return set(chain_above(user_id, managers))
    for proposal in proposals:
        assert proposal.mentee_id not in line_of(proposal.mentor_id)
        assert proposal.mentor_id not in line_of(proposal.mentee_id)
