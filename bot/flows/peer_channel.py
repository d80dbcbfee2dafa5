"""An admin names the channel for the cohort's monthly peer-support post: it must be one Slack says
exists and the bot can post in (conversations.info), and the admin hears which channel it replaces."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from slack_sdk.web.async_client import AsyncWebClient

from bot.flows.permissions import admin_door
from bot.services import Services
from bot.slack_errors import SLACK_FAILURES, error_code
from store import programme_close, programmes

logger = logging.getLogger(__name__)


class PeerChoice(StrEnum):
    NO_PROGRAMME = "no_programme"
    NOT_ADMIN = "not_admin"
    SET = "set"
    OFF = "off"
    NOT_FOUND = "not_found"  # no such channel, or a private one the bot is not in: nothing changed
    ARCHIVED = "archived"  # nothing changed
    NOT_CHECKED = "not_checked"  # Slack did not answer: nothing changed, try again


@dataclass(frozen=True)
class PeerChannelChosen:
    choice: PeerChoice
    replaced: str | None = None  # the channel the monthly post went to before, when another


async def _check(client: AsyncWebClient, channel_id: str) -> PeerChoice | None:
    """Why the bot cannot post in this channel, or None when it can (or Slack will not say: an install
    from before the app asked for channels:read; a post that dies later is reported to the admins)."""
    try:
        answer = await client.conversations_info(channel=channel_id)
    except SLACK_FAILURES as error:
        code = error_code(error)
        if code == "channel_not_found":
            return PeerChoice.NOT_FOUND
        if code == "missing_scope":
            return None
        logger.warning("conversations.info failed for a peer channel: %s", code)
        return PeerChoice.NOT_CHECKED
    return PeerChoice.ARCHIVED if (answer.get("channel") or {}).get("is_archived") else None


async def choose_peer_channel(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, channel_id: str | None
) -> PeerChannelChosen:
    """Send the monthly post to `channel_id` (None: stop it), for an admin of the current programme."""
    async with services.sessions.begin() as session:
        if not await programmes.running(session, team_id=team_id):
            return PeerChannelChosen(PeerChoice.NO_PROGRAMME)
        programme = (await admin_door(session, client, team_id=team_id, user_id=user_id)).programme
        if programme is None:
            return PeerChannelChosen(PeerChoice.NOT_ADMIN)
        before = programme.peer_channel_id
        refused = await _check(client, channel_id) if channel_id is not None else None
        if refused is not None:
            return PeerChannelChosen(refused)
        await programme_close.set_peer_channel(session, programme=programme, channel_id=channel_id)
    replaced = before if before and before != channel_id else None
    return PeerChannelChosen(PeerChoice.OFF if channel_id is None else PeerChoice.SET, replaced=replaced)
