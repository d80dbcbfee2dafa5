"""Slack's Web API, served locally from a `Workspace`: the methods the bot calls, in Slack's shapes.

Every call is recorded in `workspace.calls` (method and arguments) so tests can assert what was sent.
Responses follow Slack's documentation: `{"ok": true, ...}` or `{"ok": false, "error": "..."}`, HTTP 429
with `Retry-After` for rate limits.
"""

from __future__ import annotations

import asyncio
import json
import logging
import mimetypes
import re
from collections.abc import Callable
from typing import Any

from aiohttp import web

from sandbox.block_checks import block_problems, view_problems
from sandbox.oauth import SlackOAuth
from sandbox.workspace import Call, Message, SlackApiError, Workspace

logger = logging.getLogger(__name__)

Method = Callable[[Workspace, dict[str, Any]], dict[str, Any]]
METHODS: dict[str, Method] = {}


def method(name: str) -> Callable[[Method], Method]:
    def register(function: Method) -> Method:
        METHODS[name] = function
        return function

    return register


def _json_arg(args: dict[str, Any], name: str) -> Any:
    value = args.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise SlackApiError(f"invalid_{name}") from error
    return value


def _blocks(args: dict[str, Any]) -> list[dict[str, Any]]:
    """The message's blocks, refused as Slack refuses them (`invalid_blocks`, the reasons logged)."""
    blocks = _json_arg(args, "blocks") or []
    problems = block_problems(blocks, view=False)
    if problems:
        logger.warning("invalid_blocks: %s", "; ".join(problems))
        raise SlackApiError("invalid_blocks")
    return blocks


def _require(args: dict[str, Any], name: str) -> Any:
    if not args.get(name):
        raise SlackApiError(f"missing_{name}" if name != "channel" else "channel_not_found")
    return args[name]


def _channel(workspace: Workspace, args: dict[str, Any]) -> str:
    """Slack lets a bot post to a user id (its DM with them) or to a DM channel id."""
    channel = _require(args, "channel")
    if channel in workspace.members:
        member = workspace.member(channel)
        if member.deleted:
            raise SlackApiError("account_inactive")
        return workspace.dm_channel(channel)
    if workspace.user_for_dm(channel) is None and not channel.startswith(("C", "G")):
        raise SlackApiError("channel_not_found")
    return channel


@method("auth.test")
def auth_test(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": f"https://{workspace.team_id.lower()}.slack.com/",
        "team": workspace.team_name,
        "user": "flipside",
        "team_id": workspace.team_id,
        "user_id": workspace.bot_user_id,
        "bot_id": "B0BOT",
        "is_enterprise_install": False,
    }


