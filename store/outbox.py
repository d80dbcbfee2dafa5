"""The outbox: every nudge the bot will send, created once per unique key.

Creating a row is "insert, or do nothing if the key exists", so the sweep may find the same due
work any number of times (or on several replicas) and the message is still created once.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import col, update
from sqlmodel.ext.asyncio.session import AsyncSession

from store.insert import insert_once
from store.models import Outbox, OutboxStatus


async def enqueue(
    session: AsyncSession,
    *,
    team_id: str,
    key: str,
    kind: str,
    recipient_id: str,
    message: dict[str, Any],
    due_at: datetime,
    now: datetime,
    expires_at: datetime | None = None,
    priority: int = 0,
) -> bool:
    """Add a message to deliver; False when one with this key already exists (nothing changes)."""
    return await insert_once(
        session,
        Outbox,
        unique="key",
        values={
            "team_id": team_id,
            "key": key,
            "kind": kind,
            "recipient_id": recipient_id,
            "payload": json.dumps(message),
            "due_at": due_at,
            "expires_at": expires_at,
            "priority": priority,
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "last_error": "",
            "created_at": now,
        },
    )


async def withdraw(session: AsyncSession, *, team_id: str, key_prefix: str) -> int:
    """Withdraw pending messages whose key starts with `key_prefix` (e.g. a moved session's reminders)."""
    result = await session.exec(
        update(Outbox)
        .where(
            col(Outbox.team_id) == team_id,
            col(Outbox.status) == OutboxStatus.PENDING,
            col(Outbox.key).startswith(key_prefix, autoescape=True),
        )
        .values(status=OutboxStatus.WITHDRAWN)
    )
    return result.rowcount
