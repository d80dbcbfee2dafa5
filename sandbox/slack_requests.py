"""Requests from 'Slack' to the bot, built and signed exactly as Slack builds and signs them.

Slash commands are form bodies; events are JSON envelopes; interactions are a form field `payload`
holding JSON. Each is signed with `v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")` in
`X-Slack-Signature`, with `X-Slack-Request-Timestamp`, as in Slack's "Verifying requests" guide.
"""

from __future__ import annotations

import itertools
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from sandbox.slack_api_files import file_info
from sandbox.workspace import Workspace


@dataclass
class BotResponse:
    status: int
    text: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


class SlackRequests:
    """Sends the bot what Slack would send it, on behalf of the people in a `Workspace`."""

    def __init__(self, *, workspace: Workspace, bot_url: str, signing_secret: str, response_base_url: str) -> None:
        self.workspace = workspace
        self.bot_url = bot_url
        self.signer = SignatureVerifier(signing_secret)
        self.response_base_url = response_base_url.rstrip("/")
        self._ids = itertools.count(1)
        # Event ids must differ between runs: the bot remembers handled ids for a day (retries),
        # and the sandbox restarts against the same database.
        self._run = secrets.token_hex(4)
        # response_url id -> who it was issued for, the channel, and the message it belongs to (if any)
        self.response_owners: dict[str, dict[str, str | None]] = {}
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def sign(self, body: str, timestamp: str | None = None) -> dict[str, str]:
        timestamp = timestamp or str(int(time.time()))
        return {
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": self.signer.generate_signature(timestamp=timestamp, body=body),
        }

    async def post(self, body: str, content_type: str, *, headers: dict[str, str] | None = None, timestamp: str | None = None) -> BotResponse:
        """Post a raw body, signed; `headers` may override the signature (to test forgeries)."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        all_headers = {"Content-Type": content_type, **self.sign(body, timestamp), **(headers or {})}
        async with self._session.post(self.bot_url, data=body.encode(), headers=all_headers) as response:
            return BotResponse(status=response.status, text=await response.text(), headers=dict(response.headers))

    def response_url(self, user_id: str, channel: str, message_ts: str | None = None) -> str:
        response_id = f"{self._run}-{next(self._ids)}"
        self.response_owners[response_id] = {"user": user_id, "channel": channel, "message_ts": message_ts}
        return f"{self.response_base_url}/{response_id}"

    # --- slash commands ------------------------------------------------------------------------
    def command_body(self, user_id: str, text: str, *, command: str = "/mentor", channel_id: str | None = None) -> str:
        member = self.workspace.member(user_id)
        return urlencode(
            {
                "token": "legacy-verification-token-unused",
                "team_id": self.workspace.team_id,
                "team_domain": self.workspace.team_id.lower(),
                "channel_id": channel_id or self.workspace.dm_channel(user_id),
                "channel_name": "directmessage",
                "user_id": user_id,
                "user_name": member.name,
                "command": command,
                "text": text,
                "api_app_id": "A0FLIPSIDE",
                "is_enterprise_install": "false",
                "response_url": self.response_url(user_id, channel_id or self.workspace.dm_channel(user_id)),
                "trigger_id": self.workspace.new_trigger(user_id),
            }
        )

    async def command(self, user_id: str, text: str, **kwargs: Any) -> BotResponse:
        return await self.post(self.command_body(user_id, text, **kwargs), "application/x-www-form-urlencoded")

    @staticmethod
    def response_url_id(body: str) -> str:
        """The id of the response_url in a command's form body (`workspace.responses` carry it as `url_id`)."""
        return dict(parse_qsl(body))["response_url"].rsplit("/", 1)[-1]

    async def command_reply(self, user_id: str, text: str, *, within: float = 5.0, **kwargs: Any) -> dict[str, Any] | None:
        """The ephemeral answer to a command, as the person sees it: in the HTTP answer or, for a command
        acknowledged first, posted to its response_url afterwards (None if none came `within` seconds)."""
        body = self.command_body(user_id, text, **kwargs)
        url_id = self.response_url_id(body)
        response = await self.post(body, "application/x-www-form-urlencoded")
        if response.status != 200:
            raise AssertionError(f"HTTP {response.status} for /mentor {text}: {response.text[:200]}")
        if response.text:
            return response.json()

        def replies() -> list[dict[str, Any]]:
            return [reply for reply in self.workspace.responses if reply.get("url_id") == url_id]

        await self.workspace.wait_until(lambda: bool(replies()), within=within)
        found = replies()
        return found[0] if found else None

    # --- events --------------------------------------------------------------------------------
    def event_body(self, event: dict[str, Any], *, event_id: str | None = None) -> str:
        return json.dumps(
            {
                "token": "legacy-verification-token-unused",
                "team_id": self.workspace.team_id,
                "api_app_id": "A0FLIPSIDE",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{self._run}{next(self._ids):08d}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": self.workspace.team_id, "user_id": self.workspace.bot_user_id, "is_bot": True}],
            }
        )

    async def event(self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None) -> BotResponse:
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else None
        return await self.post(self.event_body(event, event_id=event_id), "application/json", headers=headers)

    async def app_home_opened(self, user_id: str) -> BotResponse:
        return await self.event(
            {"type": "app_home_opened", "user": user_id, "channel": self.workspace.dm_channel(user_id), "tab": "home", "event_ts": self.workspace.next_ts()}
        )

    async def direct_message(self, user_id: str, text: str) -> BotResponse:
        ts = self.workspace.next_ts()
        return await self.event(
            {"type": "message", "channel_type": "im", "channel": self.workspace.dm_channel(user_id), "user": user_id, "text": text, "ts": ts, "event_ts": ts}
        )

    async def file_share(self, user_id: str, *, name: str, content: bytes, mimetype: str = "", text: str = "") -> BotResponse:
        """A person uploads a file in their DM with the bot: Slack's `message` event with subtype file_share."""
        message = self.workspace.share_file(user_id, name=name, content=content, mimetype=mimetype, text=text)
        return await self.event(
            {"type": "message", "subtype": "file_share", "channel_type": "im", "channel": message.channel, "user": user_id,
             "text": text, "ts": message.ts, "event_ts": message.ts, "upload": False, "display_as_bot": False,
             "files": [file_info(self.workspace, shared["id"]) for shared in message.files]}
        )

    async def set_deactivated(self, user_id: str, deactivated: bool = True) -> BotResponse:
        """A workspace admin deactivates (or reactivates) a member: Slack sends `user_change` with the whole user."""
        member = self.workspace.member(user_id)
        member.deleted = deactivated
        return await self.event(
            {"type": "user_change", "user": member.as_slack(self.workspace.team_id, self.workspace.now()),
             "cache_ts": int(time.time()), "event_ts": self.workspace.next_ts()}
        )

    # --- interactions --------------------------------------------------------------------------
    def _user(self, user_id: str) -> dict[str, str]:
        return {"id": user_id, "username": self.workspace.member(user_id).name, "team_id": self.workspace.team_id}

    async def interaction(self, payload: dict[str, Any]) -> BotResponse:
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    async def block_action(
        self,
        user_id: str,
        action: dict[str, Any],
        *,
        message: dict[str, Any] | None = None,
        channel: str | None = None,
        view: dict[str, Any] | None = None,
    ) -> BotResponse:
        """A click or selection; `message` for a message's buttons, `view` for a Home tab or modal."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": self.workspace.team_id, "domain": self.workspace.team_id.lower()},
            "user": self._user(user_id),
            "api_app_id": "A0FLIPSIDE",
            "token": "legacy-verification-token-unused",
            "trigger_id": self.workspace.new_trigger(user_id),
            "actions": [{"action_ts": f"{time.time():.6f}", **action}],
        }
        if message is not None:
            channel = channel or self.workspace.dm_channel(user_id)
            payload["container"] = {"type": "message", "message_ts": message["ts"], "channel_id": channel, "is_ephemeral": False}
            payload["channel"] = {"id": channel, "name": "directmessage"}
            payload["message"] = message
            payload["response_url"] = self.response_url(user_id, channel, message["ts"])
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = view
        return await self.interaction(payload)

    async def view_submission(self, user_id: str, view: dict[str, Any], values: dict[str, dict[str, Any]]) -> BotResponse:
        """Submit a modal; `values` is Slack's `state.values`: block_id -> action_id -> value."""
        submitted = {**view, "state": {"values": values}}
        payload = {
            "type": "view_submission",
            "team": {"id": self.workspace.team_id, "domain": self.workspace.team_id.lower()},
            "user": self._user(user_id),
            "api_app_id": "A0FLIPSIDE",
            "token": "legacy-verification-token-unused",
            "trigger_id": self.workspace.new_trigger(user_id),
            "view": submitted,
            "response_urls": [],
        }
        return await self.interaction(payload)

    async def view_closed(self, user_id: str, view: dict[str, Any]) -> BotResponse:
        payload = {
            "type": "view_closed",
            "team": {"id": self.workspace.team_id, "domain": self.workspace.team_id.lower()},
            "user": self._user(user_id),
            "api_app_id": "A0FLIPSIDE",
            "view": view,
            "is_cleared": False,
        }
        return await self.interaction(payload)
