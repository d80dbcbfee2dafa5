"""What every handler and job needs, built once at start and handed around (never a global)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.background import Background
from bot.clock import Clock
from bot.config import Settings
from bot.directory import SlackUsers
from bot.http import SharedHttp


@dataclass(frozen=True)
class Services:
    settings: Settings
    clock: Clock
    sessions: async_sessionmaker[AsyncSession]
    http: SharedHttp = field(default_factory=SharedHttp)  # connections to Slack, shared by every call
    users: SlackUsers = field(default_factory=SlackUsers)  # users.info, kept minutes, for what Home shows
    background: Background = field(default_factory=Background)  # work after an answer: republishing Homes


def services_of(context: Mapping[str, Any]) -> Services:
    return context["services"]
