"""What the benchmarks share (processes are started by sandbox/processes.py): seeding a large database, percentiles."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import statistics
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path

from sqlalchemy import Column, Table
from sqlalchemy.engine import Dialect, make_url

from domain.statuses import SessionStatus
from sandbox import processes
from sandbox.workspace import Member, Workspace
from store.db import make_engine, migrate
from store.models import Charter, Enrolment, MentoringSession, Pair, Person, Programme, ProgrammeAdmin

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
    `now` places the data in time (a benchmark of a bot on the system clock passes the real time, so its
    programmes are under way). The schema comes from the migrations; the rows are written in bulk
    (`_bulk_load`), so a million sessions take seconds, not minutes.
    """
    engine = make_engine(database_url, encryption_keys=KEY)
    try:
        await migrate(engine)
        dialect = engine.dialect
    finally:
        await engine.dispose()
    start = now.date() - timedelta(days=149)  # 5 Jan 2026 for the default NOW
    teams = [team_id] + [f"T{index:010d}" for index in range(1, programmes)]
    numbers = range(programmes)
    indexes = range(pairs)
    pair_teams = [teams[index % programmes] for index in indexes]
    pair_programmes = [index % programmes + 1 for index in indexes]
    mentors = [f"U{2 * index + 1:08d}" for index in indexes]
    mentees = [f"U{2 * index + 2:08d}" for index in indexes]
    enrolled, agreed = now - timedelta(days=140), now - timedelta(days=135)
    # Each pair's sessions, every 14 days up to two weeks ahead, shifted by the pair's index % 7 hours;
    # every fifth one past is cancelled, the other past ones held, the last (in the future) booked.
    starts = {(number, hours): now - timedelta(days=14 * (sessions_per_pair - number - 2), hours=hours)
              for number in range(sessions_per_pair) for hours in range(7)}
    sessions = [(index, number) for index in indexes for number in range(sessions_per_pair)]
    session_starts = [starts[number, index % 7] for index, number in sessions]

    def status(starts_at: datetime, number: int) -> str:
        return SessionStatus.BOOKED if starts_at > now else (SessionStatus.CANCELLED if number % 5 == 4 else SessionStatus.HELD)

    tables = [
        (Programme, {"starts_on": start, "ends_on": start + timedelta(days=182), "created_by": "U00000000", "created_at": now - timedelta(days=150)},
         {"team_id": teams, "name": [f"Cohort {number}" for number in numbers]}),
        (ProgrammeAdmin, {"user_id": "U00000000"}, {"team_id": teams, "programme_id": [number + 1 for number in numbers]}),
        (Pair, {"status": "active", "created_at": enrolled},
         {"team_id": pair_teams, "programme_id": pair_programmes, "mentor_id": mentors, "mentee_id": mentees}),
        # Two people, and two enrolments, per pair: its mentor, then its mentee.
        (Person, {"tz": "Europe/London", "department": "", "interests": "", "muted_nudges": "", "updated_at": now},
         {"team_id": _twice(pair_teams), "user_id": _interleave(mentors, mentees), "name": _interleave(mentors, mentees)}),
        (Enrolment, {"enrolled_at": enrolled},
         {"team_id": _twice(pair_teams), "programme_id": _twice(pair_programmes), "user_id": _interleave(mentors, mentees), "role": ["mentor", "mentee"] * pairs}),
        (Charter, {"driver": "mentee", "cadence_days": 14, "session_minutes": 60, "format": "video", "confidentiality": True, "ground_rules": "", "version": 1,
                   "mentor_agreed_at": agreed, "mentee_agreed_at": agreed, "updated_at": agreed},
         {"team_id": pair_teams, "pair_id": [index + 1 for index in indexes], "updated_by": mentors}),
        (MentoringSession, {"minutes": 60, "topic_key": "", "topic": "", "location": "", "logged_after": False, "mentor_confirmed": True,
                            "mentee_confirmed": True, "reschedules": 0, "late_cancel": False},
         {"team_id": [pair_teams[index] for index, _ in sessions], "pair_id": [index + 1 for index, _ in sessions], "starts_at": session_starts,
          "status": [status(starts_at, number) for starts_at, (_, number) in zip(session_starts, sessions, strict=True)],
          "booked_by": [mentees[index] for index, _ in sessions], "created_at": [starts_at - timedelta(days=7) for starts_at in session_starts]}),
    ]
    await _bulk_load(database_url, dialect, [(model.__table__, constants, columns) for model, constants, columns in tables])


def _twice(values: list[str] | list[int]) -> list:
    """Each value twice in a row: a pair's column for its two people."""
    return [value for value in values for _ in range(2)]


def _interleave(first: list[str], second: list[str]) -> list[str]:
    """first[0], second[0], first[1], ...: each pair's mentor, then its mentee."""
    return [value for both in zip(first, second, strict=True) for value in both]


def _stored(value: object) -> object:
    """An enum member as its value: the drivers, unlike SQLAlchemy, are given plain values."""
    return value.value if isinstance(value, Enum) else value


Load = tuple[Table, dict[str, object], dict[str, list]]


def _prepared(table: Table, constants: dict[str, object], columns: dict[str, list], dialect: Dialect) -> tuple[list[str], Iterator[tuple]]:
    """Column names and rows exactly as SQLAlchemy would have written these dicts, without its per-row cost."""
    # The same bind processing (times as SQLite's text, for one); each column left out takes its
    # model default, and the serial id comes from the database, as before.
    def processed(column: Column, values: list) -> list:
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        values = [_stored(value) for value in values]
        # Few distinct values (the seed's times repeat), so the processing is done once per value.
        return values if process is None else list(map(functools.lru_cache(maxsize=None)(process), values))

    fixed = dict(constants)
    for column in table.columns:
        if column.name not in columns and column.name not in fixed and not column.primary_key and column.default is not None:
            fixed[column.name] = column.default.arg
    given = [processed(table.columns[name], values) for name, values in columns.items()]
    fixed_row = tuple(processed(table.columns[name], [value])[0] for name, value in fixed.items())
    return [*columns, *fixed], (row + fixed_row for row in zip(*given, strict=True))


async def _bulk_load(database_url: str, dialect: Dialect, loads: list[Load]) -> None:
    """Rows in one transaction, by COPY on PostgreSQL and sqlite3's executemany (in a thread) on SQLite: seconds for a million."""
    url = make_url(database_url)
    if dialect.name == "postgresql":
        import asyncpg

        connection = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
        try:
            async with connection.transaction():
                for table, constants, columns in loads:
                    names, rows = _prepared(table, constants, columns, dialect)
                    await connection.copy_records_to_table(table.name, records=rows, columns=names)
            # The planner's statistics, whether or not autovacuum got round to the new tables before the
            # template is copied (the slow seed gave it minutes; this one takes seconds); copies keep them.
            await connection.execute("ANALYZE")
        finally:
            await connection.close()
        return

    def load() -> None:
        connection = sqlite3.connect(url.database)
        try:
            connection.execute("PRAGMA synchronous=OFF")  # a seed that fails is thrown away
            with connection:
                for table, constants, columns in loads:
                    names, rows = _prepared(table, constants, columns, dialect)
                    quoted = ", ".join(f'"{name}"' for name in names)
                    connection.executemany(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(names))})', rows)
        finally:
            connection.close()

    await asyncio.to_thread(load)
