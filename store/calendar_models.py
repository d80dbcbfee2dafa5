"""The tables of connected calendars (Google, Microsoft): a person's tokens, and the event each session
became on the booker's calendar. Registered on SQLModel.metadata by store/models.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from store.crypto import EncryptedText
from store.types import UTCDateTime


class CalendarConnection(SQLModel, table=True):
    """A person's connected calendar (Google or Microsoft): its OAuth tokens, encrypted at rest like Slack's.

    One per person per workspace; connecting again replaces it. `told_failing` keeps the person from
    hearing more than once that their calendar could not be updated, until it works again."""

    __tablename__ = "calendar_connection"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    provider: str = Field(max_length=16)
    account: str = Field(default="", sa_type=EncryptedText)  # the calendar's address, as the provider gave it
    access_token: str = Field(default="", sa_type=EncryptedText)
    refresh_token: str = Field(default="", sa_type=EncryptedText)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default="connected", max_length=16)
    told_failing: bool = False
    connected_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class CalendarEvent(SQLModel, table=True):
    """The provider's event for a session, on its owner's connected calendar (the booker's)."""

    __tablename__ = "calendar_event"
    __table_args__ = (UniqueConstraint("team_id", "session_id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    session_id: int = Field(foreign_key="mentoring_session.id")
    owner_id: str = Field(max_length=32)
    provider: str = Field(max_length=16)
    event_id: str = Field(max_length=1024)
    cancelled: bool = False
    updated_at: datetime = Field(sa_type=UTCDateTime)
