"""The second of a double-click, told from a new click, for buttons whose only effect is something
sent (a file, a message): there is no state to check, so the click itself is recorded for a moment.
Buttons that change state check that state instead, and modals are told apart by their view id
(`store.events.first_submission`)."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.services import Services
from store import events

DOUBLE_CLICK = timedelta(seconds=10)  # two identical clicks closer than this are one click sent twice


def click_of(body: dict) -> str:
    """Who clicked which button, with what value, on which message or view: what a double-click repeats."""
    container = body.get("container") or {}
    actions = body.get("actions") or [{}]
    action = actions[0]
    return json.dumps(
        [
            (body.get("team") or {}).get("id"),
            (body.get("user") or {}).get("id"),
            action.get("action_id"),
            action.get("value"),
            (action.get("selected_option") or {}).get("value"),
            container.get("channel_id"),
            container.get("message_ts"),
            container.get("view_id"),
        ]
    )


async def first_click(services: Services, body: dict) -> bool:
    """False for the second of two identical clicks within `DOUBLE_CLICK`."""
    async with services.sessions.begin() as session:
        return await events.first_click(
            session, team_id=(body.get("team") or {}).get("id") or "", click=click_of(body), now=services.clock.now(), within=DOUBLE_CLICK
        )
