"""2. The sweep at scale: one sweep's time and SQL statement count, at 1x and 10x the data."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, insert
from sqlalchemy.engine import make_url

from benchmarks import stand_in
from benchmarks.common import KEY, NOW, figure, seed
from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import build_runtime, freeze_start_up_objects
from store.db import make_engine
from store.models import Outbox

POSTGRES_URL = os.environ.get("FLIPSIDE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
DUE = 1_000
# Seeding a million sessions takes minutes; a seeded database is kept (a SQLite file here, a PostgreSQL
# template database) and copied for each run, keyed by the schema and the seed's code.
CACHE = Path(os.environ.get("FLIPSIDE_BENCH_CACHE", Path.home() / ".cache" / "flipside-bench"))
ROOT = Path(__file__).resolve().parents[1]


def _seed_version(pairs: int) -> str:
    sources = [ROOT / "store" / "models.py", ROOT / "benchmarks" / "common.py", *sorted((ROOT / "store" / "migrations" / "versions").glob("*.py"))]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()[:12]
    return f"{pairs}-{digest}"


async def seeded_sqlite(path: str, *, pairs: int) -> float:
    """Copy the seeded SQLite file to `path`, building it first if it is not kept yet; the seconds building took."""
    cached = CACHE / f"sweep-{_seed_version(pairs)}.db"
    built = 0.0
    if not cached.exists():  # noqa: ASYNC240 - the benchmark's own files, before any timing
        started = time.perf_counter()
        CACHE.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240
        building = cached.with_suffix(".building")
        building.unlink(missing_ok=True)  # noqa: ASYNC240
        await seed(f"sqlite+aiosqlite:///{building}", pairs=pairs, sessions_per_pair=10)
        engine = make_engine(f"sqlite+aiosqlite:///{building}", encryption_keys=KEY)
        async with engine.connect() as connection:  # fold the WAL into the file, so the file is all of it
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        await engine.dispose()
        building.rename(cached)  # noqa: ASYNC240
        built = time.perf_counter() - started
    shutil.copyfile(cached, path)
    return built


async def _seeded_postgres(*, pairs: int) -> tuple[str, float] | None:
    """A fresh database copied from a seeded template (built once, the seconds it took), or None when no server answers."""
    import asyncpg

    url = make_url(POSTGRES_URL)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        connection = await asyncpg.connect(admin, timeout=3)
    except Exception:  # no server: the PostgreSQL figures are skipped, and said so
        return None
    template = f"flipside_bench_seed_{_seed_version(pairs)}".replace("-", "_")
    built = 0.0
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", template):
            started = time.perf_counter()
            building = f"{template}_building"
            await connection.execute(f'DROP DATABASE IF EXISTS "{building}"')
            await connection.execute(f'CREATE DATABASE "{building}"')
            await seed(url.set(database=building).render_as_string(hide_password=False), pairs=pairs, sessions_per_pair=10)
            await connection.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
            built = time.perf_counter() - started
        name = f"flipside_bench_{uuid.uuid4().hex[:8]}"
        await connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await connection.close()
    return url.set(database=name).render_as_string(hide_password=False), built


async def _drop_postgres(database_url: str) -> None:
    import asyncpg

    url = make_url(database_url)
    connection = await asyncpg.connect(url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False), timeout=3)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    finally:
        await connection.close()


async def _add_due_nudges(database_url: str, count: int) -> None:
    engine = make_engine(database_url, encryption_keys=KEY)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(Outbox),
                [
                    {"team_id": "T0BENCH0000", "key": f"bench:{index}", "kind": "reminder", "recipient_id": f"U{index % 40:08d}",
                     "payload": '{"text": "Your session is tomorrow"}', "due_at": NOW - timedelta(minutes=1), "priority": 0,
                     "status": "pending", "attempts": 0, "last_error": "", "created_at": NOW - timedelta(hours=1)}
                    for index in range(count)
                ],
            )
    finally:
        await engine.dispose()


async def measure(database_url: str) -> tuple[float, int, int]:
    """Seconds for one sweep over a seeded database, statements it issued, and messages it sent."""
    await _add_due_nudges(database_url, DUE)
    # The Web API stand-in in a process of its own, so that the sweep's time is the bot's.
    api = await stand_in.start(member_ids="U{:08d}", members=40)
    settings = Settings(mode="http", bot_token=api.token, signing_secret="x", slack_api_url=api.api_url, database_url=database_url, encryption_key=KEY)
    runtime = await build_runtime(settings, ManualClock(NOW))
    freeze_start_up_objects()  # as `python -m bot` does
    statements = 0

    def count(*_args) -> None:  # noqa: ANN002
        nonlocal statements
        statements += 1

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        report = await runtime.sweep_now()
        seconds = time.perf_counter() - started
    finally:
        await runtime.stop()
        await api.stop()
    return seconds, statements, report.counts.get("outbox_sent", 0)


async def run(tmp_dir: str) -> dict[str, tuple[float, int, int]]:
    print(f"2. The sweep at scale: one sweep with {DUE:,} nudges due", flush=True)  # noqa: T201
    results = {}
    built: dict[str, float] = {}
    for scale, pairs in (("1x", 10_000), ("10x", 100_000)):
        built[f"sqlite {scale}"] = await seeded_sqlite(f"{tmp_dir}/sweep-{scale}.db", pairs=pairs)
        results[f"sqlite {scale}"] = await measure(f"sqlite+aiosqlite:///{tmp_dir}/sweep-{scale}.db")
        seeded = await _seeded_postgres(pairs=pairs)
        if seeded is not None:
            postgres, built[f"postgresql {scale}"] = seeded
            try:
                results[f"postgresql {scale}"] = await measure(postgres)
            finally:
                await _drop_postgres(postgres)
    seeding = ", ".join(f"{name} {f'{seconds:.1f} s' if seconds else 'kept'}" for name, seconds in built.items())
    figure("seeding (time to build, or kept)", seeding, "reported", None)
    for database in ("sqlite", "postgresql"):
        if f"{database} 1x" not in results:
            figure(f"{database}", "skipped: no server answered", "", None)
            continue
        small, large = results[f"{database} 1x"], results[f"{database} 10x"]
        for scale, (seconds, statements, sent) in (("1x", small), ("10x", large)):
            pairs = "10,000 pairs, 100,000 sessions" if scale == "1x" else "100,000 pairs, 1,000,000 sessions"
            figure(f"{database} {pairs}", f"{seconds:.2f} s, {statements} statements, {sent} sent", "< 1 s", seconds < 1)
        figure(f"{database} statements 10x vs 1x", f"{large[1]} vs {small[1]}", "independent of pairs", large[1] <= small[1] * 1.05)
    return results
