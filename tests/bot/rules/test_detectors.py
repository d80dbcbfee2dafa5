"""Each detector fires on its pattern in one side's own answers and not just below it, named by the
session where it showed; the partner's answers never count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.rules import detectors
from bot.rules.detectors import GoalFacts, PairHistory, ReflectionFacts, SessionFacts
from domain.roles import Role
from domain.thresholds import Thresholds
from store.models import Programme

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ROADMAP = frozenset({"hybrid-working", "ai-tools-at-work"})


def _reflection(role: Role = Role.MENTOR, **fields) -> ReflectionFacts:
    return ReflectionFacts(author_role=role, **fields)


def _session(number: int, *reflections: ReflectionFacts, covered: bool = False) -> SessionFacts:
    starts = NOW - timedelta(days=30 * (10 - number))
    return SessionFacts(number, starts, starts + timedelta(hours=1), tuple(reflections), covered)


def _led(number: int, mentor_says: str, mentee_says: str) -> SessionFacts:
    return _session(number, _reflection(Role.MENTOR, led_by=mentor_says, topic_key="hybrid-working", new_insight=True), _reflection(Role.MENTEE, led_by=mentee_says))


def _history(*sessions: SessionFacts, goals: tuple[GoalFacts, ...] = ()) -> PairHistory:
    return PairHistory(pair_id=3, held=sessions, roadmap_keys=ROADMAP, goals=goals)


# --- role reversal ---------------------------------------------------------------------------


def test_role_reversal_fires_for_the_side_that_said_the_mentee_led_two_of_the_last_three():
    history = _history(_led(1, "mentee", "mentee"), _led(2, "mentor", "mentor"), _led(3, "mentor", "mentee"))
    found = detectors.role_reversal(history, Role.MENTEE)
    assert found is not None
    assert found.key == "detector:role-reversal:pair:3:session:3"
    assert detectors.role_reversal(history, Role.MENTOR) is None  # the mentor said so of one session only


def test_role_reversal_reads_only_its_recipients_own_answers():
    # Counted over both sides' answers, each of these would fire for both, and tell one what the other said.
    assert detectors.role_reversal(_history(_led(1, "mentee", "balanced"), _led(2, "mentor", "mentee")), Role.MENTOR) is None
    assert detectors.role_reversal(_history(_led(1, "mentee", "balanced"), _led(2, "mentor", "mentee")), Role.MENTEE) is None
    history = _history(_led(1, "mentee", "mentor"), _led(2, "mentee", "mentor"))
    assert detectors.role_reversal(history, Role.MENTOR) is not None
    assert detectors.role_reversal(history, Role.MENTEE) is None


def test_role_reversal_does_not_count_a_session_the_side_did_not_reflect_on():
    history = _history(_led(1, "mentee", "mentee"), _session(2, _reflection(Role.MENTOR, led_by="mentee")))
    assert detectors.role_reversal(history, Role.MENTOR) is not None
    assert detectors.role_reversal(history, Role.MENTEE) is None


def test_role_reversal_does_not_fire_on_one_of_three():
    history = _history(_led(1, "mentor", "mentor"), _led(2, "balanced", "balanced"), _led(3, "mentee", "mentee"))
    assert [detectors.role_reversal(history, role) for role in Role] == [None, None]


def test_role_reversal_looks_only_at_the_last_three():
    history = _history(_led(1, "mentee", "mentee"), _led(2, "mentor", "mentor"), _led(3, "mentor", "mentor"), _led(4, "mentee", "mentee"))
    assert [detectors.role_reversal(history, role) for role in Role] == [None, None]


def test_role_reversal_waits_for_a_newly_mentee_led_session_to_fire_again():
    # Still two of three, but the newest session was balanced: nothing new to say.
    history = _history(_led(1, "mentee", "mentee"), _led(2, "mentee", "mentee"), _led(3, "balanced", "balanced"))
    assert [detectors.role_reversal(history, role) for role in Role] == [None, None]


# --- cosy chat -------------------------------------------------------------------------------


def _plain(number: int, *, topic: str | None = None, insight: bool | None = None) -> SessionFacts:
    return _session(number, _reflection(Role.MENTOR, topic_key=topic, new_insight=insight), _reflection(Role.MENTEE, new_insight=insight))


def test_cosy_chat_fires_after_two_sessions_without_a_roadmap_topic():
    found = detectors.cosy_chat(_history(_plain(1, topic="other", insight=True), _plain(2, topic="other", insight=True)), Role.MENTOR, NOW)
    assert found is not None and found.key == "detector:cosy-chat:pair:3:session:2"


def test_cosy_chat_fires_after_two_sessions_without_new_learning():
    history = _history(_plain(1, topic="hybrid-working", insight=False), _plain(2, topic="ai-tools-at-work"))
    assert detectors.cosy_chat(history, Role.MENTOR, NOW) is not None


def test_cosy_chat_does_not_fire_after_one_such_session():
    history = _history(_plain(1, topic="hybrid-working", insight=True), _plain(2, topic="other", insight=False))
    assert detectors.cosy_chat(history, Role.MENTOR, NOW) is None


def test_cosy_chat_does_not_fire_when_each_session_had_either_progress_or_learning_alternately():
    history = _history(_plain(1, topic="other", insight=True), _plain(2, topic="hybrid-working", insight=False))
    assert detectors.cosy_chat(history, Role.MENTOR, NOW) is None


def test_cosy_chat_reads_only_its_recipients_own_answers():
    # The mentee learnt nothing new twice; the mentor did both times. Over both sides' answers neither
    # heard of it; over the mentee's own, the mentee does, and the mentor's insight does not hold it back.
    told = (_reflection(Role.MENTOR, topic_key="hybrid-working", new_insight=True), _reflection(Role.MENTEE, topic_key="hybrid-working", new_insight=False))
    history = _history(_session(1, *told), _session(2, *told))
    assert detectors.cosy_chat(history, Role.MENTEE, NOW) is not None
    assert detectors.cosy_chat(history, Role.MENTOR, NOW) is None


def test_cosy_chat_counts_a_roadmap_item_covered_in_the_session_for_both_sides():
    # Both see the covered item on their roadmap, whoever's answer covered it.
    history = _history(_plain(1, topic="other", insight=True), _session(2, _reflection(Role.MENTOR, new_insight=True), _reflection(Role.MENTEE, new_insight=True), covered=True))
    assert [detectors.cosy_chat(history, role, NOW) for role in Role] == [None, None]


def test_cosy_chat_starts_counting_again_after_firing():
    history = _history(*(_plain(number, topic="other", insight=True) for number in (1, 2, 3)))
    assert detectors.cosy_chat(history, Role.MENTOR, NOW) is None


def test_cosy_chat_waits_until_the_side_has_reflected_or_the_session_is_two_days_past():
    recent = SessionFacts(2, NOW - timedelta(hours=3), NOW - timedelta(hours=2), (_reflection(Role.MENTOR, topic_key="other", new_insight=True),))
    history = _history(_plain(1, topic="other", insight=True), recent)
    assert detectors.cosy_chat(history, Role.MENTOR, NOW) is not None  # the mentor has reflected: not waiting on the mentee
    assert detectors.cosy_chat(history, Role.MENTEE, NOW) is None
    assert detectors.cosy_chat(history, Role.MENTEE, NOW + timedelta(days=2)) is not None
    unfinished = SessionFacts(2, recent.starts_at, recent.ends_at, (_reflection(Role.MENTOR, topic_key="other", new_insight=True, completed=False),))
    assert detectors.cosy_chat(_history(_plain(1, topic="other", insight=True), unfinished), Role.MENTOR, NOW) is None


def test_the_topics_covered_are_the_roadmaps_and_the_sides_own_answers():
    history = PairHistory(
        pair_id=3,
        held=(_session(1, _reflection(Role.MENTOR, topic_key="mine"), _reflection(Role.MENTEE, topic_key="theirs")),),
        covered_keys=frozenset({"on-the-roadmap"}),
    )
    assert history.topics_covered(Role.MENTOR) == {"on-the-roadmap", "mine"}
    assert history.topics_covered(Role.MENTEE) == {"on-the-roadmap", "theirs"}


# --- low safety ------------------------------------------------------------------------------


def _safety(*scores: int, partner: int = 5) -> PairHistory:
    """The mentee's safety answers, one a session; the mentor answered `partner` every time."""
    sessions = [_session(number, _reflection(Role.MENTOR, safety=partner), _reflection(Role.MENTEE, safety=score)) for number, score in enumerate(scores, start=1)]
    return _history(*sessions)


