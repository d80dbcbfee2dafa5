"""The reflection conversation's questions and the replies it reads, as plain records.

Here, below the rules and the views: `bot.rules.reflection_flow` decides which question comes next and
what a reply means; `prompts.reflection_*` word the questions and read the answers back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from domain.roles import Role
from domain.times import TimeProblem


class Step(IntEnum):
    TOOK_PLACE = 1
    LED = 2
    SAFETY = 3
    TOPIC = 4
    LEARNING = 5
    ACTIONS = 6
    SHARE = 7
    DONE = 8


OTHER_TOPIC = "other"


def question_key(step: Step, role: Role | str) -> str:
    """The wording key for a question as this side reads it: `prompts.reflection_conversation` holds the words."""
    return f"{step.name.lower()}:{Role(role).value}"


@dataclass(frozen=True)
class TopicChoice:
    key: str
    title: str


@dataclass(frozen=True)
class ActionLine:
    text: str
    due_on: date | None = None


@dataclass(frozen=True)
class Learning:
    text: str
    new_insight: bool


@dataclass(frozen=True)
class Answer:
    step: Step
    value: object


@dataclass(frozen=True)
class Skipped:
    step: Step


@dataclass(frozen=True)
class NotUnderstood:
    step: Step
    reason: str = "unclear"  # a key for the re-ask wording: unclear, no_or_which, too_long, due_day
    day_problem: TimeProblem | None = None  # due_day: why an action's `by ...` cannot be used
    typed: str = ""  # due_day: the day as typed


Reply = Answer | Skipped | NotUnderstood
