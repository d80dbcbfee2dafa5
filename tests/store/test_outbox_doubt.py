"""Taking over a claim that ran out unsettled marks the row in doubt; a first claim does not."""

from datetime import timedelta

import pytest
from sqlmodel import select

from domain.statuses import OutboxStatus
from store import outbox
from store.models import Outbox
from tests.conftest import START

LEASE = timedelta(minutes=5)


async def _claim(db, claim: str, *, worker: str, now) -> list[Outbox]:
    async with db.begin() as session:
        if claim == "locked":
            return await outbox.claim_locked(session, now=now, worker=worker, lease_until=now + LEASE, limit=10)
        ids = await outbox.due_ids(session, now=now, limit=10)
        return await outbox.claim_many(session, outbox_ids=ids, now=now, worker=worker, lease_until=now + LEASE)


@pytest.mark.parametrize("claim", ["locked", "many"])
async def test_only_a_claim_taken_over_after_its_lease_ran_out_is_in_doubt(db, claim):
    async with db.begin() as session:
        for key in ("fresh", "abandoned"):
            await outbox.enqueue(session, team_id="T0FLIPSIDE", key=key, kind="reminder", recipient_id="U0MENTOR",
                                 message={"text": key}, due_at=START, now=START)
        abandoned = (await session.exec(select(Outbox).where(Outbox.key == "abandoned"))).one()
        assert abandoned.id is not None
        await outbox.claim_one(session, outbox_id=abandoned.id, now=START, worker="crashed", lease_until=START + LEASE)
    first = await _claim(db, claim, worker="w1", now=START)
    assert [(row.key, outbox.in_doubt(row)) for row in first] == [("fresh", False)]  # "abandoned" is still leased
    async with db.begin() as session:
        assert first[0].id is not None
        assert await outbox.finish(session, outbox_id=first[0].id, worker="w1", status=OutboxStatus.SENT, now=START)

    taken = await _claim(db, claim, worker="w2", now=START + LEASE + timedelta(seconds=1))
    assert [(row.key, row.claimed_by, row.last_error) for row in taken] == [("abandoned", "w2", outbox.CLAIM_EXPIRED)]
    assert outbox.in_doubt(taken[0])
