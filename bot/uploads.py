"""Files in the bot's DM with a person: uploaded to them the way Slack now wants files sent, and a file
they shared fetched from its private address with the bot token."""

from __future__ import annotations

from urllib.parse import urlsplit

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient


async def upload_to_dm(client: AsyncWebClient, *, user_id: str, content: bytes, filename: str, title: str, comment: str) -> str:
    """Upload with `files_upload_v2` (files.getUploadURLExternal, a POST of the bytes, then
    files.completeUploadExternal); Slack needs a channel id, so the DM is opened first. Returns the file id."""
    opened = await client.conversations_open(users=user_id)
    response = await client.files_upload_v2(
        channel=opened["channel"]["id"], file=content, filename=filename, title=title, initial_comment=comment
    )
    return response["files"][0]["id"]


class DownloadRefused(Exception):
    """A file's bytes could not be fetched: Slack refused, sent a sign-in page, or it was too big."""


def _may_carry_token(url: str, client: AsyncWebClient) -> bool:
    """The bot token goes only to Slack's own hosts (or the Web API's host, as in the sandbox): a file's
    URL comes from Slack, but a token must never be sent where a lookalike address points."""
    host = (urlsplit(url).hostname or "").lower()
    api_host = (urlsplit(client.base_url).hostname or "").lower()
    return host == api_host or host == "slack.com" or host.endswith(".slack.com")


async def download_private(client: AsyncWebClient, url: str, *, limit: int) -> bytes:
    """A file's bytes from its `url_private`, with the bot token in the Authorization header (the way
    Slack serves files to apps); at most `limit` bytes, else DownloadRefused. Without the right token or
    scope Slack answers 200 with its sign-in page, so an HTML answer is a refusal too."""
    if not _may_carry_token(url, client):
        raise DownloadRefused("not a Slack file address")
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as http, http.get(
        url, headers={"Authorization": f"Bearer {client.token}"}, allow_redirects=False
    ) as response:
        if response.status != 200 or response.content_type == "text/html":
            raise DownloadRefused(f"HTTP {response.status} {response.content_type}")
        content = bytearray()
        async for chunk in response.content.iter_chunked(64 * 1024):
            content += chunk
            if len(content) > limit:  # files.info's size was small; what came is not: stop reading
                raise DownloadRefused("too big")
    return bytes(content)
