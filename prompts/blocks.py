"""Small Block Kit builders shared by every surface."""

from __future__ import annotations

import unicodedata
from typing import Any

EXCERPT_LENGTH = 80

Block = dict[str, Any]


def escape(value: str) -> str:
    """What a person typed (or a name from Slack's directory), made safe for mrkdwn someone else reads.

    Slack reads `<...>` as a mention, a broadcast or a link, so `<!channel>` would ping everyone and
    `<https://x|Sign in>` would disguise a link; its "Formatting text for app surfaces" asks for these
    three entities. `&` goes first, so the `&` of `&lt;` is never escaped again. Escape once, where the
    value enters mrkdwn; plain_text fields show text as it is and need none of this.
    """
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def excerpt(value: str, limit: int = EXCERPT_LENGTH) -> str:
    """What a person typed, quoted back in a refusal: short, clean and escaped.

    Control and format characters go (right-to-left overrides and isolates could reorder the words
    around the quote; zero-width ones hide text), runs of whitespace become one space, a backtick
    becomes a quote mark (it would end the code span the quote sits in), and the text is cut to
    `limit` characters with an ellipsis, so a 5,000-character command is not echoed back whole.
    """
    kept = "".join(" " if character.isspace() else character for character in value if unicodedata.category(character) not in ("Cc", "Cf") or character.isspace())
    cleaned = " ".join(kept.split()).replace("`", "'")
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return escape(cleaned)


def plain(text: str, emoji: bool = True) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": emoji}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text[:150])}


def section(text: str, accessory: dict[str, Any] | None = None, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text[:3000])}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id is not None:
        block["block_id"] = block_id
    return block


def fields(*texts: str) -> Block:
    return {"type": "section", "fields": [mrkdwn(text) for text in texts[:10]]}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text) for text in texts[:10]]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text[:75]), "action_id": action_id}
    if value:
        element["value"] = value
    if style in ("primary", "danger"):
        element["style"] = style
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def message(text: str, blocks: list[Block]) -> dict[str, Any]:
    """A message body: `text` is the notification and screen-reader fallback for the blocks."""
    return {"text": text, "blocks": blocks}


def ephemeral(text: str, extra: list[Block] | None = None) -> dict[str, Any]:
    """A reply only the person sees: `text` (mrkdwn) as a section, then `extra`; the notification text without its stars."""
    return {"response_type": "ephemeral", **message(text.replace("*", ""), [section(text), *(extra or [])])}
