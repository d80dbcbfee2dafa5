"""The quiet ways pairs fail, noticed early: plain functions of a pair's history and `now`.

Each detector reads one side's own answers (`author`) and returns the occurrence it found for that
side (named by the session at which the pattern showed), or nothing. A tip is triggered only by its
recipient's own answers: each partner knows what they answered, so a tip read from both sides'
answers would tell one what the other said. What both can see (sessions held, the shared roadmap's
covered topics) counts for both. The sweep turns an occurrence into an outbox row keyed by it and
its recipient, so each fires once. Thresholds are parameters and mean the same for each side: each
programme keeps its own (`thresholds_of`), with the defaults the programme design names
(`domain.thresholds`), and an admin changes them in the set-up form.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from domain.roles import Led, Role
from domain.thresholds import DEFAULTS, Thresholds
from store.models import Programme

SETTLE_AFTER = timedelta(hours=48)  # a session's reflections are in by then, or will not come


def thresholds_of(programme: Programme | None) -> Thresholds:
    """The programme's thresholds; the defaults when there is none."""
    if programme is None:
        return DEFAULTS
    return Thresholds(**{setting.name: getattr(programme, setting.name) for setting in fields(Thresholds)})


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

    def told_by(self, author: Role) -> ReflectionFacts | None:
        """`author`'s own reflection on this session (one each at most), the only one their tips may read."""
        for reflection in self.reflections:
            if reflection.author_role is author:
                return reflection
        return None

    def mentee_led(self, author: Role) -> bool:
        """`author` said the senior side led."""
        told = self.told_by(author)
        return told is not None and told.led_by == Led.MENTEE

    def roadmap_progress(self, roadmap_keys: frozenset[str], author: Role) -> bool:
        """A roadmap item was covered in it (both see that on the roadmap), or `author` named a roadmap topic."""
        if self.covered_roadmap_topic:
            return True
        told = self.told_by(author)
        return told is not None and told.topic_key in roadmap_keys

    def new_learning(self, author: Role) -> bool:
        told = self.told_by(author)
        return told is not None and bool(told.new_insight)

    def settled(self, now: datetime, author: Role, settle_after: timedelta = SETTLE_AFTER) -> bool:
        """`author` has finished reflecting, or long enough has passed that they will not. Not the
        partner's reflection: when a tip came would say when the partner finished theirs."""
        if now >= self.ends_at + settle_after:  # the cheap test first: most sessions are long past
            return True
        told = self.told_by(author)
        return told is not None and told.completed


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
    covered_keys: frozenset[str] = frozenset()  # roadmap topics covered, as both see them on the roadmap
    goals: tuple[GoalFacts, ...] = field(default_factory=tuple)

    def topics_covered(self, author: Role) -> frozenset[str]:
        """The roadmap's covered topics and those `author` said a session covered (not the partner's answers)."""
        named = {told.topic_key for session in self.held if (told := session.told_by(author)) is not None and told.topic_key}
        return self.covered_keys | named


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
    history: PairHistory,
    author: Role,
    *,
    window: int = DEFAULTS.role_reversal_window,
    threshold: int = DEFAULTS.role_reversal_threshold,
) -> Occurrence | None:
    """`author` said the mentee led in at least `threshold` of the last `window` held sessions, the
    latest among them. A session they did not say so of (or did not reflect on) does not count."""
    if not history.held:
        return None
    latest = history.held[-1]
    recent = history.held[-window:]
    if latest.mentee_led(author) and sum(session.mentee_led(author) for session in recent) >= threshold:
        return Occurrence("role-reversal", history.pair_id, latest.session_id)
    return None


def cosy_chat(
    history: PairHistory, author: Role, now: datetime, *, run: int = DEFAULTS.cosy_chat_run, settle_after: timedelta = SETTLE_AFTER
) -> Occurrence | None:
    """`run` settled held sessions in a row with no roadmap topic covered, or with no new learning
    that `author` reported. A run that fired starts again from nothing, so each run fires once."""
    settled = [session for session in history.held if session.settled(now, author, settle_after)]
    without_topic = without_learning = 0
    fired_at: int | None = None
    for session in settled:
        without_topic = 0 if session.roadmap_progress(history.roadmap_keys, author) else without_topic + 1
        without_learning = 0 if session.new_learning(author) else without_learning + 1
        fired_at = None
        if without_topic >= run or without_learning >= run:
            fired_at = session.session_id
            without_topic = without_learning = 0
    if fired_at is not None and settled and fired_at == settled[-1].session_id:
        return Occurrence("cosy-chat", history.pair_id, fired_at)
    return None


def low_safety(
    history: PairHistory, author: Role, *, count: int = DEFAULTS.low_safety_count, threshold: float = DEFAULTS.low_safety_threshold
) -> Occurrence | None:
    """The average of `author`'s own last `count` safety answers is at or below `threshold`. Fewer
    answers than `count` never fire: a pattern, not one bad session (which gets its own tip at once)."""
    answers: list[tuple[datetime, int, int]] = []
    for session in history.held:
        told = session.told_by(author)
        if told is not None and told.safety is not None:
            answers.append((told.started_at or session.ends_at, session.session_id, told.safety))
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
