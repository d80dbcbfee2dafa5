"""The reflection conversation as a pure state machine: which question comes next, and what a typed
or clicked reply means.

Nothing here touches Slack or the store. `Reflection.step` holds the question the conversation is
waiting on, so a restarted bot picks it up exactly where it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from bot.rules.time_reading import parse_day
from domain.reflection import (
    OTHER_TOPIC,
    ActionLine,
    Answer,
    Learning,
    NotUnderstood,
    Reply,
    Skipped,
    Step,
    TopicChoice,
)
from domain.roles import Led, Role
from domain.times import TimeProblem
from prompts import limits

QUESTIONS = tuple(step for step in Step if step is not Step.DONE)

TOOK_PLACE_VALUES = ("yes", "cancelled", "no_show")
LED_VALUES = ("me", "partner", "even")
LOW_SAFETY = 2  # an answer at or below this gets private tips
LEARNING_LIMIT = limits.TYPED_ANSWER  # as the form's field allows


def current_step(stored: int) -> Step:
    """The question a stored step is waiting on (0, a row not yet asked anything, is the first)."""
    if stored <= 0:
        return Step.TOOK_PLACE
    return Step(min(stored, Step.DONE))


# --- reading replies --------------------------------------------------------------------------

SKIP_WORDS = {"skip", "pass", "next", "skip it", "skip this", "-", "n/a", "na", "rather not say", "prefer not to say"}
YES_WORDS = {"yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "of course", "it did", "yes it did", "yes please", "definitely", "share", "share it"}
NO_WORDS = {"no", "n", "nope", "nah", "no thanks", "no thank you", "not really", "keep it private", "private", "don't share", "do not share"}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def normalise(text: str) -> str:
    text = (text or "").strip().lower()
    text = re.sub(r"[!.?,;:]+$", "", text)
    return re.sub(r"\s+", " ", text).strip()


def understand(step: Step, text: str, *, topics: list[TopicChoice] | None = None, now: datetime | None = None, tz: str = "UTC") -> Reply:
    """What a typed reply to `step` means; never raises, so every reply gets an answer."""
    if len(text.strip()) > LEARNING_LIMIT:
        return NotUnderstood(step, "too_long")
    said = normalise(text)
    if said in SKIP_WORDS:
        return Skipped(step)
    if step is Step.TOOK_PLACE:
        return _took_place(said)
    if step is Step.LED:
        return _led(said)
    if step is Step.SAFETY:
        return _safety(said)
    if step is Step.TOPIC:
        return _topic(said, topics or [])
    if step is Step.LEARNING:
        return _learning(text, said)
    if step is Step.ACTIONS:
        return _actions(text, said, now=now, tz=tz)
    if step is Step.SHARE:
        if said in YES_WORDS:
            return Answer(step, True)
        if said in NO_WORDS:
            return Answer(step, False)
        return NotUnderstood(step)
    return NotUnderstood(step)


def _took_place(said: str) -> Reply:
    step = Step.TOOK_PLACE
    if re.search(r"no[ -]?show|didn'?t (come|turn up|show)|did not (come|turn up|show)|never (came|showed|turned up)|stood me up", said):
        return Answer(step, "no_show")
    if re.search(r"cancel|called off|postponed|moved|reschedul", said):
        return Answer(step, "cancelled")
    if said in YES_WORDS or re.search(r"\b(yes|took place|happened|we met|it went ahead)\b", said):
        return Answer(step, "yes")
    if said in NO_WORDS or said == "it didn't":
        return NotUnderstood(step, "no_or_which")
    return NotUnderstood(step)


def _led(said: str) -> Reply:
    step = Step.LED
    if re.search(r"\b(even|evenly|balanced|both|equal|equally|half|same|50/50|50-50|fifty)\b", said) or "both of us" in said:
        return Answer(step, "even")
    if re.search(r"\b(my partner|partner|they|them|he|she|him|her|the other|other person)\b", said):
        return Answer(step, "partner")
    if re.search(r"\b(me|i|i did|myself|mostly me|mine)\b", said):
        return Answer(step, "me")
    if re.search(r"\bmentee\b", said):
        return Answer(step, Led.MENTEE.value)
    if re.search(r"\bmentor\b", said):
        return Answer(step, Led.MENTOR.value)
    return NotUnderstood(step)


def _safety(said: str) -> Reply:
    step = Step.SAFETY
    match = re.search(r"(?<![\d.])([0-9]+)(?![\d.])", said)
    if match:
        number = int(match.group(1))
        return Answer(step, number) if 1 <= number <= 5 else NotUnderstood(step, "range")
    for word, number in NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", said):
            return Answer(step, number)
    return NotUnderstood(step)


def _topic(said: str, topics: list[TopicChoice]) -> Reply:
    step = Step.TOPIC
    if re.fullmatch(r"(number |no\.? |#)?\d+", said):
        index = int(re.sub(r"\D", "", said)) - 1
        if 0 <= index < len(topics):
            return Answer(step, topics[index].key)
        if index == len(topics):  # "something else" is listed last
            return Answer(step, OTHER_TOPIC)
        return NotUnderstood(step, "topic_number")
    if re.search(r"\b(other|something else|none|nothing|not on the list|no topic|our own)\b", said):
        return Answer(step, OTHER_TOPIC)
    for topic in topics:
        if said in (topic.key.lower(), topic.title.lower()):
            return Answer(step, topic.key)
    if len(said) >= 3:
        matches = [topic for topic in topics if said in topic.title.lower() or said in topic.key.lower()]
        if len(matches) == 1:
            return Answer(step, matches[0].key)
    return NotUnderstood(step, "topic")


def _learning(text: str, said: str) -> Reply:
    step = Step.LEARNING
    if said in YES_WORDS:
        return Answer(step, Learning("", True))
    if said in NO_WORDS or said in {"nothing", "nothing new", "not much", "none", "nothing this time"}:
        return Answer(step, Learning("", False))
    return Answer(step, Learning(text.strip()[:LEARNING_LIMIT], True))


DUE_PATTERN = re.compile(r"\s*[,(-]?\s*\b(?:by|before|due)\s+(?P<when>[^,()]+?)\)?\s*$", re.IGNORECASE)


def _actions(text: str, said: str, *, now: datetime | None, tz: str) -> Reply:
    step = Step.ACTIONS
    if said in NO_WORDS or said in {"none", "nothing", "no actions", "nothing this time"}:
        return Answer(step, [])
    lines: list[ActionLine] = []
    for raw in text.splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", raw).strip()
        if not line:
            continue
        parsed = split_due_date(line, now=now, tz=tz)
        if isinstance(parsed, BadDueDay):
            return NotUnderstood(step, "due_day", day_problem=parsed.problem, typed=parsed.typed)
        lines.append(parsed)
    return Answer(step, lines) if lines else NotUnderstood(step)


@dataclass(frozen=True)
class BadDueDay:
    typed: str
    problem: TimeProblem


def split_due_date(line: str, *, now: datetime | None, tz: str) -> ActionLine | BadDueDay:
    """An action line with an optional 'by friday' / 'by 20 April' at its end, read in the author's zone
    by the day reader every command shares, with its refusals (ambiguous, past). A 'by ...' that is not a
    date at all stays part of the text ("a book by bell hooks")."""
    match = DUE_PATTERN.search(line)
    if match is None or now is None:
        return ActionLine(line)
    read = parse_day(match.group("when"), tz=tz, now=now)
    if read.problem in (TimeProblem.EMPTY, TimeProblem.UNPARSEABLE):
        return ActionLine(line)
    if read.day is None:
        return BadDueDay(match.group("when").strip(), read.problem or TimeProblem.UNPARSEABLE)
    text = line[: match.start()].strip() or line
    return ActionLine(text, read.day)


# --- moving on --------------------------------------------------------------------------------


def next_step(reply: Answer | Skipped) -> Step:
    """After the session did not happen there is nothing more to ask; otherwise the next question."""
    if isinstance(reply, Answer) and reply.step is Step.TOOK_PLACE and reply.value != "yes":
        return Step.DONE
    if reply.step is Step.SHARE:
        return Step.DONE
    return Step(reply.step + 1)


def led_by(relative: str, author_role: Role | str) -> Led:
    """'me' / 'my partner' / 'about even' as the author said it, stored as who led."""
    role = Role(author_role)
    if relative == "even":
        return Led.BALANCED
    if relative in (Led.MENTOR.value, Led.MENTEE.value):
        return Led(relative)
    if relative == "me":
        return Led(role.value)
    return Led.MENTEE if role is Role.MENTOR else Led.MENTOR


def is_low_safety(value: int | None) -> bool:
    return value is not None and value <= LOW_SAFETY


# --- privacy ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visibility:
    own: bool
    content: bool  # answers 3 and 5 and the rest of the reflection


def visibility(*, author_id: str, viewer_id: str, shared: bool, viewer_has_reflected: bool) -> Visibility | None:
    """Who may read a reflection: its author always; the partner only if shared and only once they
    have reflected on the same session themselves (so neither anchors the other). None: nothing."""
    if author_id == viewer_id:
        return Visibility(own=True, content=True)
    if shared and viewer_has_reflected:
        return Visibility(own=False, content=True)
    return None


@dataclass
class FormAnswers:
    """The whole reflection from the modal, checked field by field."""

    took_place: str | None = None
    led: str | None = None
    safety: int | None = None
    topic_key: str | None = None
    learning: str = ""
    new_insight: bool | None = None
    actions: list[ActionLine] = field(default_factory=list)
    shared: bool = False
    errors: dict[str, str] = field(default_factory=dict)
