"""The smallest group a figure over people's answers may cover (k-anonymity), and its floor.

Here, below the rules and the views, because the set-up form, the welcome and the reports all name it.
"""

from __future__ import annotations

K_FLOOR = 5


def effective_k(setting: int) -> int:
    """The smallest group a figure over answers may cover: the programme's setting, never below the floor."""
    return max(K_FLOOR, setting)
