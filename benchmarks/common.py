"""What the benchmarks share: starting processes, seeding a large database, percentiles."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import insert

from sandbox.slack_api import build_slack_api
from sandbox.workspace import Member, Workspace
from store.db import make_engine, migrate
from store.models import (
    Charter,
    Enrolment,
    MentoringSession,
    Pair,
    Person,
    Programme,
    ProgrammeAdmin,
    SessionStatus,
)

ROOT = Path(__file__).resolve().parents[1]
SECRET = "benchmark-signing-secret"
KEY = "YmVuY2htYXJrLWtleS1mb3ItZmxpcHNpZGUtb25seSE="
NOW = datetime(2026, 6, 3, 10, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def figure(name: str, value: str, goal: str, met: bool | None) -> None:
    verdict = "" if met is None else ("  [goal met]" if met else "  [goal MISSED]")
    print(f"  {name:<46} {value:<28} goal: {goal}{verdict}", flush=True)  # noqa: T201


async def serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, runner.addresses[0][1]


def bench_workspace(people: int = 40) -> Workspace:
    workspace = Workspace(team_id="T0BENCH0000")
    zones = ["Europe/London", "America/New_York", "Europe/Paris", "Asia/Kolkata"]
    for index in range(people):
        workspace.add_member(Member(id=f"U{index:08d}", name=f"person{index}", real_name=f"Person {index}", tz=zones[index % 4]))
    return workspace


async def start_web_api(workspace: Workspace) -> tuple[web.AppRunner, str]:
    runner, port = await serve(build_slack_api(workspace))
    workspace.api_base_url = f"http://127.0.0.1:{port}/api/"
    return runner, workspace.api_base_url


def bot_env(*, port: int, api_url: str, database_url: str, token: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "DATABASE_URL", "PORT"))}
    env.update(
        SLACK_BOT_TOKEN=token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        PORT=str(port),
        LOG_LEVEL="WARNING",
        FLIPSIDE_ENCRYPTION_KEY=KEY,
        PYTHONPATH=str(ROOT),
    )
    return env


async def start_process(args: list[str], env: dict[str, str], ready_url: str, limit_seconds: float = 120) -> tuple[asyncio.subprocess.Process, float]:
    """Start a process and wait until `ready_url` answers; return it and the seconds it took."""
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    async with aiohttp.ClientSession() as session:
        while time.perf_counter() - started < limit_seconds:
            if process.returncode is not None:
                raise RuntimeError(f"{args} exited: {(await process.stderr.read()).decode()[-2000:]}")
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


def rss_megabytes(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def seed(database_url: str, *, pairs: int, sessions_per_pair: int, team_id: str = "T0BENCH0000", programmes: int = 100) -> None:
    """A provider-sized database: `programmes` workspaces' programmes, `pairs` pairs, their sessions.

    The benchmark's own workspace (team_id) holds the first programme; the rest belong to other teams.
    Bulk Core inserts, so seeding 100,000 sessions takes seconds, not minutes.
    """
    engine = make_engine(database_url, encryption_keys=KEY)
    await migrate(engine)
    start = date(2026, 1, 5)
    try:
        async with engine.begin() as connection:
            teams = [team_id] + [f"T{index:010d}" for index in range(1, programmes)]
            await connection.execute(
                insert(Programme),
                [
                    {"team_id": team, "name": f"Cohort {index}", "starts_on": start, "ends_on": start + timedelta(days=182), "created_by": "U00000000", "created_at": NOW - timedelta(days=150)}
                    for index, team in enumerate(teams)
                ],
            )
            await connection.execute(insert(ProgrammeAdmin), [{"team_id": team, "programme_id": index + 1, "user_id": "U00000000"} for index, team in enumerate(teams)])
            pair_rows, people, enrolments, charters = [], [], [], []
            for index in range(pairs):
                programme = index % programmes
                team = teams[programme]
                mentor, mentee = f"U{2 * index + 1:08d}", f"U{2 * index + 2:08d}"
                pair_rows.append({"team_id": team, "programme_id": programme + 1, "mentor_id": mentor, "mentee_id": mentee, "status": "active", "created_at": NOW - timedelta(days=140)})
                for user in (mentor, mentee):
                    people.append({"team_id": team, "user_id": user, "name": user, "tz": "Europe/London", "department": "", "interests": "", "muted_nudges": "", "updated_at": NOW})
                enrolments += [
                    {"team_id": team, "programme_id": programme + 1, "user_id": mentor, "role": "mentor", "enrolled_at": NOW - timedelta(days=140)},
                    {"team_id": team, "programme_id": programme + 1, "user_id": mentee, "role": "mentee", "enrolled_at": NOW - timedelta(days=140)},
                ]
                charters.append({"team_id": team, "pair_id": index + 1, "driver": "mentee", "cadence_days": 14, "session_minutes": 60, "format": "video", "confidentiality": True, "ground_rules": "", "version": 1, "mentor_agreed_at": NOW - timedelta(days=135), "mentee_agreed_at": NOW - timedelta(days=135), "updated_by": mentor, "updated_at": NOW - timedelta(days=135)})
            await connection.execute(insert(Pair), pair_rows)
            await connection.execute(insert(Person), people)
            await connection.execute(insert(Enrolment), enrolments)
            await connection.execute(insert(Charter), charters)
            batch = []
            for index in range(pairs):
                team = teams[index % programmes]
                for number in range(sessions_per_pair):
                    starts = NOW - timedelta(days=14 * (sessions_per_pair - number - 2), hours=index % 7)
                    status = SessionStatus.BOOKED if starts > NOW else (SessionStatus.CANCELLED if number % 5 == 4 else SessionStatus.HELD)
                    batch.append({"team_id": team, "pair_id": index + 1, "starts_at": starts, "minutes": 60, "topic_key": "", "topic": "", "location": "", "status": status, "booked_by": f"U{2 * index + 2:08d}", "logged_after": False, "mentor_confirmed": True, "mentee_confirmed": True, "reschedules": 0, "late_cancel": False, "created_at": starts - timedelta(days=7)})
                if len(batch) >= 20_000:
                    await connection.execute(insert(MentoringSession), batch)
                    batch = []
            if batch:
                await connection.execute(insert(MentoringSession), batch)
    finally:
        await engine.dispose()
