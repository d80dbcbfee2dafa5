"""Behind the sandbox page's JSON API: what a person sees, and what they do, translated into Slack's requests.

Everything a person does on the page becomes what Slack would send the bot (a signed slash command,
a DM event, `app_home_opened`, `block_actions`, `view_submission`, `view_closed`), and the bot's
answers (ack bodies, response_url posts, Web API calls) become what Slack would show them.
`page_routes.py` serves it over HTTP.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.clock import ManualClock
from bot.runtime import Runtime
from sandbox.mailbox import Mailbox
from sandbox.mentions import escape_mentions
from sandbox.slack_api_views import new_view
from sandbox.slack_requests import BotResponse, SlackRequests
from sandbox.workspace import Message, Workspace

logger = logging.getLogger(__name__)

MOVES = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}
# A clock move sweeps every 15 minutes for its first day (reminders an hour ahead land on time),
# then hourly: a week's move is 240 sweeps, quick on SQLite.
FINE_STEP, FINE_SPAN, COARSE_STEP = timedelta(minutes=15), timedelta(days=1), timedelta(hours=1)
LONG_POLL_SECONDS = 20.0


class PageError(Exception):
    """A request the page should not have made (unknown person, no modal open): HTTP 400 with the reason."""


def clock_steps(start: datetime, target: datetime) -> list[datetime]:
    """The moments a clock move stops at to run the sweep, ending exactly at `target`."""
    steps, moment = [], start
    while moment < target:
        moment = min(moment + (FINE_STEP if moment - start < FINE_SPAN else COARSE_STEP), target)
        steps.append(moment)
    return steps


def fill_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give blocks and elements without ids the ids Slack would have generated (in place: the same
    dicts are sent back to the bot in payloads, so the ids must stay put)."""
    for index, block in enumerate(blocks):
        block_id = block.setdefault("block_id", f"sandbox-b{index}")
        elements = [block[key] for key in ("accessory", "element") if isinstance(block.get(key), dict)]
        if block.get("type") == "actions":
            elements += [element for element in block.get("elements", []) if isinstance(element, dict)]
        for position, element in enumerate(elements):
            if element.get("type") not in (None, "image"):
                element.setdefault("action_id", f"{block_id}-a{position}")
    return blocks


