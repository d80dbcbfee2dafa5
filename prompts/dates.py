"""The words for a typed day that cannot be used, the same wherever a day is typed: `/mentor away
until`, `/mentor admin pause ... until` and an action's `by ...` (times to book are in sessions.py)."""

from __future__ import annotations

from domain.times import TimeProblem
from prompts.blocks import excerpt

DAY_EXAMPLES = "`next friday` or `20 December`"

DAY_PROBLEMS = {
    TimeProblem.EMPTY: "Tell me the day, like " + DAY_EXAMPLES + ".",
    TimeProblem.UNPARSEABLE: "I couldn't read *{typed}* as a date. Try something like " + DAY_EXAMPLES + ".",
    TimeProblem.NUMERIC_DATE: "*{typed}* could mean two different dates. Write the month as a word, like `4 March`.",
    TimeProblem.SAME_WEEKDAY: "Did you mean today or next week? Say `next {typed}`, or write the date, like `20 December`.",
    TimeProblem.IN_THE_PAST: "*{typed}* is in the past. Pick a day still to come.",
    TimeProblem.TODAY: "*{typed}* is today. Pick a day after today.",
}


def day_problem_text(problem: TimeProblem, typed: str) -> str:
    """Why a typed day was refused, quoting a short, cleaned excerpt of what was typed."""
    return DAY_PROBLEMS[problem].format(typed=excerpt(typed))


def due_day_problem_text(problem: TimeProblem, typed: str) -> str:
    """An action's `by ...` that cannot be used: the shared words, and that the date may be left off."""
    return f"{day_problem_text(problem, typed)} You can also leave the date off."
