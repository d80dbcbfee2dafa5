"""What the benchmarks share (processes are started by sandbox/processes.py): seeding a large database, percentiles."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from sandbox import processes
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

SECRET = "benchmark-signing-secret"
KEY = "YmVuY2htYXJrLWtleS1mb3ItZmxpcHNpZGUtb25seSE="
NOW = datetime(2026, 6, 3, 10, 0, tzinfo=UTC)


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def figure(name: str, value: str, goal: str, met: bool | None) -> None:
    verdict = "" if met is None else ("  [goal met]" if met else "  [goal MISSED]")
    print(f"  {name:<46} {value:<28} goal: {goal}{verdict}", flush=True)  # noqa: T201


def bench_workspace(people: int = 40) -> Workspace:
    workspace = Workspace(team_id="T0BENCH0000")
    zones = ["Europe/London", "America/New_York", "Europe/Paris", "Asia/Kolkata"]
    for index in range(people):
        workspace.add_member(Member(id=f"U{index:08d}", name=f"person{index}", real_name=f"Person {index}", tz=zones[index % 4]))
    return workspace


def bot_env(*, port: int, api_url: str, database_url: str, token: str) -> dict[str, str]:
    return processes.bot_env(
        port=port, api_url=api_url, database_url=database_url, token=token, signing_secret=SECRET, encryption_key=KEY
    )


def rss_megabytes(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def seed(database_url: str, *, pairs: int, sessions_per_pair: int, team_id: str = "T0BENCH0000", programmes: int = 100,
               now: datetime = NOW) -> None:
    """A provider-sized database: `programmes` workspaces' programmes, `pairs` pairs, their sessions.

    The benchmark's own workspace (team_id) holds the first programme; the rest belong to other teams.
    Bulk Core inserts, so seeding 100,000 sessions takes seconds, not minutes. `now` places the data in
    time (a benchmark of a bot on the system clock passes the real time, so its programmes are under way).
    """
    engine = make_engine(database_url, encryption_keys=KEY)
    await migrate(engine)
    start = now.date() - timedelta(days=149)  # 5 Jan 2026 for the default NOW
    try:
        async with engine.begin() as connection:
            teams = [team_id] + [f"T{index:010d}" for index in range(1, programmes)]
            await connection.execute(
                insert(Programme),
                [
                    {"team_id": team, "name": f"Cohort {index}", "starts_on": start, "ends_on": start + timedelta(days=182), "created_by": "U00000000", "created_at": now - timedelta(days=150)}
                    for index, team in enumerate(teams)
                ],
            )
            await connection.execute(insert(ProgrammeAdmin), [{"team_id": team, "programme_id": index + 1, "user_id": "U00000000"} for index, team in enumerate(teams)])
            pair_rows, people, enrolments, charters = [], [], [], []
            for index in range(pairs):
                programme = index % programmes
                team = teams[programme]
                mentor, mentee = f"U{2 * index + 1:08d}", f"U{2 * index + 2:08d}"
                pair_rows.append({"team_id": team, "programme_id": programme + 1, "mentor_id": mentor, "mentee_id": mentee, "status": "active", "created_at": now - timedelta(days=140)})
                for user in (mentor, mentee):
                    people.append({"team_id": team, "user_id": user, "name": user, "tz": "Europe/London", "department": "", "interests": "", "muted_nudges": "", "updated_at": now})
                enrolments += [
                    {"team_id": team, "programme_id": programme + 1, "user_id": mentor, "role": "mentor", "enrolled_at": now - timedelta(days=140)},
                    {"team_id": team, "programme_id": programme + 1, "user_id": mentee, "role": "mentee", "enrolled_at": now - timedelta(days=140)},
                ]
                charters.append({"team_id": team, "pair_id": index + 1, "driver": "mentee", "cadence_days": 14, "session_minutes": 60, "format": "video", "confidentiality": True, "ground_rules": "", "version": 1, "mentor_agreed_at": now - timedelta(days=135), "mentee_agreed_at": now - timedelta(days=135), "updated_by": mentor, "updated_at": now - timedelta(days=135)})
            await connection.execute(insert(Pair), pair_rows)
            await connection.execute(insert(Person), people)
            await connection.execute(insert(Enrolment), enrolments)
            await connection.execute(insert(Charter), charters)
            batch = []
            for index in range(pairs):
                team = teams[index % programmes]
                for number in range(sessions_per_pair):
                    starts = now - timedelta(days=14 * (sessions_per_pair - number - 2), hours=index % 7)
                    status = SessionStatus.BOOKED if starts > now else (SessionStatus.CANCELLED if number % 5 == 4 else SessionStatus.HELD)
                    batch.append({"team_id": team, "pair_id": index + 1, "starts_at": starts, "minutes": 60, "topic_key": "", "topic": "", "location": "", "status": status, "booked_by": f"U{2 * index + 2:08d}", "logged_after": False, "mentor_confirmed": True, "mentee_confirmed": True, "reschedules": 0, "late_cancel": False, "created_at": starts - timedelta(days=7)})
                if len(batch) >= 20_000:
                    await connection.execute(insert(MentoringSession), batch)
                    batch = []
            if batch:
                await connection.execute(insert(MentoringSession), batch)
    finally:
        await engine.dispose()
