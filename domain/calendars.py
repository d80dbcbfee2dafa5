"""Connected calendars: which providers there are, and the state of a person's connection."""

from __future__ import annotations

from enum import StrEnum


class Provider(StrEnum):
    GOOGLE = "google"
    MICROSOFT = "microsoft"


class ConnectionStatus(StrEnum):
    CONNECTED = "connected"
    REVOKED = "revoked"  # the provider refused our refresh token: the person must connect again
