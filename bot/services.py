"""What every handler and job needs, built once at start and handed around (never a global)."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.config import Settings


@dataclass(frozen=True)
class Services:
    settings: Settings
    clock: Clock
    sessions: async_sessionmaker[AsyncSession]
    # One HTTP connection pool for every Web API client (keep-alive), closed with the runtime; None: a
    # new connection per call (slack_sdk's default).
    http: aiohttp.ClientSession | None = None
