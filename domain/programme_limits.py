"""The bounds of each setting in the programme set-up form: the form's rules check them, its view shows them."""

from __future__ import annotations

from domain.anonymity import K_FLOOR

LIMITS = {
    "cadence_days": (7, 90),
    "session_minutes": (15, 240),
    "k_anonymity": (K_FLOOR, 50),
    "max_pairs_per_person": (1, 5),
}
RETENTION_LIMITS = (30, 3650)  # days personal data is kept after the programme ends
# The detectors' thresholds (domain/thresholds.py). Fewer than three of a person's own safety answers would be one hard session, not a pattern.
WARNING_LIMITS = {
    "role_reversal_window": (1, 10),
    "role_reversal_threshold": (1, 10),
    "cosy_chat_run": (1, 10),
    "low_safety_count": (3, 10),
    "stalled_goal_sessions": (1, 10),
}
SAFETY_THRESHOLD_LIMITS = (1.0, 5.0)
# Days after an admin ends a pair during which they can reopen it, its history intact.
REOPEN_GRACE_DAYS = 14
