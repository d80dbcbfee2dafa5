"""3. Delivery under Slack's limits: 10,000 nudges to 10,000 people against a rate-limited Web API.

Half the nudges are session reminders (sent at any hour), half momentum nudges (each checked against
the person's quiet hours, mutes and weekly cap), to people the store knows, as enrolled people are.
The stand-in runs in its own process (benchmarks/stand_in.py), so the rate measured is the bot's.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, insert, select

from benchmarks import stand_in
from benchmarks.common import KEY, NOW, figure, seed
from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import build_runtime
from store.db import make_engine
from store.models import Outbox, Person

NUDGES = 10_000
ALLOWED_PER_SECOND = 200.0  # the stand-in answers 429 with Retry-After past this
RECIPIENT = "U9{:07d}"


async def _add_nudges(database_url: str) -> None:
    engine = make_engine(database_url, encryption_keys=KEY)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(Person),
                [
                    {"team_id": stand_in.TEAM_ID, "user_id": RECIPIENT.format(index), "name": f"P {index}", "tz": "Europe/London",
                     "department": "", "interests": "", "muted_nudges": "", "updated_at": NOW}
                    for index in range(NUDGES)
                ],
            )
            await connection.execute(
                insert(Outbox),
                [
                    {"team_id": stand_in.TEAM_ID, "key": f"deliver:{index}", "kind": "reminder" if index % 2 else "momentum",
                     "recipient_id": RECIPIENT.format(index), "payload": '{"text": "Time to book your next session"}',
                     "due_at": NOW - timedelta(minutes=1), "priority": 0, "status": "pending", "attempts": 0, "last_error": "",
                     "created_at": NOW - timedelta(hours=1)}
                    for index in range(NUDGES)
                ],
            )
    finally:
        await engine.dispose()


async def run(tmp_dir: str) -> dict[str, float]:
    print(f"3. Delivery under Slack's limits: {NUDGES:,} nudges to {NUDGES:,} people, chat.postMessage limited to {ALLOWED_PER_SECOND:.0f}/s", flush=True)  # noqa: T201
    database_url = f"sqlite+aiosqlite:///{tmp_dir}/delivery.db"
    await seed(database_url, pairs=10, sessions_per_pair=1)
    await _add_nudges(database_url)
    engine = make_engine(database_url, encryption_keys=KEY)
    api = await stand_in.start(member_ids=RECIPIENT, members=NUDGES, rate_limits={"chat.postMessage": ALLOWED_PER_SECOND})
    try:
        settings = Settings(mode="http", bot_token=api.token, signing_secret="x", slack_api_url=api.api_url, database_url=database_url, encryption_key=KEY)
        clock = ManualClock(NOW)
        runtime = await build_runtime(settings, clock)
        started = time.perf_counter()
        sweeps = 0
        try:
            while True:
                sweeps += 1
                report = await runtime.sweep_now()
                if report.counts.get("outbox_sent", 0) == 0 and report.counts.get("outbox_retried", 0) == 0:
                    break
            seconds = time.perf_counter() - started
            # A post refused with 429 more often than the client retries goes back to pending with a
            # backoff (a minute, then two...): not lost, sent when due. Let those minutes pass.
            async with engine.connect() as connection:
                backed_off = (await connection.execute(select(func.count()).where(Outbox.status == "pending"))).scalar_one()
            for _ in range(8):
                clock.advance(timedelta(minutes=30))
                if (await runtime.sweep_now()).counts.get("outbox_sent", 0) == 0:
                    break
        finally:
            await runtime.stop()
        posted, limited = await api.posts()
    finally:
        await api.stop()
    async with engine.connect() as connection:
        statuses = Counter((await connection.execute(select(Outbox.status))).scalars())
    await engine.dispose()
    delivered = sum(1 for _ in posted)
    twice = sum(1 for count in posted.values() if count > 1)
    rate = (NUDGES - backed_off) / seconds
    figure("delivered", f"{delivered:,} of {NUDGES:,}; {NUDGES - backed_off:,} in {seconds:.1f} s ({sweeps} sweeps)", "all", delivered == NUDGES)
    figure("backed off after repeated 429s, sent later", f"{backed_off:,}", "reported", None)
    figure("rate", f"{rate:.0f}/s = {rate / ALLOWED_PER_SECOND:.0%} of allowed", ">= 90% of allowed", rate >= 0.9 * ALLOWED_PER_SECOND)
    figure("lost / sent twice", f"{NUDGES - statuses.get('sent', 0)} / {twice}", "0 / 0", statuses.get("sent", 0) == NUDGES and twice == 0)
    figure("429 answers waited out", f"{limited:,}", "reported", None)
    return {"seconds": seconds, "rate": rate, "twice": twice}
