"""Reading `/mentor` text: the subcommand words that pick a listener, and the rest as arguments."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any


def words(text: str | None) -> list[str]:
    return (text or "").split()


def subcommand(*expected: str) -> Callable[..., Awaitable[bool]]:
    """A Bolt listener matcher: true when the command text starts with these words (any case)."""
    wanted = [word.lower() for word in expected]

    async def matches(command: dict[str, Any]) -> bool:
        given = [word.lower() for word in words(command.get("text"))]
        return given[: len(wanted)] == wanted

    matches.__name__ = "subcommand_" + "_".join(wanted)
    return matches


def arguments(text: str | None, *expected: str) -> str:
    """The text after the subcommand words, as typed."""
    rest = (text or "").strip()
    for _ in expected:
        parts = rest.split(None, 1)
        rest = parts[1] if len(parts) > 1 else ""
    return rest
