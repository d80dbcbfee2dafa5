"""Reading what Slack sends: the `/mentor` subcommand words that pick a listener, the rest as
arguments, and the workspace a request comes from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from difflib import get_close_matches
from typing import Any

# The first word of every `/mentor` subcommand a listener claims, and the second word of every
# `/mentor admin` one: a typo is matched against these (tests/handlers/test_help.py keeps them in
# step with the listeners handlers register).
SUBCOMMANDS = (
    "help", "charter", "goals", "topics", "schedule", "sessions", "log", "settings", "reflect", "reflections",
    "actions", "progress", "profile", "away", "privacy", "calendar", "programme", "program", "admin",
)
ADMIN_SUBCOMMANDS = ("setup", "enrol", "enroll", "pair", "match", "pause", "resume", "end", "unpair", "reopen", "report", "export", "peers", "org", "template")


def team_of(body: Mapping[str, Any], context: Mapping[str, Any]) -> str:
    """The workspace a command, click or form comes from: Bolt's reading of the request first (it knows
    Slack Connect modals and org installs), else the payload's own `team`, `team_id` or the user's team."""
    team = body.get("team")
    return (
        context.get("team_id")
        or (team.get("id") if isinstance(team, dict) else team)
        or body.get("team_id")
        or (body.get("user") or {}).get("team_id")
        or ""
    )


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


def _closest(word: str, known: tuple[str, ...]) -> str | None:
    found = get_close_matches(word.lower(), known, n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(text: str | None) -> str | None:
    """The command text with its misspelt subcommand words corrected and the rest kept as typed, or
    None when nothing known is close (`shedule tomorrow 3pm` -> `schedule tomorrow 3pm`)."""
    given = words(text)
    if not given:
        return None
    first, rest = given[0].lower(), given[1:]
    corrected = first if first in SUBCOMMANDS else _closest(first, SUBCOMMANDS)
    if corrected is None:
        return None
    if corrected == "admin" and rest and rest[0].lower() not in ADMIN_SUBCOMMANDS:
        verb = _closest(rest[0], ADMIN_SUBCOMMANDS)
        rest = [verb, *rest[1:]] if verb is not None else rest
    if [corrected, *rest] == [first, *given[1:]]:
        return None  # nothing misspelt, or nothing close enough to say
    return " ".join([corrected, *rest])


def asks_for_help(text: str | None) -> bool:
    """A direct message that asks for help in so many words (`help`, `Help?`, `/mentor help`)."""
    return " ".join(words(text)).lower().strip("?!. ") in ("help", "/mentor help") or (text or "").strip() == "?"
