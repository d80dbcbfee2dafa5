"""3. Delivery under Slack's limits: 10,000 nudges to 10,000 people against a rate-limited Web API."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import insert, select

from benchmarks.common import KEY, NOW, figure, seed, start_web_api
from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import build_runtime
from sandbox.workspace import Member, Workspace
from store.db import make_engine
from store.models import Outbox

NUDGES = 10_000
ALLOWED_PER_SECOND = 200.0  # the stand-in answers 429 with Retry-After past this


async def run(tmp_dir: str) -> dict[str, float]:
    print(f"3. Delivery under Slack's limits: {NUDGES:,} nudges, chat.postMessage limited to {ALLOWED_PER_SECOND:.0f}/s", flush=True)  # noqa: T201
    database_url = f"sqlite+aiosqlite:///{tmp_dir}/delivery.db"
    await seed(database_url, pairs=10, sessions_per_pair=1)
    workspace = Workspace(team_id="T0BENCH0000")
    for index in range(NUDGES):
        workspace.add_member(Member(id=f"U9{index:07d}", name=f"p{index}", real_name=f"P {index}"))
    workspace.rate_limits["chat.postMessage"] = ALLOWED_PER_SECOND
    engine = make_engine(database_url, encryption_keys=KEY)
    async with engine.begin() as connection:
        await connection.execute(
            insert(Outbox),
            [
                {"team_id": "T0BENCH0000", "key": f"deliver:{index}", "kind": "reminder", "recipient_id": f"U9{index:07d}",
                 "payload": '{"text": "Your session is in an hour"}', "due_at": NOW - timedelta(minutes=1), "priority": 0,
                 "status": "pending", "attempts": 0, "last_error": "", "created_at": NOW - timedelta(hours=1)}
                for index in range(NUDGES)
            ],
        )
    api_runner, api_url = await start_web_api(workspace)
    settings = Settings(mode="http", bot_token=workspace.bot_token, signing_secret="x", slack_api_url=api_url, database_url=database_url, encryption_key=KEY)
    runtime = await build_runtime(settings, ManualClock(NOW))
    started = time.perf_counter()
    sweeps = 0
    try:
        while True:
            sweeps += 1
            report = await runtime.sweep_now()
            if report.counts.get("outbox_sent", 0) == 0 and report.counts.get("outbox_retried", 0) == 0:
                break
        seconds = time.perf_counter() - started
    finally:
        await runtime.stop()
        await api_runner.cleanup()
    async with engine.connect() as connection:
        statuses = Counter((await connection.execute(select(Outbox.status))).scalars())
    await engine.dispose()
    posted = Counter(message.channel for message in workspace.messages)
    delivered = len(posted)
    twice = sum(1 for count in posted.values() if count > 1)
    rate = delivered / seconds
    limited = len(workspace.calls_to("chat.postMessage")) - sum(posted.values())
    figure("delivered", f"{delivered:,} of {NUDGES:,} in {seconds:.1f} s ({sweeps} sweeps)", "all", delivered == NUDGES)
    figure("rate", f"{rate:.0f}/s = {rate / ALLOWED_PER_SECOND:.0%} of allowed", ">= 90% of allowed", rate >= 0.9 * ALLOWED_PER_SECOND)
    figure("lost / sent twice", f"{NUDGES - statuses.get('sent', 0)} / {twice}", "0 / 0", statuses.get("sent", 0) == NUDGES and twice == 0)
    figure("429 answers waited out", f"{limited:,}", "reported", None)
    return {"seconds": seconds, "rate": rate, "twice": twice}
