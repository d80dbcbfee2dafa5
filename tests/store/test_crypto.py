"""Free text is encrypted at rest, reads back as written, and survives a key rotation."""

import pytest
from sqlalchemy import text
from sqlmodel import select

from store.crypto import KeyRingError, new_key
from store.db import make_engine, make_session_factory, migrate
from store.models import Goal
from store.rotate_keys import encrypted_columns, rotate_all
from tests.conftest import START
from tests.factories import make_pair, make_programme

SECRET_GOAL = "Understand why my team's juniors do not speak up in meetings"


async def _engine(url, keys):
    engine = make_engine(url, encryption_keys=keys)
    await migrate(engine)
    return engine


async def _raw_goal_text(engine) -> str:
    async with engine.connect() as connection:
        return (await connection.execute(text("SELECT text FROM goal"))).scalar_one()


async def _write_goal(engine) -> None:
    async with make_session_factory(engine).begin() as session:
        programme = await make_programme(session, now=START)
        pair = await make_pair(session, programme=programme, now=START)
        session.add(Goal(team_id="T0FLIPSIDE", pair_id=pair.id, owner_id="U0MENTEE", text=SECRET_GOAL, created_at=START, updated_at=START))


async def _read_goal(engine) -> str:
    async with make_session_factory(engine)() as session:
        return (await session.exec(select(Goal))).one().text


async def test_goal_text_is_not_stored_in_plain_text(database_url):
    engine = await _engine(database_url, new_key())
    try:
        await _write_goal(engine)
        stored = await _raw_goal_text(engine)
        assert SECRET_GOAL not in stored and stored.startswith("fernet:")
        assert await _read_goal(engine) == SECRET_GOAL
    finally:
        await engine.dispose()


async def test_rotation_moves_every_value_to_the_new_key(database_url):
    old, new = new_key(), new_key()
    engine = await _engine(database_url, old)
    await _write_goal(engine)
    await engine.dispose()

    engine = await _engine(database_url, f"{new},{old}")
    try:
        assert await _read_goal(engine) == SECRET_GOAL  # the old key still reads
        assert await rotate_all(engine) >= 1
    finally:
        await engine.dispose()

    engine = await _engine(database_url, new)  # the old key is gone now
    try:
        assert await _read_goal(engine) == SECRET_GOAL
    finally:
        await engine.dispose()


async def test_reading_with_the_wrong_key_is_a_clear_error(database_url):
    engine = await _engine(database_url, new_key())
    await _write_goal(engine)
    await engine.dispose()
    engine = await _engine(database_url, new_key())
    try:
        with pytest.raises(KeyRingError, match="not in FLIPSIDE_ENCRYPTION_KEY"):
            await _read_goal(engine)
    finally:
        await engine.dispose()


def test_private_text_columns_are_encrypted():
    columns = set(encrypted_columns())
    assert {("goal", "text"), ("reflection", "learning"), ("action", "text"), ("outbox", "payload")} <= columns
