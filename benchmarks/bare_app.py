"""The floor: a Bolt app that only acknowledges, served the same way as the bot.

`python -m benchmarks.bare_app PORT` with SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN set. It verifies
signatures like the bot, so the comparison isolates what Flipside adds on top of Bolt.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def build() -> AsyncApp:
    client = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    async def just_ack(ack) -> None:  # noqa: ANN001
        await ack()

    app.command("/mentor")(just_ack)
    app.action(re.compile(".*"))(just_ack)
    return app


async def main(port: int) -> None:
    web_app = build().web_app(path="/slack/events")
    web_app.router.add_get("/healthz", lambda _request: web.json_response({"ok": True}))
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
