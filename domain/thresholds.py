"""When each early-warning detector fires: a programme's settings, and the defaults the programme design names.

The one place the defaults live: the programme's table takes its column defaults from `DEFAULTS`, the
set-up form shows them for a new programme, the tips quote them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """A programme's settings for when each detector fires (`bot.rules.detectors.thresholds_of` reads them)."""

    role_reversal_window: int = 3  # of the last this many held sessions ...
    role_reversal_threshold: int = 2  # ... at least this many led by the mentee
    cosy_chat_run: int = 2  # held sessions in a row without a roadmap topic or a new insight
    low_safety_count: int = 3  # the side's last this many safety answers ...
    low_safety_threshold: float = 2.5  # ... averaging at or below this
    stalled_goal_sessions: int = 3  # held sessions a goal may go untouched


DEFAULTS = Thresholds()
