"""Event deliveries: claimed before the work, recorded as handled only after it, so a retry after a
crash is handled once and a retry after success not at all."""

from datetime import UTC, datetime, timedelta

from store import events

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def _claim(db, event_id: str, now: datetime = NOW) -> bool:
    async with db.begin() as session:
        return await events.claim_event(session, team_id="T1", event_id=event_id, now=now)


async def test_a_delivery_in_hand_holds_the_event_and_a_finished_one_keeps_it(db):
    assert await _claim(db, "Ev1")
    assert not await _claim(db, "Ev1", NOW + timedelta(seconds=5))  # in hand: Slack's quick retry is dropped
    async with db.begin() as session:
        await events.finish_event(session, team_id="T1", event_id="Ev1", claimed_at=NOW)
    assert not await _claim(db, "Ev1", NOW + timedelta(hours=1))


async def test_a_failed_delivery_gives_the_event_back(db):
    assert await _claim(db, "Ev2")
    async with db.begin() as session:
        await events.release_event(session, event_id="Ev2", claimed_at=NOW)
    assert await _claim(db, "Ev2", NOW + timedelta(seconds=1))


async def test_a_claim_abandoned_past_the_lease_is_taken_over_once(db):
    assert await _claim(db, "Ev3")  # and the process died
    later = NOW + events.EVENT_LEASE + timedelta(seconds=1)
    assert await _claim(db, "Ev3", later)
    assert not await _claim(db, "Ev3", later)
