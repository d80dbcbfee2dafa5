"""The quiet ways pairs fail, noticed early: plain functions of a pair's history and `now`.

Each detector returns the occurrence it found (named by the session at which the pattern showed),
or nothing. The sweep turns an occurrence into outbox rows keyed by it, so each fires once.
Thresholds are parameters: each programme keeps its own (`Thresholds.of`), with the defaults the
programme design names, and an admin changes them in the set-up form.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from store.models import Led, Programme, Role

SETTLE_AFTER = timedelta(hours=48)  # a session's reflections are in by then, or will not come


def _programme_default(name: str) -> Any:
    """The one place the defaults live is the programme's table."""
    return Programme.model_fields[name].default


@dataclass(frozen=True)
class Thresholds:
    """A programme's settings for when each detector fires."""

    role_reversal_window: int = _programme_default("role_reversal_window")
    role_reversal_threshold: int = _programme_default("role_reversal_threshold")
    cosy_chat_run: int = _programme_default("cosy_chat_run")
    low_safety_count: int = _programme_default("low_safety_count")
    low_safety_threshold: float = _programme_default("low_safety_threshold")
    stalled_goal_sessions: int = _programme_default("stalled_goal_sessions")

    @classmethod
    def of(cls, programme: Programme | None) -> Thresholds:
        """The programme's thresholds; the defaults when there is none."""
        if programme is None:
            return cls()
        return cls(**{setting.name: getattr(programme, setting.name) for setting in fields(cls)})


DEFAULTS = Thresholds()


@dataclass(frozen=True, slots=True)
class ReflectionFacts:
    author_role: Role
    led_by: str | None = None
    safety: int | None = None
    topic_key: str | None = None
    new_insight: bool | None = None
    completed: bool = True
    started_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SessionFacts:
    session_id: int
    starts_at: datetime
    ends_at: datetime
    reflections: tuple[ReflectionFacts, ...] = ()
    covered_roadmap_topic: bool = False  # a roadmap item was first covered in this session

    @property
    def mentee_led(self) -> bool:
        """Counted as mentee-led when either side said so."""
        return any(reflection.led_by == Led.MENTEE for reflection in self.reflections)

    def roadmap_progress(self, roadmap_keys: frozenset[str]) -> bool:
        return self.covered_roadmap_topic or any(r.topic_key in roadmap_keys for r in self.reflections if r.topic_key)

    @property
    def new_learning(self) -> bool:
        return any(reflection.new_insight for reflection in self.reflections)

    def settled(self, now: datetime, settle_after: timedelta = SETTLE_AFTER) -> bool:
        """Both sides have finished reflecting, or long enough has passed that they will not."""
        if now >= self.ends_at + settle_after:  # the cheap test first: most sessions are long past
            return True
        finished = {reflection.author_role for reflection in self.reflections if reflection.completed}
        return finished >= {Role.MENTOR, Role.MENTEE}


@dataclass(frozen=True)
class GoalFacts:
    goal_id: int
    owner_id: str
    text: str
    updated_at: datetime


@dataclass(frozen=True)
class PairHistory:
    pair_id: int
    held: tuple[SessionFacts, ...]  # held sessions, oldest first
    roadmap_keys: frozenset[str] = frozenset()
    covered_keys: frozenset[str] = frozenset()
    goals: tuple[GoalFacts, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Occurrence:
    detector: str
    pair_id: int
    session_id: int
    goal_id: int | None = None
    owner_id: str | None = None

    @property
    def key(self) -> str:
        if self.goal_id is not None:
            return f"detector:{self.detector}:goal:{self.goal_id}:session:{self.session_id}"
        return f"detector:{self.detector}:pair:{self.pair_id}:session:{self.session_id}"


def role_reversal(
    history: PairHistory, *, window: int = DEFAULTS.role_reversal_window, threshold: int = DEFAULTS.role_reversal_threshold
) -> Occurrence | None:
    """The mentee led in at least `threshold` of the last `window` held sessions, the latest among them."""
    if not history.held:
        return None
    latest = history.held[-1]
    recent = history.held[-window:]
    if latest.mentee_led and sum(session.mentee_led for session in recent) >= threshold:
        return Occurrence("role-reversal", history.pair_id, latest.session_id)
    return None


def cosy_chat(history: PairHistory, now: datetime, *, run: int = DEFAULTS.cosy_chat_run, settle_after: timedelta = SETTLE_AFTER) -> Occurrence | None:
    """`run` settled held sessions in a row with no roadmap topic covered, or with no new learning
    reported by either side. A run that fired starts again from nothing, so each run fires once."""
    settled = [session for session in history.held if session.settled(now, settle_after)]
    without_topic = without_learning = 0
    fired_at: int | None = None
    for session in settled:
        if session.reflections or session.covered_roadmap_topic:
            without_topic = 0 if session.roadmap_progress(history.roadmap_keys) else without_topic + 1
            without_learning = 0 if session.new_learning else without_learning + 1
        else:  # nothing said about it and no roadmap item covered in it: neither progress nor learning
            without_topic += 1
            without_learning += 1
        fired_at = None
        if without_topic >= run or without_learning >= run:
            fired_at = session.session_id
            without_topic = without_learning = 0
    if fired_at is not None and settled and fired_at == settled[-1].session_id:
        return Occurrence("cosy-chat", history.pair_id, fired_at)
    return None


def low_safety(
    history: PairHistory, *, count: int = DEFAULTS.low_safety_count, threshold: float = DEFAULTS.low_safety_threshold
) -> Occurrence | None:
    """The average safety over the pair's last `count` answers is at or below `threshold`. Fewer
    answers than `count` never fire: with one or two, the average would give someone away."""
    answers: list[tuple[datetime, int, int]] = []
    for session in history.held:
        for reflection in session.reflections:
            if reflection.safety is not None:
                answers.append((reflection.started_at or session.ends_at, session.session_id, reflection.safety))
    if len(answers) < count:
        return None
    answers.sort(key=lambda answer: answer[0])
    last = answers[-count:]
    if sum(answer[2] for answer in last) / count <= threshold:
        return Occurrence("low-safety", history.pair_id, last[-1][1])
    return None


def stalled_goals(history: PairHistory, now: datetime, *, sessions: int = DEFAULTS.stalled_goal_sessions) -> list[Occurrence]:
    """Goals untouched since before the last `sessions` held sessions: one prompt per untouched stretch."""
    found: list[Occurrence] = []
    for goal in history.goals:
        since = [session for session in history.held if session.starts_at > goal.updated_at and session.ends_at <= now]
        if len(since) >= sessions:
            found.append(Occurrence("stalled-goal", history.pair_id, since[sessions - 1].session_id, goal.goal_id, goal.owner_id))
    return found


def fresh_topics(catalogue: list[dict], covered_keys: frozenset[str], *, limit: int = 3) -> list[dict]:
    """Catalogue topics the pair has not covered yet, in catalogue order."""
    return [topic for topic in catalogue if topic["key"] not in covered_keys][:limit]
