"""5. Start-up: from `python -m bot` to answering /healthz, on a fresh and on a full database."""

from __future__ import annotations

import statistics

from benchmarks.common import bench_workspace, bot_env, figure
from benchmarks.sweep import seeded_sqlite
from sandbox.processes import free_port, start_process, start_web_api, stop_process

RUNS = 3


async def time_start(database_url: str, api_url: str, token: str) -> float:
    port = free_port()
    process, seconds = await start_process(["-m", "bot", "http"], bot_env(port=port, api_url=api_url, database_url=database_url, token=token), f"http://127.0.0.1:{port}/healthz")
    await stop_process(process)
    return seconds


async def run(tmp_dir: str) -> dict[str, float]:
    print("5. Start-up: `python -m bot http` to ready (seconds, median of 3)", flush=True)  # noqa: T201
    workspace = bench_workspace(people=2)
    api_runner, api_url = await start_web_api(workspace)
    try:
        fresh = []
        for run_number in range(RUNS):
            fresh.append(await time_start(f"sqlite+aiosqlite:///{tmp_dir}/fresh-{run_number}.db", api_url, workspace.bot_token))
        await seeded_sqlite(f"{tmp_dir}/full.db", pairs=10_000)  # the sweep's seeded database, kept between runs
        full_url = f"sqlite+aiosqlite:///{tmp_dir}/full.db"
        full = [await time_start(full_url, api_url, workspace.bot_token) for _ in range(RUNS)]
    finally:
        await api_runner.cleanup()
    result = {"fresh": statistics.median(fresh), "full": statistics.median(full)}
    figure("fresh database (migrations from nothing)", f"{result['fresh']:.2f} s", "reported", None)
    figure("full database (10,000 pairs, 100,000 sessions)", f"{result['full']:.2f} s", "reported", None)
    return result
