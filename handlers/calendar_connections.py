"""`/mentor calendar` (status and Connect buttons) and `/mentor calendar disconnect`. Thin: parse, call
the flow (bot.flows.calendar_connections), answer with prompts. The Connect buttons are URL buttons;
Slack still sends their clicks, which are acknowledged and nothing more."""

from __future__ import annotations

import re

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import arguments, subcommand
from bot.flows.calendar_connections import calendar_status, calendars_enabled, disconnect
from bot.services import services_of
from prompts import calendar_connections as words


async def handle_calendar_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()  # first: the login hint may mean asking Slack (users.info)
    services = services_of(context)
    given = arguments(command.get("text"), "calendar").strip().lower()
    team_id, user_id = command["team_id"], command["user_id"]
    if given in ("disconnect", "disconnect calendar", "off"):
        if not calendars_enabled(services):
            await respond(**words.build_calendars_off())
            return
        await respond(**words.build_disconnected(await disconnect(services, team_id=team_id, user_id=user_id)))
        return
    if given:
        await respond(**words.build_calendar_unknown_usage())
        return
    status = await calendar_status(services, client, team_id=team_id, user_id=user_id, now=services.clock.now())
    if not status.enabled:
        await respond(**words.build_calendars_off())
        return
    await respond(**words.build_calendar_status(connected=status.connected, revoked=status.revoked, links=status.links))


async def handle_connect_click(ack: AsyncAck) -> None:
    await ack()  # the browser opens the provider's page; there is nothing to do here


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("calendar")])(handle_calendar_command)
    app.action(re.compile(f"^{words.CONNECT_ACTION_PREFIX}"))(handle_connect_click)
