"""The booking and logging forms, opened with the pair's defaults: a booking's time is the first that
suits both people (bot/flows/suggestions.py), with the others listed above the fields."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.flows import suggestions
from bot.flows.bookings import load_pair_context
from bot.rules.time_reading import default_start
from bot.services import Services
from prompts import sessions as prompts
from prompts import suggestions as suggestion_prompts


async def booking_form(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, now: datetime, log: bool
) -> dict[str, Any] | None:
    """The booking (or logging) form with the pair's defaults; None when the person has no active pair."""
    async with services.sessions.begin() as session:
        pair = await load_pair_context(session, client, team_id=team_id, user_id=user_id, now=now)
        reading = await suggestions.read(session, pair, now=now) if pair is not None and not log else None
    if pair is None:
        return None
    if log:
        initial = (now - timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        return prompts.build_log_modal(initial=initial, minutes=pair.default_minutes, topics=pair.topics(),
                                       topic_key=pair.default_topic(), metadata=str(pair.pair.id))
    assert reading is not None
    suggested = await suggestions.suggest(services, pair, reading, user_id=user_id, now=now)
    initial = suggested.times[0] if suggested.times else default_start(now, pair.tz(user_id))
    lines = suggestion_prompts.form_lines(suggested.times, tz=suggested.tz, partner_id=suggested.partner_id, partner_tz=suggested.partner_tz)
    return prompts.build_schedule_modal(initial=initial, minutes=pair.default_minutes, topics=pair.topics(),
                                        topic_key=pair.default_topic(), metadata=str(pair.pair.id), notes=lines)
