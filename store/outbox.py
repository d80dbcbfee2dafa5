"""The outbox: every nudge the bot will send, created once per unique key.

Creating a row is "insert, or do nothing if the key exists", so the sweep may find the same due
work any number of times (or on several replicas) and the message is still created once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, case, literal, type_coerce
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import and_, col, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.statuses import OutboxStatus
from store.crypto import KeyRingError, decrypt_stored
from store.insert import insert_once
from store.models import Outbox

logger = logging.getLogger(__name__)


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


# --- delivery -------------------------------------------------------------------------------------
# A row moves pending -> claimed (with a lease) -> sent, dead, or back to pending (retry, deferral).
# A claim whose lease ran out (the sweeper crashed mid-delivery) is taken again by the next sweep.
# A row whose payload no key of ours decrypts goes claimed -> dead inside the claim (UNDECRYPTABLE).


# A row is in doubt when an earlier attempt may have posted it without recording it: last_error starts
# with IN_DOUBT, and the delivery checks the recipient's conversation before posting it again. A claim
# that ran out unsettled is such an attempt (the claimant died after posting, or lost its database
# before recording it): taking it over marks the row so.
IN_DOUBT = "in doubt: "
CLAIM_EXPIRED = IN_DOUBT + "claim expired unsettled"


def in_doubt(row: Outbox) -> bool:
    """Whether an earlier attempt at this row may have posted it without recording it."""
    return row.last_error.startswith(IN_DOUBT)


def _claim_values(worker: str, lease_until: datetime) -> dict[str, Any]:
    """What a claim writes; every SET reads the row as it was, so a row still claimed (its lease ran out)
    is marked in doubt."""
    return {
        "status": OutboxStatus.CLAIMED,
        "claimed_by": worker,
        "lease_until": lease_until,
        "last_error": case((col(Outbox.status) == OutboxStatus.CLAIMED, literal(CLAIM_EXPIRED)), else_=col(Outbox.last_error)),
    }


def _claimable(now: datetime):  # noqa: ANN202 - a SQL expression
    return or_(
        and_(col(Outbox.status) == OutboxStatus.PENDING, col(Outbox.due_at) <= now),
        and_(col(Outbox.status) == OutboxStatus.CLAIMED, col(Outbox.lease_until) < now),
    )


async def due_ids(session: AsyncSession, *, now: datetime, limit: int, keys: Sequence[str] | None = None) -> list[int]:
    """Ids of rows ready to claim, most important first, then oldest due."""
    query = select(Outbox.id).where(_claimable(now))
    if keys is not None:
        query = query.where(col(Outbox.key).in_(list(keys)))
    query = query.order_by(col(Outbox.priority).desc(), col(Outbox.due_at), col(Outbox.id)).limit(limit)
    return [row for row in (await session.exec(query)).all() if row is not None]


async def claim_locked(
    session: AsyncSession, *, now: datetime, worker: str, lease_until: datetime, limit: int, keys: Sequence[str] | None = None
) -> list[Outbox]:
    """PostgreSQL: lock due rows with FOR UPDATE SKIP LOCKED (a second sweeper skips them) and claim
    them all with one UPDATE."""
    query = select(Outbox.id).where(_claimable(now))
    if keys is not None:
        query = query.where(col(Outbox.key).in_(list(keys)))
    query = (
        query.order_by(col(Outbox.priority).desc(), col(Outbox.due_at), col(Outbox.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = [row_id for row_id in (await session.exec(query)).all() if row_id is not None]
    if not ids:
        return []
    await session.exec(
        update(Outbox).where(col(Outbox.id).in_(ids)).values(**_claim_values(worker, lease_until))
    )
    return await _rows_in_order(session, ids, worker=worker)


async def claim_many(session: AsyncSession, *, outbox_ids: Sequence[int], now: datetime, worker: str, lease_until: datetime) -> list[Outbox]:
    """SQLite (no FOR UPDATE): one conditional UPDATE over the candidates, inside the caller's write
    transaction; a row another sweeper took in between is no longer claimable and is left out. The
    claimed rows come back in the candidates' order."""
    if not outbox_ids:
        return []
    result = await session.exec(
        update(Outbox)
        .where(col(Outbox.id).in_(list(outbox_ids)), _claimable(now))
        .values(**_claim_values(worker, lease_until))
        .returning(Outbox.id)
        .execution_options(synchronize_session=False)  # the rows are read afresh just below
    )
    claimed = set(result.scalars().all())
    return await _rows_in_order(session, [row_id for row_id in outbox_ids if row_id in claimed], worker=worker)


UNDECRYPTABLE = "undecryptable: written under an unknown key"


