"""Creating the same nudge twice is a no-op; withdrawing a session's nudges leaves others alone."""

from datetime import timedelta

from sqlalchemy import event
from sqlmodel import col, select, update

from domain.statuses import OutboxStatus
from store import outbox
from store.models import Outbox
from tests.conftest import START


async def _enqueue(session, key, message=None):
    return await outbox.enqueue(
        session,
        team_id="T0FLIPSIDE",
        key=key,
        kind="reminder",
        recipient_id="U0MENTOR",
        message=message or {"text": "hello"},
        due_at=START,
        now=START,
    )


async def test_same_key_is_created_once(db):
    async with db.begin() as session:
        assert await _enqueue(session, "remind-24h:session:1:U0MENTOR") is True
        assert await _enqueue(session, "remind-24h:session:1:U0MENTOR", message={"text": "different"}) is False
    async with db() as session:
        rows = (await session.exec(select(Outbox))).all()
    assert len(rows) == 1
    assert rows[0].payload == '{"text": "hello"}'
    assert rows[0].status == OutboxStatus.PENDING


async def test_withdraw_touches_only_pending_rows_with_the_prefix(db):
    async with db.begin() as session:
        await _enqueue(session, "remind-24h:session:1:U0MENTOR")
        await _enqueue(session, "remind-1h:session:1:U0MENTOR")
        await _enqueue(session, "remind-24h:session:11:U0MENTOR")
        await _enqueue(session, "momentum:pair:1")
    async with db.begin() as session:
        withdrawn = await outbox.withdraw(session, team_id="T0FLIPSIDE", key_prefix="remind-24h:session:1:")
    assert withdrawn == 1
    async with db() as session:
        statuses = {row.key: row.status for row in (await session.exec(select(Outbox))).all()}
    assert statuses == {
        "remind-24h:session:1:U0MENTOR": OutboxStatus.WITHDRAWN,
        "remind-1h:session:1:U0MENTOR": OutboxStatus.PENDING,
        "remind-24h:session:11:U0MENTOR": OutboxStatus.PENDING,
        "momentum:pair:1": OutboxStatus.PENDING,
    }


async def _claimed(db, keys, worker="w1"):
    async with db.begin() as session:
        for key in keys:
            await _enqueue(session, key)
    async with db() as session:
        ids = {row.key: row.id for row in (await session.exec(select(Outbox))).all()}
    async with db.begin() as session:
        await outbox.claim_many(session, outbox_ids=list(ids.values()), now=START, worker=worker, lease_until=START + timedelta(minutes=5))
    return ids


async def _by_key(db):
    async with db() as session:
        return {row.key: row for row in (await session.exec(select(Outbox))).all()}


async def test_finish_many_settles_each_row_as_asked_in_one_statement_and_only_rows_still_claimed(db):
    ids = await _claimed(db, ["sent", "retry", "dead", "expired", "lost"])
    async with db.begin() as session:  # another sweeper took this one over after the lease ran out
        await session.exec(update(Outbox).where(col(Outbox.id) == ids["lost"]).values(claimed_by="w2"))
    later = START + timedelta(minutes=2)
    settlements = [
        outbox.Settlement(ids["sent"], OutboxStatus.SENT, sent_channel="D1", sent_ts="1.1"),
        outbox.Settlement(ids["retry"], OutboxStatus.PENDING, error="ratelimited", due_at=later, count_attempt=True),
        outbox.Settlement(ids["dead"], OutboxStatus.DEAD, error="account_inactive", count_attempt=True),
        outbox.Settlement(ids["expired"], OutboxStatus.WITHDRAWN, error="expired"),
        outbox.Settlement(ids["lost"], OutboxStatus.SENT, sent_channel="D2", sent_ts="2.2"),
    ]
    statements = []
    async with db.begin() as session:
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(session.bind.sync_engine, "before_cursor_execute", listen)
        try:
            settled = await outbox.finish_many(session, worker="w1", now=START, settlements=settlements)
        finally:
            event.remove(session.bind.sync_engine, "before_cursor_execute", listen)
    assert settled == {ids["sent"], ids["retry"], ids["dead"], ids["expired"]}
    assert len(statements) == 1
    rows = await _by_key(db)
    summary = {
        key: (row.status, row.claimed_by, row.lease_until, row.attempts, row.last_error, row.due_at, row.sent_at, row.sent_channel, row.sent_ts)
        for key, row in rows.items()
    }
    assert summary == {
        "sent": (OutboxStatus.SENT, "w1", None, 0, "", START, START, "D1", "1.1"),
        "retry": (OutboxStatus.PENDING, None, None, 1, "ratelimited", later, None, None, None),
        "dead": (OutboxStatus.DEAD, "w1", None, 1, "account_inactive", START, None, None, None),
        "expired": (OutboxStatus.WITHDRAWN, "w1", None, 0, "expired", START, None, None, None),
        "lost": (OutboxStatus.CLAIMED, "w2", START + timedelta(minutes=5), 0, "", START, None, None, None),
    }


async def test_finish_many_settles_a_row_named_twice_once(db):
    ids = await _claimed(db, ["k"])
    settlements = [outbox.Settlement(ids["k"], OutboxStatus.SENT, sent_ts="1.1"), outbox.Settlement(ids["k"], OutboxStatus.DEAD, error="x")]
    async with db.begin() as session:
        assert await outbox.finish_many(session, worker="w1", now=START, settlements=settlements) == {ids["k"]}
    row = (await _by_key(db))["k"]
    assert (row.status, row.sent_ts, row.last_error) == (OutboxStatus.SENT, "1.1", "")


async def test_finish_keeps_settling_one_row_only_for_its_claimant(db):
    ids = await _claimed(db, ["k"])
    async with db.begin() as session:
        assert await outbox.finish(session, outbox_id=ids["k"], worker="w2", status=OutboxStatus.SENT, now=START) is False
        assert await outbox.finish(session, outbox_id=ids["k"], worker="w1", status=OutboxStatus.SENT, now=START, sent_ts="1.1") is True
    assert (await _by_key(db))["k"].status == OutboxStatus.SENT
