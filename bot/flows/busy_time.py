"""When people are busy, from their connected calendars: for suggested session times to avoid.

`busy_blocks` never raises: a person with no calendar connected, or whose provider fails (down, a
revoked token, too slow), adds nothing, logged with ids and the provider's short code only. Calendars
are asked at once, each within BUSY_SECONDS, so one slow provider cannot hold up the suggestions.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import datetime

from bot.calendars.provider import CalendarError
from bot.flows.calendar_access import CalendarAccess
from bot.flows.calendar_connections import providers
from bot.services import Services
from domain.busy import BusyBlock
from store import calendars, people
from store.calendar_models import CalendarConnection

logger = logging.getLogger(__name__)

BUSY_SECONDS = 10.0


async def busy_blocks(services: Services, *, team_id: str, user_ids: Iterable[str], start: datetime, end: datetime) -> list[BusyBlock]:
    """Everyone's busy time in [start, end), from connected calendars only, in order of start."""
    wanted = sorted(set(user_ids))
    try:
        found = providers(services)
        if not found or not wanted:
            return []
        async with services.sessions() as session:
            connections = await calendars.connections_of(session, team_id=team_id, user_ids=wanted)
            zones = {user_id: person.tz for user_id, person in (await people.get_people(session, team_id=team_id, user_ids=wanted)).items()}
    except Exception:  # suggestions go on without calendars
        logger.exception("busy time: could not read the connections of %s people in %s", len(wanted), team_id)
        return []
    now = services.clock.now()
    answers = await asyncio.gather(*(
        _busy_of(services, found, connection, zones.get(connection.user_id) or "UTC", start, end, now) for connection in connections
    ))
    return sorted((block for blocks in answers for block in blocks), key=lambda block: (block.start, block.end))


async def _busy_of(
    services: Services, found: dict, connection: CalendarConnection, tz: str, start: datetime, end: datetime, now: datetime
) -> list[BusyBlock]:
    provider = found.get(connection.provider)
    if provider is None:
        return []
    access = CalendarAccess(services, provider, connection, now)
    try:
        async with asyncio.timeout(BUSY_SECONDS):
            blocks = await access.call(lambda token: provider.busy(access_token=token, account=connection.account, start=start, end=end, tz=tz))
    except CalendarError as error:
        logger.warning("busy time: %s calendar of %s gave nothing: %s", connection.provider, connection.user_id, error.code)
        return []
    except TimeoutError:
        logger.warning("busy time: %s calendar of %s gave nothing: no answer in %ss", connection.provider, connection.user_id, BUSY_SECONDS)
        return []
    except Exception:  # never raise to the suggestions: log the kind of failure, with ids only
        logger.exception("busy time: %s calendar of %s failed", connection.provider, connection.user_id)
        return []
    return [BusyBlock(max(block.start, start), min(block.end, end)) for block in blocks if block.start < end and start < block.end]
