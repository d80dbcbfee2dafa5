"""`user_change`: a person deactivated in Slack mid-programme has their pairs paused, and their partner
and the programme's admins are told, once; a person reactivated is only no longer marked as gone.

Slack sends `user_change` for every edit to anyone's account, so the common case returns after one query."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.flows import departures
from bot.flows.pairing import send_dm
from bot.services import services_of
from prompts import departures as words


async def handle_user_change(event: dict, client: AsyncWebClient, context: dict) -> None:
    user = event.get("user") or {}
    team_id, user_id = context.get("team_id") or user.get("team_id"), user.get("id")
    if not team_id or not user_id:
        return
    services = services_of(context)
    if not user.get("deleted"):
        await departures.person_back(services, team_id=team_id, user_id=user_id)
        return
    for left in await departures.person_left(services, team_id=team_id, user_id=user_id):
        partner_told = words.build_partner_left(left_id=user_id, left_role=left.left_role, programme_name=left.programme_for(left.partner_id))
        await send_dm(client, left.partner_id, partner_told)
        for admin_id in left.admin_ids:
            if admin_id not in (user_id, left.partner_id):
                told = words.build_admins_told(
                    left_id=user_id, left_role=left.left_role, partner_id=left.partner_id, programme_name=left.programme_for(admin_id)
                )
                await send_dm(client, admin_id, told)


def register(app: AsyncApp) -> None:
    app.event("user_change")(handle_user_change)