async def _rows_in_order(session: AsyncSession, ids: list[int], *, worker: str) -> list[Outbox]:
    """The claimed rows, payloads decrypted one by one: a row no key of ours opens (written under
    another key, or corrupt) is settled dead here, in the claim's transaction, and left out, so it
    can neither roll the claim back nor hold up the rest of the batch on any replica."""
    if not ids:
        return []
    # The payload comes as its stored token (plain Text), so the column type does not decrypt them all at once.
    query = (
        select(Outbox, type_coerce(col(Outbox.payload), Text))
        .where(col(Outbox.id).in_(ids))
        .options(defer(col(Outbox.payload)))
        .execution_options(populate_existing=True)
    )
    dialect = session.sync_session.get_bind().dialect
    by_id: dict[int | None, Outbox] = {}
    unreadable: set[int] = set()
    for row, token in (await session.exec(query)).all():
        by_id[row.id] = row
        try:
            set_committed_value(row, "payload", decrypt_stored(dialect, token))
        except KeyRingError:
            unreadable.add(row.id)
    if unreadable:
        await session.exec(
            update(Outbox)
            .where(col(Outbox.id).in_(sorted(unreadable)), col(Outbox.status) == OutboxStatus.CLAIMED, col(Outbox.claimed_by) == worker)
            .values(status=OutboxStatus.DEAD, lease_until=None, last_error=UNDECRYPTABLE, attempts=col(Outbox.attempts) + 1)
            .execution_options(synchronize_session=False)
        )
        logger.warning("outbox rows dead, %s: %s", UNDECRYPTABLE, sorted(unreadable))
    return [by_id[row_id] for row_id in ids if row_id not in unreadable]


async def claim_one(session: AsyncSession, *, outbox_id: int, now: datetime, worker: str, lease_until: datetime) -> Outbox | None:
    """SQLite (no FOR UPDATE): a conditional UPDATE that must touch exactly one row; None when
    another sweeper got there first."""
    result = await session.exec(
        update(Outbox)
        .where(col(Outbox.id) == outbox_id, _claimable(now))
        .values(**_claim_values(worker, lease_until))
    )
    if result.rowcount != 1:
        return None
    row = (await session.exec(select(Outbox).where(Outbox.id == outbox_id).execution_options(populate_existing=True))).one()
    return row


@dataclass(frozen=True)
class Settlement:
    """How one claimed row is settled: its new status, and what else that status records."""

    outbox_id: int
    status: OutboxStatus
    error: str = ""
    due_at: datetime | None = None
    count_attempt: bool = False
    sent_channel: str | None = None
    sent_ts: str | None = None


async def finish(
    session: AsyncSession,
    *,
    outbox_id: int,
    worker: str,
    status: OutboxStatus,
    now: datetime,
    error: str = "",
    due_at: datetime | None = None,
    count_attempt: bool = False,
    sent_channel: str | None = None,
    sent_ts: str | None = None,
) -> bool:
    """Settle a claimed row (sent, dead, withdrawn, or pending again with a new due time), only if
    this worker still holds its claim. A sent row keeps where its message landed, to update it later."""
    settlement = Settlement(outbox_id, status, error, due_at, count_attempt, sent_channel, sent_ts)
    return outbox_id in await finish_many(session, worker=worker, now=now, settlements=[settlement])


# Rows per settling UPDATE: each brings about a dozen parameters, and SQLite and asyncpg take at most 32,766.
SETTLE_AT_ONCE = 500


def _per_row(column: Any, values: dict[int, Any], ids: int) -> Any:
    """`column`'s new value for each row by id as one SQL expression (CASE on the id); rows not named
    keep theirs. One plain value for all `ids` rows is just that value."""
    if len(values) == ids and not any(isinstance(value, ColumnElement) for value in values.values()) and len(set(values.values())) == 1:
        return literal(next(iter(values.values())), column.type)
    whens = {row_id: value if isinstance(value, ColumnElement) else literal(value, column.type) for row_id, value in values.items()}
    return case(whens, value=col(Outbox.id), else_=column)


async def finish_many(session: AsyncSession, *, worker: str, now: datetime, settlements: Sequence[Settlement]) -> set[int]:
    """`finish` for many rows in one UPDATE: each row's values chosen by its id through CASE, and
    each row still settled only if this worker holds its claim. Returns the ids settled."""
    settled: set[int] = set()
    remaining = list(settlements)
    while remaining:  # a row named twice is settled by a second statement, as two `finish` calls would
        batch: dict[int, Settlement] = {}
        again: list[Settlement] = []
        for item in remaining:
            if item.outbox_id in batch or len(batch) >= SETTLE_AT_ONCE:
                again.append(item)
            else:
                batch[item.outbox_id] = item
        settled |= await _finish_distinct(session, worker=worker, now=now, batch=batch)
        remaining = again
    return settled


