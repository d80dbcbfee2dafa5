"""The erasure's coverage: every encrypted column is either erased for a person or deliberately shared."""

from __future__ import annotations

import pytest
from sqlmodel import SQLModel

from store.privacy import (
    CREDENTIAL_TABLES,
    ERASED_FOR_PERSON,
    SHARED_TEXT,
    erase_person,
    new_token,
    personal_text_columns,
)
from tests.conftest import START
from tests.factories import TEAM
from tests.factories_privacy import MENTOR, raw_rows, seed_pair_with_history


def test_every_encrypted_column_is_erased_for_a_person_or_listed_as_shared():
    encrypted = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        if table.name not in CREDENTIAL_TABLES
        for column in personal_text_columns(table)
    }
    assert encrypted == ERASED_FOR_PERSON | SHARED_TEXT


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
