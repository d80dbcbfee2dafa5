"""The set-up form's early warnings: what each detector's threshold means, and the errors for each."""

from __future__ import annotations

HEADING = "*Early warnings*"
INTRO = "When someone's own reflections show one of these patterns, I send them private tips. Choose when each pattern counts; nobody's answers are shown to anyone."
LABELS = {
    "role_reversal_window": "Roles reversed: sessions to look back over",
    "role_reversal_threshold": "Roles reversed: how many of those the mentee led",
    "cosy_chat_run": "Cosy chat: sessions in a row with no roadmap topic or no new insight",
    "low_safety_count": "Low safety: latest answers to average",
    "low_safety_threshold": "Low safety: tips when that average is at or below",
    "stalled_goal_sessions": "Stalled goal: sessions a goal goes unchanged",
}
HINTS = {
    "role_reversal_threshold": "Counted in each person's own answers: a session counts when they said the mentee led it. At most the number of sessions looked back over.",
    "low_safety_count": "Each person's own latest answers. At least 3, so one hard session is not taken for a pattern.",
    "low_safety_threshold": "Answers go from 1 (not free at all to speak) to 5 (completely free).",
}


def whole_number_error(low: int, high: int) -> str:
    return f"Enter a whole number from {low} to {high}."


def safety_threshold_error(low: float, high: float) -> str:
    return f"Enter a number from {low:g} to {high:g}, such as 2.5."


def more_than_the_window(window: int) -> str:
    return f"This can't be more than the sessions looked back over ({window})."
