"""Each detector fires on its pattern and not just below it, named by the session where it showed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import detectors
from bot.detectors import GoalFacts, PairHistory, ReflectionFacts, SessionFacts
from store.models import Programme, Role

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


def test_role_reversal_fires_when_the_mentee_led_two_of_the_last_three():
    found = detectors.role_reversal(_history(_led(1, "mentee", "mentee"), _led(2, "mentor", "mentor"), _led(3, "mentor", "mentee")))
    assert found is not None
    assert found.key == "detector:role-reversal:pair:3:session:3"


def test_role_reversal_counts_a_session_when_either_side_says_the_mentee_led():
    assert detectors.role_reversal(_history(_led(1, "mentee", "balanced"), _led(2, "mentor", "mentee"))) is not None


def test_role_reversal_does_not_fire_on_one_of_three():
    assert detectors.role_reversal(_history(_led(1, "mentor", "mentor"), _led(2, "balanced", "balanced"), _led(3, "mentee", "mentee"))) is None


def test_role_reversal_looks_only_at_the_last_three():
    history = _history(_led(1, "mentee", "mentee"), _led(2, "mentor", "mentor"), _led(3, "mentor", "mentor"), _led(4, "mentee", "mentee"))
    assert detectors.role_reversal(history) is None


def test_role_reversal_waits_for_a_newly_mentee_led_session_to_fire_again():
    # Still two of three, but the newest session was balanced: nothing new to say.
    assert detectors.role_reversal(_history(_led(1, "mentee", "mentee"), _led(2, "mentee", "mentee"), _led(3, "balanced", "balanced"))) is None


# --- cosy chat -------------------------------------------------------------------------------


def _plain(number: int, *, topic: str | None = None, insight: bool | None = None) -> SessionFacts:
    return _session(number, _reflection(Role.MENTOR, topic_key=topic, new_insight=insight), _reflection(Role.MENTEE, new_insight=insight))


def test_cosy_chat_fires_after_two_sessions_without_a_roadmap_topic():
    found = detectors.cosy_chat(_history(_plain(1, topic="other", insight=True), _plain(2, topic="other", insight=True)), NOW)
    assert found is not None and found.key == "detector:cosy-chat:pair:3:session:2"


def test_cosy_chat_fires_after_two_sessions_without_new_learning():
    assert detectors.cosy_chat(_history(_plain(1, topic="hybrid-working", insight=False), _plain(2, topic="ai-tools-at-work")), NOW) is not None


def test_cosy_chat_does_not_fire_after_one_such_session():
    history = _history(_plain(1, topic="hybrid-working", insight=True), _plain(2, topic="other", insight=False))
    assert detectors.cosy_chat(history, NOW) is None


def test_cosy_chat_does_not_fire_when_each_session_had_either_progress_or_learning_alternately():
    history = _history(_plain(1, topic="other", insight=True), _plain(2, topic="hybrid-working", insight=False))
    assert detectors.cosy_chat(history, NOW) is None


def test_cosy_chat_counts_a_roadmap_item_covered_in_the_session():
    history = _history(_plain(1, topic="other", insight=True), _session(2, _reflection(new_insight=True), covered=True))
    assert detectors.cosy_chat(history, NOW) is None


def test_cosy_chat_starts_counting_again_after_firing():
    history = _history(*(_plain(number, topic="other", insight=True) for number in (1, 2, 3)))
    assert detectors.cosy_chat(history, NOW) is None


def test_cosy_chat_waits_until_the_latest_session_is_settled():
    recent = SessionFacts(2, NOW - timedelta(hours=3), NOW - timedelta(hours=2), (_reflection(Role.MENTOR, topic_key="other", new_insight=True),))
    assert detectors.cosy_chat(_history(_plain(1, topic="other", insight=True), recent), NOW) is None
    assert detectors.cosy_chat(_history(_plain(1, topic="other", insight=True), recent), NOW + timedelta(days=2)) is not None


# --- low safety ------------------------------------------------------------------------------


def _safety(*scores: int) -> PairHistory:
    sessions = []
    for number, score in enumerate(scores, start=1):
        sessions.append(_session(number, _reflection(Role.MENTOR if number % 2 else Role.MENTEE, safety=score)))
    return _history(*sessions)


def test_low_safety_fires_at_an_average_of_two_and_a_half():
    found = detectors.low_safety(_safety(5, 2, 3, 2))  # last three: 2, 3, 2 -> 2.33
    assert found is not None and found.key == "detector:low-safety:pair:3:session:4"
    assert detectors.low_safety(_safety(2, 3), count=2) is not None  # exactly at the threshold


def test_low_safety_does_not_fire_just_above():
    assert detectors.low_safety(_safety(2, 3, 3)) is None  # 2.67


def test_low_safety_needs_three_answers_so_nobody_is_given_away():
    assert detectors.low_safety(_safety(1, 1)) is None


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
    assert detectors.Thresholds.of(programme) == detectors.Thresholds(cosy_chat_run=4, low_safety_threshold=2.0)
    assert detectors.Thresholds.of(None) == detectors.Thresholds(3, 2, 2, 3, 2.5, 3)


def test_role_reversal_fires_at_a_changed_threshold_and_not_below_it():
    # Three of the last four, the latest among them: fires at 3-of-4; two of four does not (it would at 2-of-3).
    three = _history(_led(1, "mentor", "mentor"), _led(2, "mentee", "mentee"), _led(3, "mentee", "mentee"), _led(4, "mentee", "mentor"))
    two = _history(_led(1, "mentor", "mentor"), _led(2, "mentee", "mentee"), _led(3, "mentor", "balanced"), _led(4, "mentee", "mentor"))
    assert detectors.role_reversal(two) is not None  # the default fires
    assert detectors.role_reversal(three, window=4, threshold=3) is not None
    assert detectors.role_reversal(two, window=4, threshold=3) is None


def test_cosy_chat_fires_at_a_changed_run_and_not_below_it():
    two = _history(_plain(1, topic="hybrid-working", insight=True), _plain(2, topic="other", insight=True), _plain(3, topic="other", insight=True))
    three = _history(_plain(1, topic="other", insight=True), _plain(2, topic="other", insight=True), _plain(3, topic="other", insight=True))
    assert detectors.cosy_chat(two, NOW) is not None  # the default run of two
    assert detectors.cosy_chat(two, NOW, run=3) is None
    found = detectors.cosy_chat(three, NOW, run=3)
    assert found is not None and found.session_id == 3


def test_low_safety_fires_at_a_changed_count_and_threshold_and_not_above_it():
    assert detectors.low_safety(_safety(2, 2, 2, 3)) is not None  # the default: 2, 2, 3 -> 2.33
    assert detectors.low_safety(_safety(2, 2, 2, 3), count=4, threshold=2.0) is None  # 2.25
    found = detectors.low_safety(_safety(3, 2, 2, 2, 2), count=4, threshold=2.0)  # exactly 2.0
    assert found is not None and found.session_id == 5


def test_stalled_goal_fires_at_a_changed_count_and_not_below_it():
    goal = GoalFacts(7, "U0MENTEE", "Understand our graduates", updated_at=_plain(2).starts_at - timedelta(days=1))
    history = _history(_plain(1), _plain(2), _plain(3), goals=(goal,))  # untouched for two sessions
    assert detectors.stalled_goals(history, NOW) == []
    assert [found.session_id for found in detectors.stalled_goals(history, NOW, sessions=2)] == [3]
    assert detectors.stalled_goals(_history(_plain(1), _plain(2), goals=(goal,)), NOW, sessions=2) == []