class PageApi:
    """State for the chosen person, and their actions sent to the bot as Slack would send them."""

    def __init__(self, workspace: Workspace, clock: ManualClock) -> None:
        self.workspace = workspace
        self.clock = clock
        self.runtime: Runtime | None = None
        self.requests: SlackRequests | None = None
        self.version = 0
        self.errors: dict[str, dict[str, str]] = {}  # person -> block_id -> message under that field
        self.notices: dict[str, str] = {}  # person -> the latest problem to show them
        self._changed = asyncio.Event()
        self._clock_lock = asyncio.Lock()
        self._closing = False
        self.subscribers: list[Callable[[], None]] = []  # told of every change (the server saves the state)
        self.mailbox: Mailbox | None = None  # the sandbox's own mail server, when the operator set none
        workspace.listeners.append(self._on_workspace_change)

    def attach(self, runtime: Runtime, requests: SlackRequests) -> None:
        self.runtime, self.requests = runtime, requests

    # --- change notification ---------------------------------------------------------------------
    def changed(self) -> None:
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()
        for subscriber in self.subscribers:
            subscriber()

    def shut_down(self) -> None:
        """Answer every waiting long poll now, so the server can stop without waiting them out."""
        self._closing = True
        self.changed()

    async def wait_for_change(self, since: int, within: float = LONG_POLL_SECONDS) -> None:
        if self.version != since or self._closing:
            return
        try:
            await asyncio.wait_for(self._changed.wait(), within)
        except TimeoutError:
            pass

    def _on_workspace_change(self, kind: str, data: dict[str, Any]) -> None:
        if kind == "response":
            self._show_response(data)
        self.changed()

    # --- what the person sees --------------------------------------------------------------------
    def people(self) -> list[dict[str, Any]]:
        return [
            {"id": m.id, "name": m.name, "real_name": m.real_name, "title": m.title, "department": m.department,
             "tz": m.tz, "is_admin": m.is_admin, "email": m.email}
            for m in self.workspace.members.values()
            if not m.is_bot and not m.deleted
        ]

    def person(self, user_id: object) -> str:
        """The person a request names, refused unless they are someone (not the bot) in the sandbox."""
        if not isinstance(user_id, str) or user_id not in self.workspace.members or self.workspace.members[user_id].is_bot:
            raise PageError(f"There is no person {user_id!r} in the sandbox.")
        return user_id

    def state(self, user_id: str) -> dict[str, Any]:
        user_id = self.person(user_id)
        member = self.workspace.members[user_id]
        home = self.workspace.home_views.get(user_id)
        modals = self.workspace.modal_stacks.get(user_id) or []
        for view in [home, *modals]:
            if view is not None:
                fill_ids(view.get("blocks", []))
        return {
            "version": self.version,
            "user": {"id": user_id, "real_name": member.real_name, "tz": member.tz},
            "bot": {"id": self.workspace.bot_user_id, "real_name": self.workspace.members[self.workspace.bot_user_id].real_name},
            "clock": {"now": self.clock.now().isoformat()},
            "messages": [self._message(message) for message in self.workspace.dm_messages(user_id)],
            "home": home,
            "modals": modals,
            "errors": self.errors.get(user_id, {}),
            "notice": self.notices.get(user_id),
            "inbox": self.mailbox.inbox(member.email) if self.mailbox is not None else [],
        }

    def _message(self, message: Message) -> dict[str, Any]:
        member = self.workspace.members.get(message.user)
        return {
            "ts": message.ts,
            "user": message.user,
            "user_name": member.real_name if member else message.user,
            "text": message.text,
            "blocks": fill_ids(message.blocks),
            "files": [
                {"id": f["id"], "name": f.get("name", ""), "title": f.get("title") or f.get("name", ""), "url": f"/api/files/{f['id']}"}
                for f in message.files
            ],
            "ephemeral": message.ephemeral_to is not None,
            "edited": message.edited,
        }

    # --- helpers that show things ----------------------------------------------------------------
    def _post(self, user_id: str, *, text: str, blocks: list[dict[str, Any]] | None = None, ephemeral: bool, author: str | None = None) -> Message:
        message = Message(
            channel=self.workspace.dm_channel(user_id),
            ts=self.workspace.next_ts(),
            user=author or self.workspace.bot_user_id,
            text=text,
            blocks=blocks or [],
            ephemeral_to=user_id if ephemeral else None,
        )
        self.workspace.messages.append(message)
        self.workspace.notify("message", {"channel": message.channel, "ts": message.ts})
        return message

    def _notice(self, user_id: str, text: str) -> None:
        self.notices[user_id] = text
        self.changed()

    def _show_ack(self, user_id: str, response: BotResponse, what: str) -> None:
        """A slash command's ack body is Slack's immediate reply: ephemeral unless it says in_channel."""
        if response.status != 200:
            self._post(user_id, text=f"{what} failed: the app answered HTTP {response.status} (Slack would say `dispatch_failed`).", ephemeral=True)
            return
        try:
            body = response.json()
        except json.JSONDecodeError:
            body = {"text": response.text}
        if isinstance(body, dict) and (body.get("text") or body.get("blocks")):
            self._post(user_id, text=body.get("text", ""), blocks=body.get("blocks"), ephemeral=body.get("response_type") != "in_channel")

    def _show_response(self, body: dict[str, Any]) -> None:
        """A post to a response_url: replace or delete the original message, or show a new one."""
        owner = (self.requests.response_owners if self.requests else {}).get(body.get("url_id", ""))
        if owner is None:
            logger.warning("a response_url post for an unknown url %r", body.get("url_id"))
            return
        user_id, channel, message_ts = owner["user"], owner["channel"], owner["message_ts"]
        assert user_id is not None and channel is not None
        original = next((m for m in self.workspace.messages if m.channel == channel and m.ts == message_ts), None)
        if original is not None and body.get("delete_original"):
            self.workspace.messages.remove(original)
            return
        if original is not None and body.get("replace_original"):
            original.text = body.get("text", original.text)
            original.blocks = body.get("blocks", [])
            original.edited = True
            return
        if body.get("text") or body.get("blocks"):
            message = Message(channel=channel, ts=self.workspace.next_ts(), user=self.workspace.bot_user_id, text=body.get("text", ""),
                              blocks=body.get("blocks") or [], ephemeral_to=None if body.get("response_type") == "in_channel" else user_id)
            self.workspace.messages.append(message)

    def _bot(self) -> SlackRequests:
        if self.requests is None:
            raise PageError("The bot is still starting; try again in a moment.")
        return self.requests

    # --- what the person does --------------------------------------------------------------------
    async def send(self, user_id: str, text: str) -> None:
        """The composer: `/command args` is a slash command; anything else is a DM to the bot."""
        user_id, text = self.person(user_id), (text or "").strip()
        if not text:
            raise PageError("Type a message or a /mentor command first.")
        self.notices.pop(user_id, None)
        requests = self._bot()
        if text.startswith("/"):
            command, _, rest = text.partition(" ")
            if command != "/mentor":
                self._post(user_id, text=f"`{command}` is not a command in this workspace. Flipside's command is `/mentor`: try `/mentor help`.", ephemeral=True)
                return
            # `should_escape: true`: Slack sends a chosen @mention as <@U123|handle>, never the name typed.
            rest = escape_mentions(rest.strip(), self.workspace.members.values(), with_handle=True)
            body = requests.command_body(user_id, rest, command=command)
            response = await requests.post(body, "application/x-www-form-urlencoded")
            self._show_ack(user_id, response, f"`{command}`")
            if response.status == 200 and not response.text:
                # Commands acknowledge first and answer through response_url: show the answer with the send.
                url_id = requests.response_url_id(body)
                await self.workspace.wait_until(lambda: any(r.get("url_id") == url_id for r in self.workspace.responses), within=3.0)
            return
        message = self._post(user_id, text=escape_mentions(text, self.workspace.members.values(), with_handle=False), ephemeral=False, author=user_id)
        response = await requests.event(
            {"type": "message", "channel_type": "im", "channel": message.channel, "user": user_id, "text": message.text, "ts": message.ts, "event_ts": message.ts}
        )
        if response.status != 200:
            self._notice(user_id, f"The app did not take the message (HTTP {response.status}).")

    async def open_tab(self, user_id: str, tab: str, *, arriving: bool = False) -> None:
        """Opening the Messages or Home tab sends `app_home_opened`, as Slack does. `arriving`: the page
        was (re)loaded or switched to this person, so a modal left open shows again as first drawn, with
        none of the errors about values typed before (Slack never shows a reopened view's old errors)."""
        user_id = self.person(user_id)
        if tab not in ("home", "messages"):
            raise PageError("tab must be home or messages")
        if arriving and self.errors.pop(user_id, None) is not None:
            self.changed()
        requests = self._bot()
        event: dict[str, Any] = {"type": "app_home_opened", "user": user_id, "channel": self.workspace.dm_channel(user_id), "tab": tab,
                                 "event_ts": self.workspace.next_ts()}
        home = self.workspace.home_views.get(user_id)
        if tab == "home" and home is not None:
            event["view"] = home
        await requests.event(event)

    async def action(self, user_id: str, source: str, action: dict[str, Any], *, ts: str | None = None,
                     values: dict[str, Any] | None = None) -> None:
        """A click or a selection in a message, the Home tab or the open modal: `block_actions`."""
        user_id = self.person(user_id)
        requests = self._bot()
        if not isinstance(action, dict) or not action.get("action_id"):
            raise PageError("An action needs an action_id.")
        self.notices.pop(user_id, None)
        if source == "message":
            channel = self.workspace.dm_channel(user_id)
            message = next((m for m in self.workspace.dm_messages(user_id) if m.ts == ts), None)
            if message is None:
                raise PageError("That message is no longer there.")
            if message.ephemeral_to is not None:
                response = await self._ephemeral_action(requests, user_id, channel, message, action)
            else:
                response = await requests.block_action(user_id, action, message=message.as_slack(), channel=channel)
        elif source in ("home", "modal"):
            view = self.workspace.home_views.get(user_id) if source == "home" else (self.workspace.modal_stacks.get(user_id) or [None])[-1]
            if view is None:
                raise PageError(f"There is no {source} view open.")
            response = await requests.block_action(user_id, action, view={**view, "state": {"values": values or {}}})
        else:
            raise PageError("source must be message, home or modal")
        if response.status != 200:
            self._notice(user_id, f"The app did not handle that (HTTP {response.status}): Slack would show a warning beside it.")

    async def _ephemeral_action(self, requests: SlackRequests, user_id: str, channel: str, message: Message, action: dict[str, Any]) -> BotResponse:
        # Slack leaves `message` out of the payload for an ephemeral message; response_url still works.
        payload = {
            "type": "block_actions",
            "team": {"id": self.workspace.team_id, "domain": self.workspace.team_id.lower()},
            "user": {"id": user_id, "username": self.workspace.member(user_id).name, "team_id": self.workspace.team_id},
            "api_app_id": "A0FLIPSIDE",
            "token": "legacy-verification-token-unused",
            "trigger_id": self.workspace.new_trigger(user_id),
            "container": {"type": "message", "message_ts": message.ts, "channel_id": channel, "is_ephemeral": True},
            "channel": {"id": channel, "name": "directmessage"},
            "response_url": requests.response_url(user_id, channel, message.ts),
            "actions": [{"action_ts": f"{time.time():.6f}", **action}],
        }
        return await requests.interaction(payload)

    async def submit(self, user_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Submit the top modal: Slack's `view_submission`, honouring the ack's `response_action`."""
        user_id = self.person(user_id)
        requests = self._bot()
        stack = self.workspace.modal_stacks.get(user_id) or []
        if not stack:
            raise PageError("There is no modal open.")
        view = stack[-1]
        self.notices.pop(user_id, None)
        response = await requests.view_submission(user_id, view, values if isinstance(values, dict) else {})
        if response.status != 200:
            self._notice(user_id, f"The app did not accept the form (HTTP {response.status}); it stays open.")
            return {"response_action": None, "status": response.status}
        body = response.json() if response.text.strip() else None
        action = body.get("response_action") if isinstance(body, dict) else None
        self.errors.pop(user_id, None)
        if action == "errors":
            self.errors[user_id] = dict(body.get("errors") or {})
        elif action == "update":
            stack[-1] = new_view(self.workspace, body["view"], user_id=user_id, root=view)
        elif action == "push":
            stack.append(new_view(self.workspace, body["view"], user_id=user_id))
        elif action == "clear":
            self.workspace.modal_stacks.pop(user_id, None)
        else:
            # A plain ack closes the view submitted; a pushed view gives way to the one beneath it.
            stack.pop()
            if not stack:
                self.workspace.modal_stacks.pop(user_id, None)
        self.changed()
        return {"response_action": action, "status": response.status}

    async def close_modal(self, user_id: str) -> None:
        """Close (or go back from) the top modal; `view_closed` when the view asked for it."""
        user_id = self.person(user_id)
        stack = self.workspace.modal_stacks.get(user_id) or []
        if not stack:
            return
        view = stack.pop()
        if not stack:
            self.workspace.modal_stacks.pop(user_id, None)
        self.errors.pop(user_id, None)
        self.changed()
        if view.get("notify_on_close"):
            await self._bot().view_closed(user_id, view)

    async def move_clock(self, *, by: str | None = None, to: datetime | None = None) -> dict[str, Any]:
        """Move the shared clock forward, running the bot's sweep at each step on the way."""
        async with self._clock_lock:
            start = self.clock.now()
            if by is not None:
                if by not in MOVES:
                    raise PageError(f"by must be one of {', '.join(MOVES)}")
                target = start + MOVES[by]
            elif to is not None:
                if to.tzinfo is None:
                    raise PageError("The time needs a time zone.")
                target = to
                if target < start:
                    raise PageError("The sandbox clock only moves forward; choose a later time.")
            else:
                raise PageError("Say how far to move the clock.")
            steps = clock_steps(start, target)
            for moment in steps:
                self.clock.set(moment)
                if self.runtime is not None:
                    try:
                        await self.runtime.sweep_now()
                    except Exception:  # keep moving: the bot logs its own failure, and the next sweep retries
                        logger.exception("the sweep failed at %s", moment.isoformat())
            self.changed()  # what the sweeps sent has already woken the page; this shows the clock
            return {"now": self.clock.now().isoformat(), "sweeps": len(steps)}
