"""The local Web API stand-in in a process of its own, so that what a benchmark measures is the bot.

Served in the benchmark's own event loop, the stand-in's work (parsing each call, recording it)
would share one core with the bot's and be counted as the bot's. `python -m benchmarks.stand_in`
serves a workspace of `--members` people with optional per-method rate limits, and answers
`GET /bench/posts` with how many messages each channel got and how many calls were refused.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter

import aiohttp
from aiohttp import web

from sandbox.processes import free_port, start_process, stop_process
from sandbox.slack_api import build_slack_api
from sandbox.workspace import Member, Workspace

TEAM_ID = "T0BENCH0000"


class StandIn:
    """A running stand-in process, seen from the benchmark."""

    def __init__(self, process: asyncio.subprocess.Process, port: int, token: str) -> None:
        self.process = process
        self.api_url = f"http://127.0.0.1:{port}/api/"
        self.token = token
        self._posts_url = f"http://127.0.0.1:{port}/bench/posts"

    async def posts(self) -> tuple[Counter[str], int]:
        """Messages posted per channel, and calls answered with 429."""
        async with aiohttp.ClientSession() as session, session.get(self._posts_url) as response:
            body = await response.json()
        return Counter(body["posts"]), body["limited"]

    async def stop(self) -> None:
        await stop_process(self.process)


async def start(*, member_ids: str, members: int, rate_limits: dict[str, float] | None = None) -> StandIn:
    """`member_ids` is a format for each member's id (`"U9{:07d}"`), filled with 0 .. members-1."""
    port = free_port()
    args = ["-m", "benchmarks.stand_in", "--port", str(port), "--member-ids", member_ids, "--members", str(members)]
    for method, rate in (rate_limits or {}).items():
        args += ["--rate-limit", f"{method}={rate}"]
    process, _ = await start_process(args, env=None, ready_url=f"http://127.0.0.1:{port}/bench/posts")
    return StandIn(process, port, Workspace(team_id=TEAM_ID).bot_token)


def _workspace(member_ids: str, members: int, rate_limits: list[str]) -> Workspace:
    workspace = Workspace(team_id=TEAM_ID)
    for index in range(members):
        user_id = member_ids.format(index)
        workspace.add_member(Member(id=user_id, name=f"p{index}", real_name=f"Person {index}"))
    for limit in rate_limits:
        method, rate = limit.split("=")
        workspace.rate_limits[method] = float(rate)
    return workspace


async def _serve(port: int, workspace: Workspace) -> None:
    app = build_slack_api(workspace)
    limited = 0

    @web.middleware
    async def count(request: web.Request, handler):  # noqa: ANN001, ANN202
        nonlocal limited
        response = await handler(request)
        if response.status == 429:
            limited += 1
        return response

    async def posts(_request: web.Request) -> web.Response:
        posted = Counter(message.channel for message in workspace.messages if message.ephemeral_to is None)
        return web.json_response({"posts": posted, "limited": limited})

    app.middlewares.append(count)
    app.router.add_get("/bench/posts", posts)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    workspace.api_base_url = f"http://127.0.0.1:{port}/api/"
    # The transcript of calls is the tests' tool; a long benchmark would only grow it.
    workspace.record = lambda _call: None  # type: ignore[method-assign]
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stand_in")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--member-ids", required=True)
    parser.add_argument("--members", type=int, required=True)
    parser.add_argument("--rate-limit", action="append", default=[])
    options = parser.parse_args()
    asyncio.run(_serve(options.port, _workspace(options.member_ids, options.members, options.rate_limit)))
