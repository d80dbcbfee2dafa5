"""Running the real bot as separate processes against the local Web API: for the benchmarks and for
the tests that need several replicas (tests/store/test_replicas.py)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from sandbox.slack_api import build_slack_api
from sandbox.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, runner.addresses[0][1]


async def start_web_api(workspace: Workspace) -> tuple[web.AppRunner, str]:
    """Serve the workspace's Web API stand-in on a free port; return its runner and base URL."""
    runner, port = await serve(build_slack_api(workspace))
    workspace.api_base_url = f"http://127.0.0.1:{port}/api/"
    return runner, workspace.api_base_url


def bot_env(*, port: int, api_url: str, database_url: str, token: str, signing_secret: str, encryption_key: str) -> dict[str, str]:
    """The environment of a `python -m bot http` process: this one's, without any Slack settings of its own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "DATABASE_URL", "PORT"))}
    env.update(
        SLACK_BOT_TOKEN=token,
        SLACK_SIGNING_SECRET=signing_secret,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        PORT=str(port),
        LOG_LEVEL="WARNING",
        FLIPSIDE_ENCRYPTION_KEY=encryption_key,
        PYTHONPATH=str(ROOT),
    )
    return env


async def start_process(
    args: list[str], env: dict[str, str], ready_url: str, limit_seconds: float = 120, log: Path | None = None
) -> tuple[asyncio.subprocess.Process, float]:
    """Start a process and wait until `ready_url` answers; return it and the seconds it took.

    Its stderr goes to `log` when given (a long-lived process's logs would fill a pipe nobody reads)."""
    started = time.perf_counter()
    sink = log.open("wb") if log is not None else None  # noqa: ASYNC230 - opened once, before the process exists
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable, *args, cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL,
            stderr=sink if sink is not None else asyncio.subprocess.PIPE,
        )
    finally:
        if sink is not None:
            sink.close()  # the process holds its own copy

    async def why() -> str:
        text = log.read_text(errors="replace") if log is not None else (await process.stderr.read()).decode()  # noqa: ASYNC240 - a failure report, once
        return text[-2000:]

    async with aiohttp.ClientSession() as session:
        while time.perf_counter() - started < limit_seconds:
            if process.returncode is not None:
                raise RuntimeError(f"{args} exited: {await why()}")
            try:
                async with session.get(ready_url) as response:
                    if response.status < 500:
                        return process, time.perf_counter() - started
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.02)
    process.kill()
    raise TimeoutError(f"{args} not ready in {limit_seconds}s")


async def stop_process(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout=20)
        except TimeoutError:
            process.kill()
            await process.wait()