def test_low_safety_fires_at_an_average_of_two_and_a_half():
    found = detectors.low_safety(_safety(5, 2, 3, 2), Role.MENTEE)  # last three: 2, 3, 2 -> 2.33
    assert found is not None and found.key == "detector:low-safety:pair:3:session:4"
    assert detectors.low_safety(_safety(2, 3), Role.MENTEE, count=2) is not None  # exactly at the threshold


def test_low_safety_does_not_fire_just_above():
    assert detectors.low_safety(_safety(2, 3, 3), Role.MENTEE) is None  # 2.67


def test_low_safety_needs_three_answers_so_one_bad_session_is_not_a_pattern():
    assert detectors.low_safety(_safety(1, 1), Role.MENTEE) is None


def test_low_safety_reads_only_its_recipients_own_answers():
    # The mentor answered 5 every time: a tip to them would say the mentee's answers were low.
    assert detectors.low_safety(_safety(1, 1, 1), Role.MENTOR) is None
    assert detectors.low_safety(_safety(1, 1, 1), Role.MENTEE) is not None
    assert detectors.low_safety(_safety(5, 5, 5, partner=1), Role.MENTEE) is None
    # Nor do the partner's answers make up the count: three low answers between the two of them are not three of one's own.
    assert detectors.low_safety(_safety(1, 1, partner=1), Role.MENTEE) is None


