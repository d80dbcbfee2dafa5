"""The erasure's coverage: every encrypted column is either erased for a person or deliberately shared."""

from __future__ import annotations

from sqlmodel import SQLModel

from store.privacy import CREDENTIAL_TABLES, ERASED_FOR_PERSON, SHARED_TEXT, new_token, personal_text_columns


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