@method("users.info")
def users_info(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    member = workspace.member(_require(args, "user"))
    return {"user": member.as_slack(workspace.team_id, workspace.now())}


@method("users.lookupByEmail")
def users_lookup_by_email(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    email = str(_require(args, "email")).strip().lower()
    for member in workspace.members.values():
        if member.email.lower() == email:
            return {"user": member.as_slack(workspace.team_id, workspace.now())}
    raise SlackApiError("users_not_found")


@method("conversations.open")
def conversations_open(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    users = str(_require(args, "users")).split(",")
    if len(users) != 1:
        raise SlackApiError("not_implemented")  # the bot only opens 1:1 DMs
    member = workspace.member(users[0].strip())
    if member.deleted:
        raise SlackApiError("user_disabled")
    return {"channel": {"id": workspace.dm_channel(member.id), "is_im": True, "user": member.id}}


EVENT_TYPE = re.compile(r"[A-Za-z0-9_]{1,255}")  # Slack: a short alphanumeric name, words joined by underscores


def _metadata(args: dict[str, Any]) -> dict[str, Any] | None:
    """A message's metadata, refused as Slack refuses it: an event_type and an object event_payload."""
    metadata = _json_arg(args, "metadata")
    if metadata is None:
        return None
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not EVENT_TYPE.fullmatch(metadata["event_type"])
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise SlackApiError("invalid_metadata_format")
    return {"event_type": metadata["event_type"], "event_payload": metadata["event_payload"]}


@method("chat.postMessage")
def chat_post_message(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = _channel(workspace, args)
    blocks = _blocks(args)
    if not args.get("text") and not blocks:
        raise SlackApiError("no_text")
    message = Message(
        channel=channel, ts=workspace.next_ts(), user=workspace.bot_user_id, text=args.get("text", ""), blocks=blocks,
        metadata=_metadata(args),
    )
    workspace.messages.append(message)
    workspace.notify("message", {"channel": channel, "ts": message.ts})
    return {"channel": channel, "ts": message.ts, "message": message.as_slack()}


def _flag(args: dict[str, Any], name: str) -> bool:
    """A boolean argument as Slack reads it from a form or JSON body: true, "true" or "1"."""
    return str(args.get(name, "")).lower() in ("true", "1")


def _timestamp(args: dict[str, Any], name: str) -> float | None:
    value = args.get(name)
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise SlackApiError("invalid_ts_" + name) from error


@method("conversations.history")
def conversations_history(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """A conversation's messages, newest first, between `oldest` and `latest` (exclusive unless
    `inclusive`), `limit` a page (default 100, at most 999) with a cursor for the next; metadata
    only with `include_all_metadata`."""
    channel = _require(args, "channel")
    if workspace.user_for_dm(channel) is None and not channel.startswith(("C", "G")):
        raise SlackApiError("channel_not_found")
    oldest, latest = _timestamp(args, "oldest"), _timestamp(args, "latest")
    inclusive = _flag(args, "inclusive")

    def within(ts: float) -> bool:
        after = oldest is None or ts > oldest or (inclusive and ts == oldest)
        before = latest is None or ts < latest or (inclusive and ts == latest)
        return after and before

    messages = [message for message in workspace.history(channel) if within(float(message.ts))]
    try:
        limit = min(max(int(args.get("limit") or 100), 1), 999)
        start = int(args.get("cursor") or 0)
    except ValueError as error:
        raise SlackApiError("invalid_cursor") from error
    page = messages[start : start + limit]
    more = start + limit < len(messages)
    with_metadata = _flag(args, "include_all_metadata")
    return {
        "messages": [message.as_slack(with_metadata=with_metadata) for message in page],
        "has_more": more,
        "pin_count": 0,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


@method("chat.postEphemeral")
def chat_post_ephemeral(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = _channel(workspace, args)
    user = workspace.member(_require(args, "user")).id
    message = Message(
        channel=channel,
        ts=workspace.next_ts(),
        user=workspace.bot_user_id,
        text=args.get("text", ""),
        blocks=_blocks(args),
        ephemeral_to=user,
    )
    workspace.messages.append(message)
    workspace.notify("message", {"channel": channel, "ts": message.ts})
    return {"message_ts": message.ts}


@method("chat.update")
def chat_update(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = _channel(workspace, args)
    ts = _require(args, "ts")
    blocks = _blocks(args)
    for message in workspace.messages:
        if message.channel == channel and message.ts == ts and message.ephemeral_to is None:
            if "text" in args:
                message.text = args["text"]
            if "blocks" in args:
                message.blocks = blocks
            message.edited = True
            workspace.notify("message", {"channel": channel, "ts": ts})
            return {"channel": channel, "ts": ts, "text": message.text, "message": message.as_slack()}
    raise SlackApiError("message_not_found")


def _new_view(workspace: Workspace, view: dict[str, Any], *, user_id: str, root: dict[str, Any] | None = None) -> dict[str, Any]:
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        raise SlackApiError("invalid_arguments")
    if view["type"] == "modal" and not view.get("title"):
        raise SlackApiError("invalid_arguments")
    problems = view_problems(view)
    if problems:
        logger.warning("invalid_arguments: %s", "; ".join(problems))
        raise SlackApiError("invalid_arguments")
    view_id = (root or {}).get("id") or workspace.next_id("V")
    return {
        **view,
        "id": view_id,
        "team_id": workspace.team_id,
        "user_id": user_id,
        "hash": workspace.next_id("h"),
        "root_view_id": (root or {}).get("root_view_id", view_id),
        "state": {"values": {}},
    }


@method("views.publish")
def views_publish(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user_id = workspace.member(_require(args, "user_id")).id
    view = _new_view(workspace, _json_arg(args, "view"), user_id=user_id, root=workspace.home_views.get(user_id))
    if view["type"] != "home":
        raise SlackApiError("invalid_arguments")
    workspace.home_views[user_id] = view
    workspace.notify("home", {"user_id": user_id})
    return {"view": view}


@method("views.open")
def views_open(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user_id = workspace.use_trigger(_require(args, "trigger_id"))
    view = _new_view(workspace, _json_arg(args, "view"), user_id=user_id)
    workspace.modal_stacks[user_id] = [view]
    workspace.notify("modal", {"user_id": user_id})
    return {"view": view}


@method("views.push")
def views_push(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user_id = workspace.use_trigger(_require(args, "trigger_id"))
    stack = workspace.modal_stacks.get(user_id) or []
    if not stack:
        raise SlackApiError("not_found")
    if len(stack) >= 3:
        raise SlackApiError("push_limit_reached")
    view = _new_view(workspace, _json_arg(args, "view"), user_id=user_id)
    stack.append(view)
    workspace.notify("modal", {"user_id": user_id})
    return {"view": view}


@method("views.update")
def views_update(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    view_id = args.get("view_id")
    for user_id, stack in workspace.modal_stacks.items():
        for index, current in enumerate(stack):
            if current["id"] == view_id or (args.get("external_id") and current.get("external_id") == args["external_id"]):
                if args.get("hash") and args["hash"] != current["hash"]:
                    raise SlackApiError("hash_conflict")
                stack[index] = _new_view(workspace, _json_arg(args, "view"), user_id=user_id, root=current)
                workspace.notify("modal", {"user_id": user_id})
                return {"view": stack[index]}
    raise SlackApiError("not_found")


@method("files.getUploadURLExternal")
def files_get_upload_url(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    file_id = workspace.next_id("F")
    workspace.files[file_id] = {"id": file_id, "name": _require(args, "filename"), "length": int(args.get("length", 0)), "content": b""}
    return {"upload_url": f"{workspace.api_base_url}upload/{file_id}", "file_id": file_id}


@method("files.completeUploadExternal")
def files_complete_upload(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    entries = _json_arg(args, "files") or []
    shared = []
    for entry in entries:
        stored = workspace.files.get(entry.get("id"))
        if stored is None:
            raise SlackApiError("file_not_found")
        stored["title"] = entry.get("title") or stored["name"]
        shared.append({"id": stored["id"], "name": stored["name"], "title": stored["title"], "url_private": f"{workspace.api_base_url}files/{stored['id']}"})
    channel = args.get("channel_id") or args.get("channels")
    if channel:
        channel = _channel(workspace, {"channel": channel})
        message = Message(channel=channel, ts=workspace.next_ts(), user=workspace.bot_user_id, text=args.get("initial_comment", ""), files=shared)
        workspace.messages.append(message)
        workspace.notify("message", {"channel": channel, "ts": message.ts})
    return {"files": shared}


async def _read_args(request: web.Request) -> dict[str, Any]:
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            args.update(body)
    elif request.can_read_body:
        args.update(dict(await request.post()))
    return args


CALL = web.RequestKey("call", Call)  # the call a request recorded, marked answered once its answer goes out


def build_slack_api(workspace: Workspace, oauth: SlackOAuth | None = None) -> web.Application:
    """The aiohttp application that answers `POST /api/<method>` for this workspace.

    With `oauth`, it also plays Slack's side of the OAuth install (`oauth.v2.access`) and accepts the
    bot tokens issued there, each answering `auth.test` for its own workspace.
    """

    async def handle(request: web.Request) -> web.Response:
        response = await answer(request)
        if workspace.delay_seconds:
            await asyncio.sleep(workspace.delay_seconds)
        if CALL in request:
            workspace.mark_answered(request[CALL])
        return response

    async def answer(request: web.Request) -> web.Response:
        name = request.match_info["method"]
        args = await _read_args(request)
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ").strip() if authorization.startswith("Bearer ") else ""
        token = token or args.pop("token", "")
        request[CALL] = _recorded(name, args, token)
        workspace.record(request[CALL])
        queued = workspace.failures.get(name)
        failure = queued.pop(0) if queued else None
        if failure is not None and not failure.after_call:
            return _failure(request, failure)
        response = await perform(name, args, token, authorization)
        return response if failure is None else _failure(request, failure)

    async def perform(name: str, args: dict[str, Any], token: str, authorization: str) -> web.Response:
        try:
            if oauth is not None and name == "oauth.v2.access":
                return web.json_response({"ok": True, **oauth.access(args, authorization)})
            grant = oauth.grant_for(token) if oauth is not None and token != workspace.bot_token else None
            if token != workspace.bot_token and grant is None:
                return web.json_response({"ok": False, "error": "not_authed" if not token else "invalid_auth"})
            if grant is not None and name == "auth.test":
                return web.json_response({"ok": True, **grant.auth_test()})
        except SlackApiError as error:
            return web.json_response({"ok": False, "error": error.error}, status=error.status, headers=error.headers)
        if workspace.over_rate_limit(name):
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"})
        function = METHODS.get(name)
        if function is None:
            return web.json_response({"ok": False, "error": "unknown_method"}, status=404)
        try:
            result = function(workspace, args)
        except SlackApiError as error:
            return web.json_response({"ok": False, "error": error.error}, status=error.status, headers=error.headers)
        return web.json_response({"ok": True, **result})

    async def upload(request: web.Request) -> web.Response:
        stored = workspace.files.get(request.match_info["file_id"])
        if stored is None:
            return web.Response(status=404)
        stored["content"] = await _upload_bytes(request)
        return web.Response(text="OK")

    async def download(request: web.Request) -> web.Response:
        """A file's bytes at its `url_private`, so the sandbox page can show an uploaded chart or CSV."""
        stored = workspace.files.get(request.match_info["file_id"])
        if stored is None:
            return web.Response(status=404)
        content_type = mimetypes.guess_type(stored["name"])[0] or "application/octet-stream"
        return web.Response(body=stored["content"], content_type=content_type)

    async def respond(request: web.Request) -> web.Response:
        body = await request.json()
        response = {"url_id": request.match_info["response_id"], **body}
        workspace.responses.append(response)
        workspace.notify("response", response)
        return web.Response(text="ok")

    app = web.Application(client_max_size=50 * 1024 * 1024)
    app.router.add_post("/api/upload/{file_id}", upload)
    app.router.add_get("/api/files/{file_id}", download)
    app.router.add_route("*", "/api/{method}", handle)
    app.router.add_post("/response/{response_id}", respond)
    return app


def _failure(request: web.Request, failure: SlackApiError) -> web.Response:
    """A queued failure in its shape: Slack's JSON error, a raw body, or a connection reset."""
    if failure.reset:
        if request.transport is not None:
            request.transport.abort()  # the client sees the connection drop, with no answer
        return web.Response(status=500)
    if failure.body is not None:
        return web.Response(body=failure.body.encode(), status=failure.status, content_type=failure.content_type, headers=failure.headers)
    return web.json_response({"ok": False, "error": failure.error}, status=failure.status, headers=failure.headers)


async def _upload_bytes(request: web.Request) -> bytes:
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        part = await reader.next()
        return await part.read() if part is not None else b""  # type: ignore[union-attr]
    return await request.read()


def _recorded(name: str, args: dict[str, Any], token: str = "") -> Call:
    parsed = {key: _maybe_json(value) for key, value in args.items()}
    return Call(method=name, args=parsed, token=token)


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value