# --- stalled goals ---------------------------------------------------------------------------


def test_stalled_goal_fires_after_three_held_sessions_untouched():
    goal = GoalFacts(7, "U0MENTEE", "Understand our graduates", updated_at=NOW - timedelta(days=300))
    found = detectors.stalled_goals(_history(_plain(1), _plain(2), _plain(3), _plain(4), goals=(goal,)), NOW)
    assert [(f.key, f.owner_id) for f in found] == [("detector:stalled-goal:goal:7:session:3", "U0MENTEE")]


def test_stalled_goal_does_not_fire_after_two():
    goal = GoalFacts(7, "U0MENTEE", "Understand our graduates", updated_at=_plain(2).starts_at - timedelta(days=1))
    assert detectors.stalled_goals(_history(_plain(1), _plain(2), _plain(3), goals=(goal,)), NOW) == []


def test_fresh_topics_leave_out_what_was_covered():
    catalogue = [{"key": "a"}, {"key": "b"}, {"key": "c"}, {"key": "d"}]
    assert detectors.fresh_topics(catalogue, frozenset({"a", "c"})) == [{"key": "b"}, {"key": "d"}]


# --- a programme's own thresholds --------------------------------------------------------------


def test_thresholds_come_from_the_programme_or_the_defaults():
    programme = Programme(team_id="T1", name="p", starts_on=NOW.date(), ends_on=NOW.date(), created_by="U1", created_at=NOW, cosy_chat_run=4, low_safety_threshold=2.0)
    assert detectors.thresholds_of(programme) == Thresholds(cosy_chat_run=4, low_safety_threshold=2.0)
    assert detectors.thresholds_of(None) == Thresholds(3, 2, 2, 3, 2.5, 3)


def test_role_reversal_fires_at_a_changed_threshold_and_not_below_it():
    # Three of the last four, the latest among them: fires at 3-of-4; two of four does not (it would at 2-of-3).
    three = _history(_led(1, "mentor", "mentor"), _led(2, "mentee", "mentee"), _led(3, "mentee", "mentee"), _led(4, "mentee", "mentor"))
    two = _history(_led(1, "mentor", "mentor"), _led(2, "mentee", "mentee"), _led(3, "mentor", "balanced"), _led(4, "mentee", "mentor"))
    assert detectors.role_reversal(two, Role.MENTOR) is not None  # the default fires
    assert detectors.role_reversal(three, Role.MENTOR, window=4, threshold=3) is not None
    assert detectors.role_reversal(two, Role.MENTOR, window=4, threshold=3) is None


def test_cosy_chat_fires_at_a_changed_run_and_not_below_it():
    two = _history(_plain(1, topic="hybrid-working", insight=True), _plain(2, topic="other", insight=True), _plain(3, topic="other", insight=True))
    three = _history(_plain(1, topic="other", insight=True), _plain(2, topic="other", insight=True), _plain(3, topic="other", insight=True))
    assert detectors.cosy_chat(two, Role.MENTOR, NOW) is not None  # the default run of two
    assert detectors.cosy_chat(two, Role.MENTOR, NOW, run=3) is None
    found = detectors.cosy_chat(three, Role.MENTOR, NOW, run=3)
    assert found is not None and found.session_id == 3


def test_low_safety_fires_at_a_changed_count_and_threshold_and_not_above_it():
    assert detectors.low_safety(_safety(2, 2, 2, 3), Role.MENTEE) is not None  # the default: 2, 2, 3 -> 2.33
    assert detectors.low_safety(_safety(2, 2, 2, 3), Role.MENTEE, count=4, threshold=2.0) is None  # 2.25
    found = detectors.low_safety(_safety(3, 2, 2, 2, 2), Role.MENTEE, count=4, threshold=2.0)  # exactly 2.0
    assert found is not None and found.session_id == 5


def test_stalled_goal_fires_at_a_changed_count_and_not_below_it():
    goal = GoalFacts(7, "U0MENTEE", "Understand our graduates", updated_at=_plain(2).starts_at - timedelta(days=1))
    history = _history(_plain(1), _plain(2), _plain(3), goals=(goal,))  # untouched for two sessions
    assert detectors.stalled_goals(history, NOW) == []
    assert [found.session_id for found in detectors.stalled_goals(history, NOW, sessions=2)] == [3]
    assert detectors.stalled_goals(_history(_plain(1), _plain(2), goals=(goal,)), NOW, sessions=2) == []
