"""`@Name` typed in the sandbox's composer, sent to the bot the way Slack sends a chosen mention.

In Slack, picking someone from the `@` menu puts a mention in the message; the app receives it as
`<@U123>` in a message event, and as `<@U123|handle>` in a slash command's text when the command
asks Slack to escape users (the manifest's `should_escape: true`). The sandbox has no `@` menu, so
it recognises what a person would type: a full name (`@Priya Nair`), a handle (`@priya`) or a first
name that only one person has (`@Priya`), in any case and with or without accents. Anything else
(an email address, an `@` nobody answers to) is left as typed, as Slack leaves it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sandbox.workspace import Member

AT = re.compile(r"(?<![\w@.<])@")


def _fold(text: str) -> str:
    """Lower case, accents dropped (`Léo` and `leo` are the same to someone typing), one character for
    one, so a position in the folded text is the same position in the text."""
    return "".join((unicodedata.normalize("NFKD", c)[:1].casefold() or c)[:1] for c in text)


def _names(members: Iterable[Member]) -> list[tuple[str, Member]]:
    """(folded name, member) for every way of naming a member, longest first."""
    people = [m for m in members if not m.deleted]
    first_names: dict[str, list[Member]] = {}
    for member in people:
        first = member.real_name.split(" ")[0]
        if first:
            first_names.setdefault(_fold(first), []).append(member)
    names: list[tuple[str, Member]] = []
    for member in people:
        names += [(_fold(member.real_name), member), (_fold(member.name), member)]
    names += [(first, found[0]) for first, found in first_names.items() if len(found) == 1]
    return sorted({(name, member.id): (name, member) for name, member in names if name}.values(), key=lambda item: -len(item[0]))


def escape_mentions(text: str, members: Iterable[Member], *, with_handle: bool) -> str:
    """`text` with each recognised `@Name` as Slack's `<@U123|handle>` (`with_handle`) or `<@U123>`."""
    names = _names(members)
    out: list[str] = []
    position = 0
    for found in AT.finditer(text):
        start = found.end()
        if start < position:
            continue
        rest = text[start:]
        folded = _fold(rest)
        for name, member in names:
            after = folded[len(name):len(name) + 1]
            if folded.startswith(name) and not (after.isalnum() or after == "_"):
                out.append(text[position:found.start()])
                out.append(f"<@{member.id}|{member.name}>" if with_handle else f"<@{member.id}>")
                position = start + len(name)
                break
    out.append(text[position:])
    return "".join(out)
