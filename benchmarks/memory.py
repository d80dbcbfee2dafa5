"""4. Memory: the bot's resident memory after many requests and sweeps stays flat.

The bot runs in this process (its own HTTP server on a local port), so the benchmark can also run
10,000 sweeps back to back instead of waiting for the scheduler's interval. The client side is
created before the first reading, so what grows between readings is the bot's.
"""

from __future__ import annotations

import asyncio
import os
import time

import aiohttp

from benchmarks.common import KEY, NOW, SECRET, bench_workspace, figure, rss_megabytes, seed
from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import build_runtime
from sandbox.processes import start_web_api
from sandbox.slack_requests import SlackRequests

# The issue asks for 100,000 requests; at about 150 a second on this 2-core machine that alone is
# eleven minutes, past `make bench`'s ten. The default is 20,000 (twenty times the warm-up);
# FLIPSIDE_BENCH_MEMORY_REQUESTS=100000 runs the full count.
WARM_REQUESTS = 1_000
TOTAL_REQUESTS = int(os.environ.get("FLIPSIDE_BENCH_MEMORY_REQUESTS", "20000"))
WARM_SWEEPS, TOTAL_SWEEPS = 100, 10_000
CONCURRENCY = 32


async def send(requests: SlackRequests, count: int) -> None:
    remaining = iter(range(count))

    async def worker() -> None:
        for index in remaining:
            user = f"U{(index % 20) * 2 + 1:08d}"
            # Wait for the answer, not just the ack: commands acknowledge first, and a client that only
            # waited for acks would pile up unanswered work faster than any bot can do it.
            reply = await requests.command_reply(user, "help" if index % 2 else "sessions", within=30)
            if reply is None:
                raise RuntimeError("no answer within 30 s")

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


def _forget(workspace) -> None:  # noqa: ANN001
    workspace.calls.clear()
    workspace.messages.clear()
    workspace.responses.clear()


async def run(tmp_dir: str, total_requests: int = TOTAL_REQUESTS, total_sweeps: int = TOTAL_SWEEPS) -> dict[str, float]:
    print(f"4. Memory: resident set after {WARM_REQUESTS:,} requests and {WARM_SWEEPS} sweeps, then after {total_requests:,} and {total_sweeps:,}", flush=True)  # noqa: T201
    database_url = f"sqlite+aiosqlite:///{tmp_dir}/memory.db"
    await seed(database_url, pairs=1_000, sessions_per_pair=10)
    workspace = bench_workspace(people=40)
    api_runner, api_url = await start_web_api(workspace)
    settings = Settings(mode="http", bot_token=workspace.bot_token, signing_secret=SECRET, slack_api_url=api_url, database_url=database_url, encryption_key=KEY)
    runtime = await build_runtime(settings, ManualClock(NOW))
    port = await runtime.serve_http(host="127.0.0.1", port=0)
    requests = SlackRequests(workspace=workspace, bot_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SECRET, response_base_url=api_url + "../response")
    requests._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY * 2))
    started = time.perf_counter()
    try:
        await send(requests, WARM_REQUESTS)
        for _ in range(WARM_SWEEPS):
            await runtime.sweep_now()
        _forget(workspace)  # the stand-in's transcript is the benchmark's, not the bot's
        after_warm = rss_megabytes(os.getpid())
        for sent in range(WARM_REQUESTS, total_requests, 10_000):
            await send(requests, min(10_000, total_requests - sent))
            _forget(workspace)
        for _ in range(total_sweeps - WARM_SWEEPS):
            await runtime.sweep_now()
        after_all = rss_megabytes(os.getpid())
    finally:
        await requests.close()
        await runtime.stop()
        await api_runner.cleanup()
    growth = (after_all - after_warm) / after_warm
    figure("time taken, requests and sweeps", f"{time.perf_counter() - started:.0f} s", "reported", None)
    figure("RSS after the warm-up", f"{after_warm:.1f} MB", "reported", None)
    figure(f"RSS after {total_requests:,} requests, {total_sweeps:,} sweeps", f"{after_all:.1f} MB ({growth:+.1%})", "growth <= 10%", growth <= 0.10)
    return {"after_warm_mb": after_warm, "after_all_mb": after_all, "growth": growth}
