"""The Web API stand-in's `files.*` methods: Slack's two-step external upload, shared into a DM, and
`files.info` for a file someone shared (its bytes served at `url_private` to the bot token only)."""

from __future__ import annotations

import mimetypes
from typing import Any

from aiohttp import web

from sandbox.slack_api_arguments import Method, channel_arg, json_arg, required_arg
from sandbox.workspace import Message, SlackApiError, Workspace


def files_get_upload_url(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    file_id = workspace.next_id("F")
    workspace.files[file_id] = {"id": file_id, "name": required_arg(args, "filename"), "length": int(args.get("length", 0)), "content": b""}
    return {"upload_url": f"{workspace.api_base_url}upload/{file_id}", "file_id": file_id}


def files_complete_upload(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    entries = json_arg(args, "files") or []
    shared = []
    for entry in entries:
        stored = workspace.files.get(entry.get("id"))
        if stored is None:
            raise SlackApiError("file_not_found")
        stored["title"] = entry.get("title") or stored["name"]
        shared.append({"id": stored["id"], "name": stored["name"], "title": stored["title"], "url_private": f"{workspace.api_base_url}files/{stored['id']}"})
    channel = args.get("channel_id") or args.get("channels")
    if channel:
        channel = channel_arg(workspace, {"channel": channel})
        message = Message(channel=channel, ts=workspace.next_ts(), user=workspace.bot_user_id, text=args.get("initial_comment", ""), files=shared)
        workspace.messages.append(message)
        workspace.notify("message", {"channel": channel, "ts": message.ts})
    return {"files": shared}


def file_info(workspace: Workspace, file_id: str) -> dict[str, Any]:
    """A stored file as Slack describes it (`files.info`'s `file`, and a `file_share` event's `files`)."""
    stored = workspace.files.get(file_id)
    if stored is None:
        raise SlackApiError("file_not_found")
    name = stored["name"]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "text"
    url = stored.get("url_private") or f"{workspace.api_base_url}files/{file_id}"  # a test may point it elsewhere
    return {
        "id": file_id, "created": int(workspace.now().timestamp()), "name": name, "title": stored.get("title") or name,
        "mimetype": stored.get("mimetype") or mimetypes.guess_type(name)[0] or "application/octet-stream",
        "filetype": extension, "pretty_type": extension.upper(), "user": stored.get("user", workspace.bot_user_id),
        "size": len(stored["content"]) or stored.get("length", 0), "mode": "hosted", "is_external": False,
        "url_private": url, "url_private_download": url + "?download=1",
    }


def files_info(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {"file": file_info(workspace, required_arg(args, "file"))}


async def upload_bytes(request: web.Request) -> bytes:
    """The bytes posted to an `upload_url`: the first part of a multipart body, or the body itself."""
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        part = await reader.next()
        return await part.read() if part is not None else b""  # type: ignore[union-attr]
    return await request.read()


METHODS: dict[str, Method] = {
    "files.getUploadURLExternal": files_get_upload_url,
    "files.completeUploadExternal": files_complete_upload,
    "files.info": files_info,
}
