"""The shared HTTP pool keeps a per-call time limit: a Slack that never answers is given up on."""

from __future__ import annotations

import asyncio

from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.http import CALL_TIMEOUT_SECONDS, SharedHttp
from sandbox.processes import serve


async def test_a_web_api_call_over_the_shared_pool_gives_up_after_its_time_limit():
    release = asyncio.Event()

    async def never_answers(request: web.Request) -> web.Response:
        await release.wait()
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/api/auth.test", never_answers)
    runner, port = await serve(app)
    http = SharedHttp(timeout_seconds=0.5)
    try:
        client = AsyncWebClient(token="xoxb-test", base_url=f"http://127.0.0.1:{port}/api/", session=http.session)
        call = asyncio.ensure_future(client.auth_test())
        done, _ = await asyncio.wait({call}, timeout=10)  # without a limit, aiohttp would wait 5 minutes
        assert call in done
        assert isinstance(call.exception(), asyncio.TimeoutError)
    finally:
        release.set()
        await http.close()
        await runner.cleanup()


def test_the_default_limit_is_slack_sdks_own():
    assert SharedHttp().timeout.total == CALL_TIMEOUT_SECONDS == AsyncWebClient().timeout
