"""The way back from Google or Microsoft after someone allowed (or refused) the connection: served at
/calendar/oauth/callback on the bot's HTTP server. The flow does the work; this answers the browser
with a small page and sends the DM that says the calendar is connected. Nothing in the query is logged."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.clients import ClientProvider
from bot.flows.calendar_connections import complete_connection
from bot.services import Services
from bot.sweep.delivery import deliver_due
from prompts.calendar_connections import callback_page

logger = logging.getLogger(__name__)


async def calendar_callback(services: Services, clients: ClientProvider, request: web.Request) -> web.Response:
    query = request.query
    now = services.clock.now()
    result = await complete_connection(services, state=query.get("state", ""), code=query.get("code", ""), error=query.get("error", ""), now=now)
    if result.deliver_now:
        try:
            await deliver_due(services, clients, now, keys=result.deliver_now)
        except Exception:  # the connection is saved; the sweep sends the notice
            logger.exception("calendar: the connected notice will go with the next sweep")
    status = 200 if result.outcome in ("connected", "denied") else 400
    return web.Response(text=callback_page(result.outcome, result.provider), content_type="text/html", status=status)
