"""Encryption at rest for the free text people write (reflections, goals, actions, reasons).

Keys come from FLIPSIDE_ENCRYPTION_KEY: one or more Fernet keys separated by commas, newest first.
The newest encrypts; all of them decrypt, so a key can be rotated without downtime (see
docs/deploying.md, "Key management"). The key ring travels on the engine's dialect, not in a global,
so two engines (two workspaces' tests, a rotation run) can each have their own.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import TypeDecorator

PREFIX = "fernet:"  # marks a stored value as encrypted, so plain legacy rows still read


class KeyRingError(ValueError):
    pass


def parse_keys(raw: str) -> MultiFernet:
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise KeyRingError("FLIPSIDE_ENCRYPTION_KEY is empty")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise KeyRingError(
            "FLIPSIDE_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), comma-separated"
        ) from error


def new_key() -> str:
    return Fernet.generate_key().decode()


def attach_keys(engine: AsyncEngine, keys: MultiFernet) -> None:
    engine.sync_engine.dialect.flipside_keys = keys  # type: ignore[attr-defined]


def _keys(dialect: Dialect) -> MultiFernet:
    keys = getattr(dialect, "flipside_keys", None)
    if keys is None:
        raise KeyRingError("no encryption key attached to this engine (store.crypto.attach_keys)")
    return keys


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token; reads back as the plain string."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or value == "":
            return value
        return PREFIX + _keys(dialect).encrypt(value.encode()).decode()

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return decrypt_stored(dialect, value)


def decrypt_stored(dialect: Dialect, stored: str | None) -> str | None:
    """A stored value as plain text; KeyRingError when no key we hold opens it (another key, or corrupt).
    For callers that read the stored token themselves, so one unreadable row fails alone."""
    if stored is None or not stored.startswith(PREFIX):
        return stored
    try:
        return _keys(dialect).decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise KeyRingError("stored text was encrypted with a key that is not in FLIPSIDE_ENCRYPTION_KEY") from error


def rotate_token(keys: MultiFernet, stored: str | None) -> str | None:
    """Re-encrypt one stored value with the newest key (plain values get encrypted)."""
    if stored is None or stored == "":
        return stored
    if stored.startswith(PREFIX):
        return PREFIX + keys.rotate(stored[len(PREFIX) :].encode()).decode()
    return PREFIX + keys.encrypt(stored.encode()).decode()
