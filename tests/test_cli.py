"""`python -m bot` as a person runs it: help, clear refusals, and http mode end to end."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import WRONG_KEY, build_runtime
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.crypto import new_key
from store.db import make_engine
from store.rotate_keys import rotate_all

ROOT = Path(__file__).resolve().parents[1]
SECRET = "cli-test-secret"


def _run(args, env, **kwargs):
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=kwargs.pop("cwd", ROOT), env=env, capture_output=True, text=True, timeout=60, **kwargs)


def _clean_env(tmp_path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "DATABASE_URL", "PORT", "LOG_LEVEL", "SWEEP_"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_help_explains_modes_and_every_variable(tmp_path):
    result = _run(["--help"], _clean_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0
    for word in ("socket", "http", "sandbox", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "DATABASE_URL", "PORT", "LOG_LEVEL"):
        assert word in result.stdout


def test_bad_settings_stop_with_one_line_each_and_no_traceback(tmp_path):
    env = _clean_env(tmp_path) | {"SLACK_BOT_TOKEN": "not-a-token", "SLACK_SIGNING_SECRET": "s", "PORT": "x"}
    result = _run(["http"], env, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert "flipside: SLACK_BOT_TOKEN must start with 'xoxb-' (the Bot User OAuth Token)." in lines
    assert "flipside: PORT='x' is not a whole number (expected 1 to 65535)." in lines


def test_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("SLACK_APP_TOKEN=xapp-from-dotenv\n")
    result = _run([], _clean_env(tmp_path), cwd=tmp_path)
    # The app token picked socket mode; the missing bot token is then reported, from .env's choice.
    assert result.returncode == 2
    assert "socket mode needs the bot token" in result.stderr


async def test_http_mode_serves_signed_requests_and_stops_cleanly(tmp_path, workspace: Workspace, slack_api: str):
    port = _free_port()
    env = _clean_env(tmp_path) | {
        "SLACK_BOT_TOKEN": workspace.bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack_api,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "PORT": str(port),
        "LOG_LEVEL": "INFO",
        "FLIPSIDE_ENCRYPTION_KEY": "dGVzdC1rZXktZm9yLWZsaXBzaWRlLXRlc3RzLW9ubHk=",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "http", cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    requests = SlackRequests(workspace=workspace, bot_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SECRET, response_base_url=slack_api + "../response")
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(300):
                try:
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                        health = await response.json()
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
        assert health == {"database": "ok", "scheduler": "running"}

        answer = await requests.command_reply("U0MENTOR", "help")
        assert answer is not None and answer["response_type"] == "ephemeral"

        forged = await requests.post(requests.command_body("U0MENTOR", "help"), "application/x-www-form-urlencoded", headers={"X-Slack-Signature": "v0=forged"})
        assert forged.status == 401
        stale = await requests.post(requests.command_body("U0MENTOR", "help"), "application/x-www-form-urlencoded", timestamp="1000000000")
        assert stale.status == 401

        await requests.app_home_opened("U0MENTEE")
        publishes = await workspace.wait_for_calls("views.publish")
        assert [call.args["user_id"] for call in publishes] == ["U0MENTEE"]
    finally:
        await requests.close()
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0
    assert b"stopped cleanly" in stderr
    assert b"Traceback" not in stderr


def test_starting_the_bot_leaves_the_chart_and_matching_libraries_unloaded():
    """matplotlib and SciPy cost every process most of a second and tens of MB; only the report's
    chart and suggested matching need them, so they load on first use."""
    probe = "import sys, bot.runtime; print(sorted(m for m in ('matplotlib', 'scipy', 'numpy') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def _first_start(database_url: str, key: str) -> None:
    """Start and stop the bot once on a new database with `key`, as its first replica would."""

    async def start_and_stop() -> None:
        settings = Settings(mode="http", bot_token="xoxb-first", signing_secret=SECRET, database_url=database_url, port=0, encryption_key=key)
        runtime = await build_runtime(settings, ManualClock(datetime(2026, 3, 4, 10, 0, tzinfo=UTC)))
        await runtime.stop()

    asyncio.run(start_and_stop())


def test_a_bot_given_only_a_key_the_database_was_not_written_under_refuses_to_start_and_says_what_to_do(tmp_path, workspace: Workspace):
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    old_key, new_key_only = new_key(), new_key()
    _first_start(database_url, old_key)
    env = _clean_env(tmp_path) | {
        "SLACK_BOT_TOKEN": workspace.bot_token, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "DATABASE_URL": database_url, "PORT": str(_free_port()), "FLIPSIDE_ENCRYPTION_KEY": new_key_only,
    }
    result = _run(["http"], env, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"flipside: {WRONG_KEY}" in result.stderr.splitlines()
    assert "FLIPSIDE_ENCRYPTION_KEY=<new>,<old>" in WRONG_KEY


def test_the_new_key_with_the_old_one_after_it_starts_and_after_rotation_the_new_key_alone_does(tmp_path):
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    old_key, newer_key = new_key(), new_key()
    _first_start(database_url, old_key)
    _first_start(database_url, f"{newer_key},{old_key}")

    async def rotate() -> None:
        engine = make_engine(database_url, encryption_keys=f"{newer_key},{old_key}")
        try:
            await rotate_all(engine)
        finally:
            await engine.dispose()

    asyncio.run(rotate())
    _first_start(database_url, newer_key)  # raises WrongKey if the check value was left under the old key
