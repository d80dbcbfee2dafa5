"""4. Memory: the bot's resident memory after many requests and sweeps stays flat."""

from __future__ import annotations

import asyncio

import aiohttp

from benchmarks.common import (
    SECRET,
    bench_workspace,
    bot_env,
    figure,
    rss_megabytes,
    seed,
)
from sandbox.processes import free_port, start_process, start_web_api, stop_process
from sandbox.slack_requests import SlackRequests

WARM_REQUESTS, TOTAL_REQUESTS = 1_000, 100_000
CONCURRENCY = 32


async def send(requests: SlackRequests, count: int) -> None:
    remaining = iter(range(count))

    async def worker() -> None:
        for index in remaining:
            user = f"U{(index % 20) * 2 + 1:08d}"
            response = await requests.command(user, "help" if index % 2 else "sessions")
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}")

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


async def run(tmp_dir: str, total_requests: int = TOTAL_REQUESTS) -> dict[str, float]:
    print(f"4. Memory: resident set after {WARM_REQUESTS:,} and {total_requests:,} requests (sweeping every second)", flush=True)  # noqa: T201
    database_url = f"sqlite+aiosqlite:///{tmp_dir}/memory.db"
    await seed(database_url, pairs=1_000, sessions_per_pair=10)
    workspace = bench_workspace(people=4)
    api_runner, api_url = await start_web_api(workspace)
    port = free_port()
    env = bot_env(port=port, api_url=api_url, database_url=database_url, token=workspace.bot_token) | {"SWEEP_SECONDS": "1"}
    bot, _ = await start_process(["-m", "bot", "http"], env, f"http://127.0.0.1:{port}/healthz")
    requests = SlackRequests(workspace=workspace, bot_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SECRET, response_base_url=api_url + "../response")
    requests._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY * 2))
    try:
        await send(requests, WARM_REQUESTS)
        after_warm = rss_megabytes(bot.pid)
        await send(requests, total_requests - WARM_REQUESTS)
        after_all = rss_megabytes(bot.pid)
    finally:
        await requests.close()
        await stop_process(bot)
        await api_runner.cleanup()
    growth = (after_all - after_warm) / after_warm
    figure(f"RSS after {WARM_REQUESTS:,} requests", f"{after_warm:.1f} MB", "reported", None)
    figure(f"RSS after {total_requests:,} requests", f"{after_all:.1f} MB ({growth:+.1%})", "growth <= 10%", growth <= 0.10)
    return {"after_warm_mb": after_warm, "after_all_mb": after_all, "growth": growth}
