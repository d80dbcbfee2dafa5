"""Calling a connected calendar with a live access token: refreshed shortly before it expires, and once
more when the provider answers 401, the new tokens stored (encrypted) at once. Shared by the sweep's
event delivery and the busy-time reader, so both treat tokens alike."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

from bot.calendars.provider import CalendarProvider, TokenInvalid
from bot.services import Services
from store import calendars
from store.calendar_models import CalendarConnection

REFRESH_BEFORE = timedelta(minutes=2)
T = TypeVar("T")


class CalendarAccess:
    def __init__(self, services: Services, provider: CalendarProvider, connection: CalendarConnection, now: datetime) -> None:
        self.services, self.provider, self.connection, self.now = services, provider, connection, now
        self.access = connection.access_token

    async def refresh(self) -> None:
        """A new access token (GrantRevoked when the provider refuses the refresh token)."""
        tokens = await self.provider.refresh(refresh_token=self.connection.refresh_token, now=self.now)
        assert self.connection.id is not None
        async with self.services.sessions.begin() as session:
            await calendars.save_tokens(session, connection_id=self.connection.id, access_token=tokens.access_token,
                                        refresh_token=tokens.refresh_token, expires_at=tokens.expires_at, now=self.now)
        self.access = tokens.access_token
        if tokens.refresh_token:  # Microsoft rotates it: the old one is dead from now on
            self.connection.refresh_token = tokens.refresh_token

    async def call(self, operation: Callable[[str], Awaitable[T]]) -> T:
        if self.connection.expires_at <= self.now + REFRESH_BEFORE:
            await self.refresh()
        try:
            return await operation(self.access)
        except TokenInvalid:
            await self.refresh()  # expired early, or withdrawn: once more with a new token
            return await operation(self.access)
