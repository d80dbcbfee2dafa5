"""Who someone is, from Slack's `users.info`: name, time zone, and whether they can take part.

Every time shown to a person is in their own zone, so the zone is remembered in the store and
refreshed at most once a day (Slack rate-limits `users.info`).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.slack_errors import error_code
from store import people
from store.models import Person

REFRESH_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str
    tz: str
    is_bot: bool = False
    deleted: bool = False
    is_admin: bool = False
    is_owner: bool = False
    email: str = ""

    @property
    def runs_workspace(self) -> bool:
        """A workspace admin or owner: Slack's word that they may run any programme here."""
        return self.is_admin or self.is_owner

    @classmethod
    def from_slack(cls, user: dict) -> SlackUser:
        profile = user.get("profile") or {}
        # The full name, as HR and the CSV export know people; the display name only when there is none.
        name = profile.get("real_name") or user.get("real_name") or profile.get("display_name") or user.get("name") or user["id"]
        return cls(
            id=user["id"],
            name=name,
            tz=valid_zone(user.get("tz")),
            is_bot=bool(user.get("is_bot")) or user["id"] == "USLACKBOT",
            deleted=bool(user.get("deleted")),
            is_admin=bool(user.get("is_admin")),
            is_owner=bool(user.get("is_owner")),
            email=profile.get("email", ""),
        )


def valid_zone(name: str | None) -> str:
    """Slack's zone name if Python knows it, else UTC (better a plain time than a crash)."""
    if not name:
        return "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


async def fetch_user(client: AsyncWebClient, user_id: str) -> SlackUser | None:
    """The user as Slack sees them now, or None when Slack does not know them."""
    try:
        response = await client.users_info(user=user_id)
    except SlackApiError as error:
        if error_code(error) in ("user_not_found", "users_not_found"):
            return None
        raise
    return SlackUser.from_slack(response["user"])


class SlackUsers:
    """`users.info` answers kept for a few minutes, for what is only shown (which Home someone sees).

    Every change to a pair republishes both members' Home, and choosing between the admin and the
    participant Home asks whether each is a workspace admin: without this, two `users.info` calls per
    click. Decisions that change something (admin commands) call `fetch_user` and ask Slack afresh.
    Bounded, so a big workspace cannot grow it without end; one per process (held by Services).
    """

    def __init__(self, *, keep_for: timedelta = timedelta(minutes=5), size: int = 10_000) -> None:
        self.keep_for = keep_for
        self.size = size
        self._known: OrderedDict[tuple[str, str], tuple[datetime, SlackUser | None]] = OrderedDict()

    async def fetch(self, client: AsyncWebClient, user_id: str, *, now: datetime) -> SlackUser | None:
        key = (client.token or "", user_id)
        kept = self._known.get(key)
        if kept is not None and kept[0] <= now < kept[0] + self.keep_for:
            self._known.move_to_end(key)
            return kept[1]
        user = await fetch_user(client, user_id)
        self._known[key] = (now, user)
        self._known.move_to_end(key)
        while len(self._known) > self.size:
            self._known.popitem(last=False)
        return user

    def forget(self, user_id: str) -> None:
        """Drop what Slack said about someone (their data was erased), under every token it was asked with."""
        for key in [key for key in self._known if key[1] == user_id]:
            del self._known[key]


async def lookup_by_email(client: AsyncWebClient, email: str) -> SlackUser | None:
    try:
        response = await client.users_lookupByEmail(email=email)
    except SlackApiError as error:
        if error_code(error) in ("users_not_found", "user_not_found"):
            return None
        raise
    return SlackUser.from_slack(response["user"])


def _fresh(person: Person | None, now: datetime) -> bool:
    return person is not None and person.updated_at is not None and now - person.updated_at < REFRESH_AFTER


async def known_person(
    session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str, now: datetime
) -> Person:
    """The stored person, refreshed from Slack when new or older than a day."""
    person = await people.get_person(session, team_id=team_id, user_id=user_id)
    if _fresh(person, now):
        assert person is not None
        return person
    return await _refreshed(session, client, person, team_id=team_id, user_id=user_id, now=now)


async def known_people(
    session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_ids: tuple[str, ...], now: datetime
) -> dict[str, Person]:
    """`known_person` for several people (a pair, say) with one query when all are fresh."""
    stored = await people.get_people(session, team_id=team_id, user_ids=list(user_ids))
    return {
        user_id: stored[user_id] if _fresh(stored.get(user_id), now)
        else await _refreshed(session, client, stored.get(user_id), team_id=team_id, user_id=user_id, now=now)
        for user_id in user_ids
    }


async def _refreshed(
    session: AsyncSession, client: AsyncWebClient, person: Person | None, *, team_id: str, user_id: str, now: datetime
) -> Person:
    user = await fetch_user(client, user_id)
    if user is None:
        if person is not None:
            return person
        user = SlackUser(id=user_id, name=user_id, tz="UTC")
    return await people.upsert_person(session, team_id=team_id, user_id=user_id, name=user.name, tz=user.tz, now=now)
