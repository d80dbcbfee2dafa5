"""Slack's Web API, served locally from a `Workspace`: the methods the bot calls, in Slack's shapes.

Every call is recorded in `workspace.calls` (method and arguments) so tests can assert what was sent.
Responses follow Slack's documentation: `{"ok": true, ...}` or `{"ok": false, "error": "..."}`, HTTP 429
with `Retry-After` for rate limits. The methods themselves live in `slack_api_<area>.py`, one table here.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
from typing import Any

from aiohttp import web

from sandbox import (
    slack_api_conversations,
    slack_api_files,
    slack_api_messages,
    slack_api_users,
    slack_api_views,
)
from sandbox.oauth import SlackOAuth
from sandbox.slack_api_arguments import Method
from sandbox.slack_api_files import upload_bytes
from sandbox.workspace import Call, SlackApiError, Workspace

METHODS: dict[str, Method] = {
    **slack_api_users.METHODS,
    **slack_api_conversations.METHODS,
    **slack_api_messages.METHODS,
    **slack_api_views.METHODS,
    **slack_api_files.METHODS,
}


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
        stored["content"] = await upload_bytes(request)
        return web.Response(text="OK")

    async def download(request: web.Request) -> web.Response:
        """A file's bytes at its `url_private`, so the sandbox page can show an uploaded chart or CSV.

        A file a person shared is served, as Slack serves it, only with the bot token in the
        Authorization header; without it Slack answers 200 with its sign-in page, and so does this."""
        stored = workspace.files.get(request.match_info["file_id"])
        if stored is None:
            return web.Response(status=404)
        if stored.get("user", workspace.bot_user_id) != workspace.bot_user_id:
            workspace.record(_recorded("GET url_private", {"file": stored["id"]}, request.headers.get("Authorization", "").removeprefix("Bearer ")))
            if request.headers.get("Authorization") != f"Bearer {workspace.bot_token}":
                return web.Response(text="<!DOCTYPE html><html><body>Sign in to Slack</body></html>", content_type="text/html")
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

