"""The erasure's coverage: every encrypted column is either erased for a person or deliberately shared."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import String
from sqlmodel import SQLModel, col, select, update

from domain.statuses import OutboxStatus
from store.erasure import erase_person, new_token
from store.models import Goal, Outbox
from store.privacy import (
    CREDENTIAL_TABLES,
    ERASED_FOR_PERSON,
    NOT_A_PERSON,
    PERSON_ID_COLUMNS,
    SHARED_TEXT,
    personal_text_columns,
)
from tests.conftest import START
from tests.factories import TEAM
from tests.factories_privacy import MENTEE, MENTOR, raw_rows, seed_pair_with_history


def test_every_encrypted_column_is_erased_for_a_person_or_listed_as_shared():
    encrypted = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        if table.name not in CREDENTIAL_TABLES
        for column in personal_text_columns(table)
    }
    assert encrypted == ERASED_FOR_PERSON | SHARED_TEXT


def test_every_column_named_like_a_user_id_is_erased_for_a_person_or_known_not_to_hold_one():
    def string(column) -> bool:  # noqa: ANN001
        return isinstance(getattr(column.type, "impl_instance", column.type), String)

    named_like_an_id = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.c
        if string(column) and column.name != "team_id" and column.name.endswith(("_id", "_by"))
    }
    assert named_like_an_id == PERSON_ID_COLUMNS | NOT_A_PERSON


def test_anonymous_tokens_fit_a_user_id_column_and_are_not_reused():
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(token.startswith("deleted-") and len(token) <= 32 for token in tokens)


async def test_an_erasure_interrupted_before_its_commit_leaves_everything_as_it_was(db):
    async with db.begin() as session:
        await seed_pair_with_history(session)
    before = await raw_rows(db)
    with pytest.raises(RuntimeError):
        async with db.begin() as session:
            erasure = await erase_person(session, team_id=TEAM, user_id=MENTOR, now=START)
            assert erasure.anything  # every step ran inside the one transaction, none committed on its own
            raise RuntimeError("the process dies before the commit")
    assert await raw_rows(db) == before


async def test_an_erasure_touches_only_the_workspace_it_was_asked_for(db):
    async with db.begin() as session:
        await seed_pair_with_history(session)
    before = await raw_rows(db)
    async with db.begin() as session:
        erasure = await erase_person(session, team_id="T0ELSEWHERE", user_id=MENTOR, now=START)
    assert not erasure.anything
    assert await raw_rows(db) == before


async def test_messages_naming_the_person_or_carrying_their_words_to_their_partner_are_withdrawn_or_emptied(db):
    async with db.begin() as session:
        seeded = await seed_pair_with_history(session)
        for key, status, text in (
            ("notice:pending", OutboxStatus.PENDING, f"<@{MENTOR}> cancelled your session"),
            ("notice:sent", OutboxStatus.SENT, "Your partner shared: MENTOR-LEARNING"),  # their words, without their id
            ("notice:escaped", OutboxStatus.DEAD, "Goal: R&amp;D &lt;MENTOR-GOAL&gt;"),
        ):
            session.add(Outbox(team_id=TEAM, key=key, kind="notice", recipient_id=MENTEE, payload=json.dumps({"text": text}), due_at=START, status=status, created_at=START))
        # Someone else's reminder that happens to hold the same words: not theirs, so not touched.
        session.add(Outbox(team_id=TEAM, key="reminder:other", kind="reminder", recipient_id="U0STRANGER", payload=json.dumps({"text": "MENTOR-LEARNING"}), due_at=START, created_at=START))
        await session.exec(update(Goal).where(col(Goal.owner_id) == MENTOR).values(text="R&D <MENTOR-GOAL>"))
    async with db.begin() as session:
        await erase_person(session, team_id=TEAM, user_id=MENTOR, now=START)
    async with db() as session:
        kept = {row.key: (row.status, row.payload) for row in (await session.exec(select(Outbox).where(Outbox.recipient_id == MENTEE))).all()}
    assert kept == {
        "notice:pending": (OutboxStatus.WITHDRAWN, ""),
        "notice:sent": (OutboxStatus.SENT, ""),
        "notice:escaped": (OutboxStatus.DEAD, ""),
        f"nudge:book:{seeded.pair.id}:{MENTEE}": (OutboxStatus.PENDING, json.dumps({"text": "PARTNER-NUDGE"})),  # nothing of them: untouched
    }
    async with db() as session:
        stranger = (await session.exec(select(Outbox).where(Outbox.recipient_id == "U0STRANGER"))).one()
    assert (stranger.status, stranger.payload) == (OutboxStatus.PENDING, json.dumps({"text": "MENTOR-LEARNING"}))
