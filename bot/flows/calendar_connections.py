"""Connecting a calendar: `/mentor calendar`'s status and Connect links, the way back from the provider
(the code exchanged, the tokens stored encrypted, the person told in the DM), and disconnecting.

The OAuth `state` is the person and provider, encrypted and stamped with the time by the workspace's
Fernet keys (FLIPSIDE_ENCRYPTION_KEY): nobody can forge one for someone else, and it expires after
STATE_SECONDS. The provider's answer is read outside any transaction; the row is written in one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime

from cryptography.fernet import InvalidToken
from slack_sdk.web.async_client import AsyncWebClient

from bot.calendars.provider import CalendarError, CalendarProvider, Tokens
from bot.calendars.registry import providers_of
from bot.services import Services
from domain.calendars import ConnectionStatus
from domain.nudges import Kind
from prompts import calendar_connections as words
from store import calendars, outbox
from store.crypto import parse_keys

logger = logging.getLogger(__name__)

STATE_SECONDS = 600


@dataclass(frozen=True)
class CalendarStatus:
    enabled: bool
    connected: str | None = None  # the provider of the person's connection
    revoked: bool = False
    links: dict[str, str] = field(default_factory=dict)  # provider -> its authorize URL, with a fresh state


@dataclass(frozen=True)
class Callback:
    """How the way back went: connected, denied, expired (a bad or stale state) or failed; what to deliver."""

    outcome: str
    provider: str = ""
    deliver_now: list[str] = field(default_factory=list)


def providers(services: Services) -> dict[str, CalendarProvider]:
    if services.settings.encryption_key is None:
        return {}
    return providers_of(services.settings.calendars, services.http)


def calendars_enabled(services: Services) -> bool:
    return bool(providers(services)) and services.settings.calendars is not None


def sign_state(services: Services, *, team_id: str, user_id: str, provider: str, now: datetime) -> str:
    keys = parse_keys(services.settings.encryption_key or "")
    return keys.encrypt_at_time(json.dumps([team_id, user_id, provider]).encode(), int(now.timestamp())).decode()


def read_state(services: Services, state: str, *, now: datetime) -> tuple[str, str, str] | None:
    """The team, person and provider a state names, or None when it is forged, garbled or expired."""
    keys = parse_keys(services.settings.encryption_key or "")
    try:
        team_id, user_id, provider = json.loads(keys.decrypt_at_time(state.encode(), STATE_SECONDS, int(now.timestamp())))
    except (InvalidToken, ValueError, TypeError):
        return None
    return str(team_id), str(user_id), str(provider)


async def calendar_status(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, now: datetime) -> CalendarStatus:
    found = providers(services)
    if not calendars_enabled(services) or services.settings.calendars is None:
        return CalendarStatus(enabled=False)
    async with services.sessions() as session:
        row = await calendars.get_connection(session, team_id=team_id, user_id=user_id)
    try:
        user = await services.users.fetch(client, user_id, now=now)
        hint = user.email if user is not None else ""
    except Exception:  # the hint only saves typing an address on the provider's page
        logger.info("calendar: no login hint for %s (users.info failed)", user_id)
        hint = ""
    redirect_uri = services.settings.calendars.redirect_uri
    links = {
        name: provider.authorize_url(state=sign_state(services, team_id=team_id, user_id=user_id, provider=name, now=now),
                                     redirect_uri=redirect_uri, login_hint=hint)
        for name, provider in found.items()
    }
    return CalendarStatus(enabled=True, connected=row.provider if row is not None else None,
                          revoked=row is not None and row.status == ConnectionStatus.REVOKED, links=links)


async def complete_connection(services: Services, *, state: str, code: str, error: str, now: datetime) -> Callback:
    """The provider sent the browser back: exchange the code and store the connection, or say why not."""
    named = read_state(services, state, now=now)
    found = providers(services)
    if named is None or named[2] not in found or services.settings.calendars is None:
        return Callback("expired")
    team_id, user_id, name = named
    if error or not code:
        return Callback("denied", name)
    provider = found[name]
    try:
        tokens = await provider.exchange_code(code=code, redirect_uri=services.settings.calendars.redirect_uri, now=now)
        account = await provider.account(access_token=tokens.access_token)
    except CalendarError as failure:
        logger.warning("calendar: connecting %s for %s failed: %s", name, user_id, failure.code)
        return Callback("expired" if failure.code.endswith("invalid_grant") else "failed", name)
    async with services.sessions.begin() as session:
        row = await calendars.save_connection(
            session, team_id=team_id, user_id=user_id, provider=name, account=account, access_token=tokens.access_token,
            refresh_token=tokens.refresh_token, expires_at=tokens.expires_at, now=now,
        )
        key = f"calendar:connected:{user_id}:{row.id}:{int(now.timestamp())}"
        await outbox.enqueue(session, team_id=team_id, key=key, kind=Kind.CALENDAR_NOTICE, recipient_id=user_id,
                             message=words.build_connected_notice(name), due_at=now, now=now)
    logger.info("calendar: %s connected for %s", name, user_id)
    return Callback("connected", name, [key])


async def held_tokens(services: Services, *, team_id: str, user_id: str) -> tuple[str, Tokens] | None:
    """The provider and tokens of a person's connection, read before it is deleted, to revoke them after."""
    async with services.sessions() as session:
        row = await calendars.get_connection(session, team_id=team_id, user_id=user_id)
    return None if row is None else (row.provider, Tokens(row.access_token, row.refresh_token, row.expires_at))


async def revoke_quietly(services: Services, held: tuple[str, Tokens] | None, *, user_id: str) -> None:
    """Ask the provider to revoke what we held; forgotten here either way (the person can also remove the app there)."""
    if held is None:
        return
    provider = providers(services).get(held[0])
    if provider is None:
        return
    try:
        await provider.revoke(tokens=held[1])
    except CalendarError as failure:
        logger.warning("calendar: revoking %s for %s failed: %s", held[0], user_id, failure.code)


async def disconnect(services: Services, *, team_id: str, user_id: str) -> str | None:
    """Delete the connection, then ask the provider to revoke its tokens; the provider it was, or None."""
    held = await held_tokens(services, team_id=team_id, user_id=user_id)
    async with services.sessions.begin() as session:
        if not await calendars.delete_connection(session, team_id=team_id, user_id=user_id):
            return None
    await revoke_quietly(services, held, user_id=user_id)
    logger.info("calendar: %s disconnected for %s", held[0] if held else "?", user_id)
    return held[0] if held is not None else None
