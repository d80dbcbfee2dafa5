"""1. Command latency against the floor: the bot vs a bare Bolt app, over real signed HTTP."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from benchmarks.common import (
    SECRET,
    bench_workspace,
    bot_env,
    figure,
    percentiles,
    seed,
)
from sandbox.processes import free_port, start_process, start_web_api, stop_process
from sandbox.slack_requests import SlackRequests

PAIRS, SESSIONS_PER_PAIR = 10_000, 10
REQUESTS = 400
SCENARIOS = ("/mentor help", "/mentor sessions", "button click")


async def measure(requests: SlackRequests, make_request, count: int, concurrency: int) -> list[float]:
    timings: list[float] = []
    queue = iter(range(count))

    async def worker() -> None:
        for _ in queue:
            started = time.perf_counter()
            response = await make_request()
            timings.append(time.perf_counter() - started)
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}: {response.text[:200]}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return timings


def scenarios(requests: SlackRequests) -> dict[str, object]:
    user = "U00000001"  # the mentor of pair 1, in the benchmark's own workspace
    # "Confirm" on pair 1's next booked session (the seed gives pair 1 sessions 1-10, the last ahead).
    button = {"type": "button", "action_id": "session_confirm", "block_id": "b", "value": "10"}
    return {
        "/mentor help": lambda: requests.command(user, "help"),
        "/mentor sessions": lambda: requests.command(user, "sessions"),
        "button click": lambda: requests.block_action(user, button, message={"ts": "1.000001", "text": "", "blocks": []}),
    }


async def run(tmp_dir: str) -> dict[str, dict[str, float]]:
    print("1. Command latency: bot vs bare Bolt app (ms, time to the HTTP answer)", flush=True)  # noqa: T201
    database_url = f"sqlite+aiosqlite:///{tmp_dir}/latency.db"
    await seed(database_url, pairs=PAIRS, sessions_per_pair=SESSIONS_PER_PAIR)
    workspace = bench_workspace(people=4)
    api_runner, api_url = await start_web_api(workspace)
    results: dict[str, dict[str, float]] = {}
    bot_port, bare_port = free_port(), free_port()
    env = bot_env(port=bot_port, api_url=api_url, database_url=database_url, token=workspace.bot_token)
    bot, _ = await start_process(["-m", "bot", "http"], env, f"http://127.0.0.1:{bot_port}/healthz")
    bare, _ = await start_process(["-m", "benchmarks.bare_app", str(bare_port)], env, f"http://127.0.0.1:{bare_port}/healthz")
    try:
        for label, port in (("bare", bare_port), ("bot", bot_port)):
            requests = SlackRequests(workspace=workspace, bot_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SECRET, response_base_url=api_url + "../response")
            requests._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))
            try:
                for name, make_request in scenarios(requests).items():
                    await measure(requests, make_request, 20, 1)  # warm up
                    for concurrency in (1, 20):
                        timings = await measure(requests, make_request, REQUESTS, concurrency)
                        results[f"{label} {name} c{concurrency}"] = percentiles(timings)
            finally:
                await requests.close()
    finally:
        await stop_process(bot)
        await stop_process(bare)
        await api_runner.cleanup()
    for name in SCENARIOS:
        for concurrency in (1, 20):
            bot_p, bare_p = results[f"bot {name} c{concurrency}"], results[f"bare {name} c{concurrency}"]
            ratio = bot_p["p99"] / bare_p["p99"]
            figure(
                f"{name} at {concurrency} client(s)",
                f"p50 {bot_p['p50']:.1f} p95 {bot_p['p95']:.1f} p99 {bot_p['p99']:.1f}",
                "p99 < 300 ms",
                bot_p["p99"] < 300,
            )
            figure(
                "  bare Bolt app, same requests",
                f"p50 {bare_p['p50']:.1f} p95 {bare_p['p95']:.1f} p99 {bare_p['p99']:.1f}",
                "p99 ratio <= 1.5x",
                ratio <= 1.5,
            )
            figure("  ratio bot/bare at p99", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)
    return results
