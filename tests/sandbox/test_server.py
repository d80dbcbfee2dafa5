"""`python -m bot` with no tokens: the sandbox and the bot start together, say where to go, and stop cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from sandbox.server import reset_database, sqlite_path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "DATABASE_URL", "PORT", "LOG_LEVEL", "SWEEP_"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


async def _start(tmp_path: Path, *args: str) -> tuple[asyncio.subprocess.Process, list[str]]:
    # The logs go to a file: a pipe nobody reads while the test talks to the server could fill and stall it.
    with (tmp_path / "stderr.log").open("ab") as log:  # noqa: ASYNC230 (a local file, opened once)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=tmp_path, env=_env(), stdout=asyncio.subprocess.PIPE, stderr=log
        )
    lines: list[str] = []
    assert process.stdout is not None
    async with asyncio.timeout(60):
        while not any("Open http" in line for line in lines):
            line = (await process.stdout.readline()).decode()
            if not line:
                break
            lines.append(line)
    return process, lines


async def _stop(process: asyncio.subprocess.Process, tmp_path: Path) -> bytes:
    process.send_signal(signal.SIGTERM)
    await asyncio.wait_for(process.communicate(), timeout=30)
    return (tmp_path / "stderr.log").read_bytes()


async def test_no_tokens_starts_the_sandbox_prints_the_address_and_seeds_the_demo_once(tmp_path):
    port = _free_port()
    process, lines = await _start(tmp_path, "--port", str(port), "--demo")
    try:
        assert f"Open http://127.0.0.1:{port}/ in your browser" in "".join(lines)
        assert "Seeded the demo programme" in "".join(lines)
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/") as response:
                assert response.status == 200
            async with session.post(f"http://127.0.0.1:{port}/sandbox/api/send", json={"user": "U0TOM", "text": "/mentor help"}) as response:
                state = await response.json()
        assert [message["ephemeral"] for message in state["messages"]] == [True]
    finally:
        stderr = await _stop(process, tmp_path)
    assert process.returncode == 0
    assert b"Traceback" not in stderr
    assert b"stopped cleanly" in stderr
    assert (tmp_path / "flipside-sandbox.db").exists()

    again, lines = await _start(tmp_path, "--port", str(_free_port()), "--demo")
    await _stop(again, tmp_path)
    assert "was not seeded again" in "".join(lines)


def test_reset_deletes_the_sqlite_file_and_its_companions(tmp_path):
    database = tmp_path / "sandbox.db"
    for path in (database, tmp_path / "sandbox.db-wal", tmp_path / "sandbox.db-shm", tmp_path / "sandbox.db.sandbox.json", tmp_path / "sandbox.db.key"):
        path.write_bytes(b"x")
    reset_database(f"sqlite+aiosqlite:///{database}")
    assert list(tmp_path.iterdir()) == []


def test_only_sqlite_files_can_be_reset():
    assert sqlite_path("postgresql+asyncpg://postgres@127.0.0.1/test") is None
    assert sqlite_path("sqlite+aiosqlite:///flipside-sandbox.db") == Path("flipside-sandbox.db")


async def test_a_restart_carries_on_with_the_conversations_and_a_clock_that_was_moved_ahead(tmp_path):
    from bot.config import Settings
    from sandbox.server import start_sandbox

    settings = Settings(mode="sandbox", database_url=f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}", port=0)
    first = await start_sandbox(settings, port=0, scheduler=False)
    try:
        await first.page.send("U0TOM", "/mentor help")
        await first.page.move_clock(by="day")
        moved_to = first.clock.now()
    finally:
        await first.stop()
    second = await start_sandbox(settings, port=0, scheduler=False)
    try:
        assert second.clock.now() > moved_to
        assert [m["ephemeral"] for m in second.page.state("U0TOM")["messages"]] == [True]
    finally:
        await second.stop()
