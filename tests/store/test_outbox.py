"""Creating the same nudge twice is a no-op; withdrawing a session's nudges leaves others alone."""

from sqlmodel import select

from store import outbox
from store.models import Outbox, OutboxStatus
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
