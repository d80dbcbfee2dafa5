"""The door every admin form and button passes: one place that tells a non-admin (or an admin with no
programme running) why not. Shared by the admin handler modules; it listens for nothing itself."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.flows.pairing import send_dm
from bot.flows.permissions import AdminDoor, enter_admin_door
from bot.services import Services
from prompts import admin as admin_prompts
from prompts import admin_safety
from store.models import Programme


def as_dm(reply: dict[str, Any]) -> dict[str, Any]:
    """An ephemeral reply's text and blocks, to send as a DM instead (after a form has closed)."""
    return {"text": reply["text"], "blocks": reply["blocks"]}


def door_refusal(door: AdminDoor) -> dict[str, Any] | None:
    """The reply for someone the door refused, or None when they may go on."""
    if door.first_setup:
        return admin_safety.build_first_setup_refused()
    return admin_prompts.build_not_admin(door.ask) if door.ask is not None else None


async def programme_for_form(
    ack: AsyncAck, services: Services, client: AsyncWebClient, *, team_id: str, user_id: str
) -> Programme | None:
    """For a form or button: the programme, once we know the person may act on it; else tell them why not."""
    door = await enter_admin_door(services, client, team_id=team_id, user_id=user_id)
    refusal = door_refusal(door)
    if refusal is None and door.programme is not None:
        return door.programme
    await ack()
    await send_dm(client, user_id, as_dm(refusal or admin_prompts.build_no_programme()))
    return None
