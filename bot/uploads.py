"""Files for a person: uploaded into the bot's DM with them, the way Slack now wants files sent."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient


async def upload_to_dm(client: AsyncWebClient, *, user_id: str, content: bytes, filename: str, title: str, comment: str) -> str:
    """Upload with `files_upload_v2` (files.getUploadURLExternal, a POST of the bytes, then
    files.completeUploadExternal); Slack needs a channel id, so the DM is opened first. Returns the file id."""
    opened = await client.conversations_open(users=user_id)
    response = await client.files_upload_v2(
        channel=opened["channel"]["id"], file=content, filename=filename, title=title, initial_comment=comment
    )
    return response["files"][0]["id"]