async def _finish_distinct(session: AsyncSession, *, worker: str, now: datetime, batch: dict[int, Settlement]) -> set[int]:
    if not batch:
        return set()
    table = Outbox.__table__.c
    status: dict[int, Any] = {}
    claimed_by: dict[int, Any] = {}
    sent: dict[str, dict[int, Any]] = {"sent_at": {}, "sent_channel": {}, "sent_ts": {}}
    errors: dict[int, Any] = {}
    due: dict[int, Any] = {}
    attempts: dict[int, Any] = {}
    for row_id, item in batch.items():
        status[row_id] = str(item.status)
        claimed_by[row_id] = None if item.status == OutboxStatus.PENDING else worker
        if item.status == OutboxStatus.SENT:
            sent["sent_at"][row_id] = now
            sent["sent_channel"][row_id] = item.sent_channel
            sent["sent_ts"][row_id] = item.sent_ts
        if item.error:
            errors[row_id] = item.error[:500]
        if item.due_at is not None:
            due[row_id] = item.due_at
        if item.count_attempt:
            attempts[row_id] = table.attempts + 1
    count = len(batch)
    values: dict[str, Any] = {
        "status": _per_row(table.status, status, count), "lease_until": None, "claimed_by": _per_row(table.claimed_by, claimed_by, count),
    }
    for name, chosen in (*sent.items(), ("last_error", errors), ("due_at", due), ("attempts", attempts)):
        if chosen:
            values[name] = _per_row(table[name], chosen, count)
    result = await session.exec(
        update(Outbox)
        .where(col(Outbox.id).in_(list(batch)), col(Outbox.status) == OutboxStatus.CLAIMED, col(Outbox.claimed_by) == worker)
        .values(**values)
        .returning(Outbox.id)
        # The delivery settles in a session of its own that holds no Outbox objects: nothing to
        # synchronise, and evaluating the WHERE against the identity map cost more than the UPDATE.
        .execution_options(synchronize_session=False)
    )
    return set(result.scalars().all())


async def sent_since(
    session: AsyncSession, *, team_id: str, recipient_id: str, excluding_kinds: Sequence[str], since: datetime
) -> list[datetime]:
    """When this person's messages (other than these kinds) were sent after `since`: the weekly cap."""
    result = await session.exec(
        select(Outbox.sent_at).where(
            Outbox.team_id == team_id,
            Outbox.recipient_id == recipient_id,
            Outbox.status == OutboxStatus.SENT,
            col(Outbox.kind).not_in(list(excluding_kinds)),
            col(Outbox.sent_at) > since,
        )
    )
    return [sent for sent in result.all() if sent is not None]


async def sent_since_to(
    session: AsyncSession, *, team_id: str, recipient_ids: Sequence[str], excluding_kinds: Sequence[str], since: datetime
) -> dict[str, list[datetime]]:
    """`sent_since` for many people of one workspace in one query (a delivery batch's weekly caps)."""
    recent: dict[str, list[datetime]] = {recipient: [] for recipient in recipient_ids}
    if not recipient_ids:
        return recent
    result = await session.exec(
        select(Outbox.recipient_id, Outbox.sent_at).where(
            Outbox.team_id == team_id,
            col(Outbox.recipient_id).in_(list(recipient_ids)),
            Outbox.status == OutboxStatus.SENT,
            col(Outbox.kind).not_in(list(excluding_kinds)),
            col(Outbox.sent_at) > since,
        )
    )
    for recipient, sent in result.all():
        if sent is not None:
            recent[recipient].append(sent)
    return recent


async def sent_messages(session: AsyncSession, *, team_id: str, recipient_id: str, kind: str, key_prefix: str) -> list[Outbox]:
    """This person's sent messages of a kind whose key starts with the prefix, with where each landed."""
    result = await session.exec(
        select(Outbox)
        .where(
            Outbox.team_id == team_id,
            Outbox.recipient_id == recipient_id,
            Outbox.kind == kind,
            Outbox.status == OutboxStatus.SENT,
            col(Outbox.sent_ts).is_not(None),
            col(Outbox.key).startswith(key_prefix, autoescape=True),
        )
        .order_by(col(Outbox.id))
    )
    return list(result.all())


async def pending_with_prefix(session: AsyncSession, *, key_prefix: str) -> list[tuple[int, str]]:
    """(id, key) of pending rows whose key starts with the prefix, across workspaces (the sweep's view)."""
    result = await session.exec(
        select(Outbox.id, Outbox.key).where(
            col(Outbox.status) == OutboxStatus.PENDING, col(Outbox.key).startswith(key_prefix, autoescape=True)
        )
    )
    return [(row_id, key) for row_id, key in result.all() if row_id is not None]


async def withdraw_ids(session: AsyncSession, *, ids: Sequence[int], reason: str) -> int:
    if not ids:
        return 0
    result = await session.exec(
        update(Outbox)
        .where(col(Outbox.id).in_(list(ids)), col(Outbox.status) == OutboxStatus.PENDING)
        .values(status=OutboxStatus.WITHDRAWN, last_error=reason)
    )
    return result.rowcount


async def existing_keys(session: AsyncSession, *, keys: Sequence[str]) -> set[str]:
    if not keys:
        return set()
    result = await session.exec(select(Outbox.key).where(col(Outbox.key).in_(list(keys))))
    return set(result.all())
