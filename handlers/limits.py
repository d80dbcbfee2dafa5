"""Oversized text in a submitted modal is refused, box by box, before any handler reads it.

Slack enforces each box's `max_length` in its client, so this only bites on a payload that got
round it; then the person sees the limit under the box rather than a half-saved form.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from prompts import limits


def oversized_boxes(view: dict[str, Any]) -> dict[str, str]:
    """block id -> why, for each text box whose submitted value is longer than the box takes."""
    declared = {}
    for block in view.get("blocks") or []:
        element = block.get("element") if isinstance(block, dict) else None
        if isinstance(element, dict) and element.get("type") == "plain_text_input":
            declared[(block.get("block_id"), element.get("action_id"))] = element.get("max_length") or limits.TEXT_BOX
    errors: dict[str, str] = {}
    values = (view.get("state") or {}).get("values") or {}
    for block_id, elements in values.items() if isinstance(values, dict) else ():
        for action_id, element in elements.items() if isinstance(elements, dict) else ():
            value = element.get("value") if isinstance(element, dict) else None
            if not isinstance(value, str):
                continue
            limit = min(declared.get((block_id, action_id), limits.TEXT_BOX), limits.TEXT_BOX)
            if len(value) > limit:
                errors[block_id] = limits.too_long(len(value), limit)
    return errors


def register(app: AsyncApp) -> None:
    @app.middleware
    async def refuse_oversized_text(body: dict, next: Callable[[], Awaitable[None]]) -> BoltResponse | None:  # noqa: A002
        view = body.get("view") if body.get("type") == "view_submission" else None
        errors = oversized_boxes(view) if isinstance(view, dict) else {}
        if errors:
            return BoltResponse(status=200, body=json.dumps({"response_action": "errors", "errors": errors}), headers={"content-type": "application/json"})
        await next()
        return None
