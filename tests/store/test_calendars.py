"""Connected calendars in the store: tokens encrypted at rest, and a person's erasure deletes their
connection and the record of events on their calendar."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from store import calendars
from store.erasure import erase_person
from tests.conftest import START
from tests.factories import TEAM
from tests.factories_privacy import MENTEE, MENTOR, decrypted, raw_rows, seed_pair_with_history

SECRET = "ya29.SECRET-ACCESS-TOKEN"


async def _connect(session, user_id: str) -> None:  # noqa: ANN001
    await calendars.save_connection(session, team_id=TEAM, user_id=user_id, provider="google", account=f"{user_id}@example.com",
                                    access_token=f"{SECRET}-{user_id}", refresh_token=f"1//refresh-{user_id}",
                                    expires_at=START + timedelta(hours=1), now=START)


async def test_tokens_are_stored_encrypted(db):
    async with db.begin() as session:
        await _connect(session, MENTOR)
    async with db() as session:
        connection = await session.connection()
        stored = (await connection.execute(text("SELECT account, access_token, refresh_token FROM calendar_connection"))).one()
    assert all(value.startswith("fernet:") for value in stored)
    assert SECRET not in str(await raw_rows(db)) and SECRET in decrypted(await raw_rows(db))


async def test_erasing_a_person_deletes_their_connection_and_their_events_record_and_leaves_the_partners(db):
    async with db.begin() as session:
        await seed_pair_with_history(session)
        [session_id] = (await (await session.connection()).execute(text("SELECT id FROM mentoring_session ORDER BY id LIMIT 1"))).one()
        await _connect(session, MENTOR)
        await _connect(session, MENTEE)
        await calendars.save_event(session, team_id=TEAM, session_id=session_id, owner_id=MENTOR, provider="google",
                                   event_id="evt-1", cancelled=False, now=START)

    async with db.begin() as session:
        erasure = await erase_person(session, team_id=TEAM, user_id=MENTOR, now=START)

    assert erasure.calendars == 2
    rows = await raw_rows(db)
    assert [row["user_id"] for row in rows["calendar_connection"]] == [MENTEE]
    assert rows["calendar_event"] == []
    assert f"{SECRET}-{MENTOR}" not in decrypted(rows) and f"{MENTOR}@example.com" not in decrypted(rows)
