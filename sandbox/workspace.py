"""The state of a pretend Slack workspace: its people, conversations, views and a call transcript.

Both the sandbox page and the tests read this state; `sandbox.slack_api` serves it over HTTP in
Slack's own response shapes.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

TRIGGER_LIFETIME_SECONDS = 3.0  # Slack refuses views.open with a trigger older than this


class SlackApiError(Exception):
    """A Slack-style failure: `{"ok": false, "error": code}`.

    As a queued failure it can also take the shapes Slack's edge sends when things go wrong: a raw
    `body` of `content_type` instead of Slack's JSON (an HTML 502 page, an empty 503, a non-JSON 200),
    or `reset`, the connection closed with no answer at all. With `after_call` the call is carried out
    first and only its answer is lost: what a post whose connection dropped on the way back looks like."""

    def __init__(
        self, error: str, status: int = 200, headers: dict[str, str] | None = None, *,
        body: str | None = None, content_type: str = "text/html", reset: bool = False, after_call: bool = False,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.headers = headers or {}
        self.body = body
        self.content_type = content_type
        self.reset = reset
        self.after_call = after_call


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str = ""  # the bearer token the call was made with
    # False until the caller has been sent the answer (with `delay_seconds`, a while after it is recorded):
    # a test can tell that the bot answered Slack before a slow call of its own had come back.
    answered: bool = False


@dataclass
class Message:
    channel: str
    ts: str
    user: str
    text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    ephemeral_to: str | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    edited: bool = False
    # Slack's message metadata ({"event_type": ..., "event_payload": {...}}): invisible to people, and
    # returned by conversations.history only when asked for with include_all_metadata.
    metadata: dict[str, Any] | None = None

    def as_slack(self, *, with_metadata: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "message", "user": self.user, "ts": self.ts, "text": self.text}
        if self.blocks:
            out["blocks"] = self.blocks
        if self.files:
            out["files"] = self.files
        if with_metadata and self.metadata is not None:
            out["metadata"] = self.metadata
        return out


@dataclass
class Channel:
    """A public or private channel. Slack hides a private channel from a bot that is not in it."""

    id: str
    name: str
    is_private: bool = False
    is_archived: bool = False
    bot_is_member: bool = True

    def visible_to_bot(self) -> bool:
        return self.bot_is_member or not self.is_private

    def as_slack(self, at: datetime) -> dict[str, Any]:
        """The channel as conversations.info describes it (the fields the bot reads, and a few more)."""
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": self.is_private,
            "is_archived": self.is_archived,
            "is_general": False,
            "is_member": self.bot_is_member,
            "created": int(at.timestamp()),
        }


@dataclass
class Member:
    id: str
    name: str
    real_name: str
    tz: str = "Europe/London"
    title: str = ""
    email: str = ""
    department: str = ""
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False

    def as_slack(self, team_id: str, at: datetime) -> dict[str, Any]:
        offset = at.astimezone(ZoneInfo(self.tz)).utcoffset()
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "tz": self.tz,
            "tz_label": self.tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": {
                "real_name": self.real_name,
                "display_name": self.name,
                "title": self.title,
                "email": self.email,
            },
        }


class Workspace:
    """One team's directory and conversations, mutated by Web API calls and read by tests and the page."""

    def __init__(
        self,
        *,
        team_id: str = "T0FLIPSIDE",
        team_name: str = "Flipside Sandbox",
        bot_user_id: str = "U0BOT",
        bot_token: str = "xoxb-sandbox-token",
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.bot_user_id = bot_user_id
        self.bot_token = bot_token
        self.api_base_url = "http://127.0.0.1/api/"  # set by whoever serves the Web API
        self.now = now or (lambda: datetime.now(UTC))
        self.members: dict[str, Member] = {}
        self.channels: dict[str, Channel] = {}
        self.calls: list[Call] = []
        self.messages: list[Message] = []
        self.home_views: dict[str, dict[str, Any]] = {}
        self.modal_stacks: dict[str, list[dict[str, Any]]] = {}
        self.responses: list[dict[str, Any]] = []  # bodies posted to response_url
        self.files: dict[str, dict[str, Any]] = {}
        self._by_email: dict[str, Member] = {}
        self._triggers: dict[str, tuple[str, float]] = {}
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)
        self.listeners: list[Callable[[str, dict[str, Any]], None]] = []
        self._waiting: set[asyncio.Event] = set()  # one per waiter: every one of them wakes on a change
        # Rate limits, as Slack enforces them: method -> calls allowed per second (429 past it).
        self.rate_limits: dict[str, float] = {}
        self._buckets: dict[str, tuple[float, float]] = {}
        # Failure injection for tests: method -> list of (status, error, headers) served in turn.
        self.failures: dict[str, list[SlackApiError]] = {}
        # Latency injection: every call takes effect at once, then its answer waits this long (a slow
        # Slack: a caller that dies meanwhile never learns that its message was posted).
        self.delay_seconds = 0.0
        self.add_member(Member(id=bot_user_id, name="flipside", real_name="Flipside", is_bot=True))

    # --- directory -----------------------------------------------------------------------------
    def add_member(self, member: Member) -> Member:
        self.members[member.id] = member
        return member

    def add_channel(self, channel: Channel) -> Channel:
        self.channels[channel.id] = channel
        return channel

    def channel(self, channel_id: str) -> Channel:
        """A channel the bot can see, as Slack answers: channel_not_found for one that does not exist,
        and for a private one the bot was not invited to."""
        channel = self.channels.get(channel_id)
        if channel is None or not channel.visible_to_bot():
            raise SlackApiError("channel_not_found")
        return channel

    def member(self, user_id: str) -> Member:
        member = self.members.get(user_id)
        if member is None:
            raise SlackApiError("user_not_found")
        return member

    def member_by_email(self, email: str) -> Member | None:
        """The member with this address (any case). An index rebuilt whenever it is stale, so a 5,000-line
        org chart's lookups do not each scan the directory, and a test may still change an address."""
        email = email.lower()
        found = self._by_email.get(email)
        if found is not None and found.email.lower() == email and self.members.get(found.id) is found:
            return found
        self._by_email = {member.email.lower(): member for member in self.members.values() if member.email}
        return self._by_email.get(email)

    # --- ids -------------------------------------------------------------------------------------
    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def next_ts(self) -> str:
        return f"{self.now().timestamp():.0f}.{next(self._ts):06d}"

    def dm_channel(self, user_id: str) -> str:
        return "D" + user_id.removeprefix("U").removeprefix("W")

    def history(self, channel: str) -> list[Message]:
        """A conversation's messages as everyone sees them (no ephemerals), newest first, as Slack lists them."""
        return sorted(
            (m for m in self.messages if m.channel == channel and m.ephemeral_to is None), key=lambda m: _ts_order(m.ts), reverse=True
        )

    def share_file(self, user_id: str, *, name: str, content: bytes, mimetype: str = "", text: str = "") -> Message:
        """A person uploads a file into their DM with the bot: stored, and shown as their message."""
        file_id = self.next_id("F")
        self.files[file_id] = {"id": file_id, "name": name, "title": name, "content": content, "user": user_id, "mimetype": mimetype}
        url = f"{self.api_base_url}files/{file_id}"
        shared = {"id": file_id, "name": name, "title": name, "url_private": url}
        message = Message(channel=self.dm_channel(user_id), ts=self.next_ts(), user=user_id, text=text, files=[shared])
        self.messages.append(message)
        self.notify("message", {"channel": message.channel, "ts": message.ts})
        return message

    def user_for_dm(self, channel: str) -> str | None:
        for member in self.members.values():
            if self.dm_channel(member.id) == channel:
                return member.id
        return None

    # --- triggers --------------------------------------------------------------------------------
    def new_trigger(self, user_id: str) -> str:
        trigger_id = f"{next(self._ids)}.{int(time.time())}.sandbox"
        self._triggers[trigger_id] = (user_id, time.monotonic())
        return trigger_id

    def use_trigger(self, trigger_id: str) -> str:
        if trigger_id not in self._triggers:
            raise SlackApiError("invalid_trigger_id")
        user_id, issued = self._triggers.pop(trigger_id)
        if time.monotonic() - issued > TRIGGER_LIFETIME_SECONDS:
            raise SlackApiError("expired_trigger_id")
        return user_id

    def over_rate_limit(self, method: str) -> bool:
        """A token bucket per method, a second's worth deep: True when this call is past the limit."""
        rate = self.rate_limits.get(method)
        if not rate:
            return False
        tokens, last = self._buckets.get(method, (rate, time.monotonic()))
        now = time.monotonic()
        tokens = min(rate, tokens + (now - last) * rate)
        if tokens < 1:
            self._buckets[method] = (tokens, now)
            return True
        self._buckets[method] = (tokens - 1, now)
        return False

    # --- recording -------------------------------------------------------------------------------
    def record(self, call: Call) -> None:
        self.calls.append(call)
        self._wake()

    def _wake(self) -> None:
        for waiting in self._waiting:
            waiting.set()

    async def wait_until(self, condition: Callable[[], bool], within: float = 5.0) -> bool:
        """Wait until `condition()` holds after a call or a change (a response_url post, say); say whether it did."""
        changed = asyncio.Event()
        self._waiting.add(changed)
        try:
            async with asyncio.timeout(within):
                while not condition():
                    changed.clear()
                    await changed.wait()
        except TimeoutError:
            pass
        finally:
            self._waiting.discard(changed)
        return condition()

    async def wait_for_calls(self, method: str, count: int = 1, within: float = 5.0) -> list[Call]:
        """Wait until the bot has called `method` at least `count` times (events are handled after
        their ack, so their effects land a moment later); return those calls, or what there is."""
        await self.wait_until(lambda: len(self.calls_to(method)) >= count, within)
        return self.calls_to(method)

    # --- reading ---------------------------------------------------------------------------------
    def mark_answered(self, call: Call) -> None:
        call.answered = True
        self._wake()

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def dm_messages(self, user_id: str) -> list[Message]:
        """The bot's DM with this person, oldest first, without other people's ephemerals."""
        channel = self.dm_channel(user_id)
        return [
            m for m in self.messages if m.channel == channel and m.ephemeral_to in (None, user_id)
        ]

    def notify(self, kind: str, data: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            listener(kind, data)
        self._wake()


def _ts_order(ts: str) -> tuple[int, int]:
    """A message ts ("seconds.sequence") as numbers, so "10.2" sorts after "9.10"."""
    seconds, _, sequence = ts.partition(".")
    return int(seconds), int(sequence or 0)
