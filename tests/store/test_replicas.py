"""Three replicas of the bot (`python -m bot http`) share one PostgreSQL database and 1,000 due nudges.

Each is delivered exactly once, and still exactly once when a replica is killed mid-sweep or the
database connections are cut: what a replica had claimed and not settled is taken over once its lease
runs out, and Slack's chat.postMessage has no idempotency key, so a post that had reached Slack before
its claimant died (or lost the database before recording it) would be sent again. The survivors look
for such posts in the recipient's DM first (every post carries its outbox key as message metadata), and
the tests count, from the stand-in's transcript, none lost and none doubled.

The replicas run on the wall clock, so the nudges are session reminders (not tied to a stored
session): they go out at any hour, outside quiet hours and the weekly cap.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from domain.nudges import Kind
from domain.statuses import OutboxStatus
from sandbox.processes import bot_env, free_port, start_process, start_web_api, stop_process
from sandbox.workspace import Member, Workspace
from store import outbox
from store.crypto import new_key
from store.db import make_engine, make_session_factory, migrate
from store.models import Outbox
from tests.conftest import ENCRYPTION_KEY, SIGNING_SECRET

pytestmark = pytest.mark.postgres

NUDGES = 1000
REPLICAS = 3
TEAM = "T0REPLICAS"
SETTLED = (OutboxStatus.SENT, OutboxStatus.DEAD)
WITHIN_SECONDS = 60  # for all nudges to be settled; they take about a tenth of that here


# One snapshot of the other connections to this database; all of them terminated only if one is busy
# writing the outbox (a transaction settling posts, or claiming rows, not yet committed).
CUT_WHEN_BUSY = """
WITH others AS (
    SELECT pid, state <> 'idle' AND query ILIKE 'UPDATE outbox%' AS busy
    FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
)
SELECT count(pg_terminate_backend(pid)), (SELECT count(*) FROM others WHERE busy)
FROM others WHERE EXISTS (SELECT 1 FROM others WHERE busy)
"""


def _key(index: int) -> str:
    return f"replicas:reminder:{index:04d}"


def _recipient(index: int) -> str:
    return f"U{index:08d}"


@dataclass
class Replicas:
    """The stand-in Slack (in this process), one database, and the bot processes sharing it."""

    workspace: Workspace
    database_url: str
    logs: Path
    sessions: object
    processes: list[asyncio.subprocess.Process] = field(default_factory=list)

    async def start(self, count: int, **settings: str) -> None:
        ports = [free_port() for _ in range(count)]
        started = await asyncio.gather(
            *(
                start_process(
                    ["-m", "bot", "http"],
                    bot_env(
                        port=port, api_url=self.workspace.api_base_url, database_url=self.database_url,
                        token=self.workspace.bot_token, signing_secret=SIGNING_SECRET, encryption_key=ENCRYPTION_KEY,
                    )
                    | {"SWEEP_SECONDS": "1", **settings},
                    f"http://127.0.0.1:{port}/healthz",
                    log=self.logs / f"replica-{index}.log",
                )
                for index, port in enumerate(ports)
            )
        )
        self.processes = [process for process, _ in started]

    async def seed(self) -> None:
        """1,000 reminders due a minute ago, each to its own person, committed at once."""
        now = datetime.now(UTC)
        async with self.sessions.begin() as session:
            for index in range(NUDGES):
                await outbox.enqueue(
                    session, team_id=TEAM, key=_key(index), kind=Kind.REMINDER, recipient_id=_recipient(index),
                    message={"text": f"Reminder {index}: your session starts in an hour."},
                    due_at=now - timedelta(minutes=1), now=now,
                )

    async def seed_under_another_key(self, count: int) -> list[str]:
        """Reminders written by a replica holding another key, due before all the others (first in every claim)."""
        now = datetime.now(UTC)
        other = make_engine(self.database_url, encryption_keys=new_key())
        try:
            async with make_session_factory(other).begin() as session:
                for index in range(count):
                    await outbox.enqueue(
                        session, team_id=TEAM, key=f"replicas:foreign:{index}", kind=Kind.REMINDER, recipient_id=_recipient(index),
                        message={"text": "written under another key"}, due_at=now - timedelta(minutes=2), now=now,
                    )
        finally:
            await other.dispose()
        return [f"replicas:foreign:{index}" for index in range(count)]

    async def reasons(self, keys: list[str]) -> dict[str, tuple[str, str]]:
        async with self.sessions() as session:
            result = await session.exec(select(Outbox.key, Outbox.status, Outbox.last_error).where(col(Outbox.key).in_(keys)))
            return {key: (status, error) for key, status, error in result.all()}

    async def rows(self) -> dict[str, tuple[str, str | None]]:
        """Each nudge's status and who claimed (or sent) it."""
        async with self.sessions() as session:
            result = await session.exec(select(Outbox.key, Outbox.status, Outbox.claimed_by))
            return {key: (status, claimed_by) for key, status, claimed_by in result.all()}

    async def wait_until_settled(self) -> dict[str, tuple[str, str | None]]:
        """Poll the database (the replicas are other processes) until every nudge is sent (or dead), or give up."""
        deadline = time.monotonic() + WITHIN_SECONDS
        while True:
            rows = await self.rows()
            if all(status in SETTLED for status, _ in rows.values()) or time.monotonic() > deadline:
                return rows
            await asyncio.sleep(0.2)

    async def in_doubt(self) -> int:
        """Rows a replica took over from a claim that ran out unsettled (the claim marks them so)."""
        async with self.sessions() as session:
            return len((await session.exec(select(Outbox.key).where(col(Outbox.last_error).startswith(outbox.CLAIM_EXPIRED)))).all())

    async def cut_database_connections(self) -> int:
        """Terminate every other connection to the database (the replicas' pools) at a moment when some
        of them are writing the outbox (a settle or a claim under way); how many of those were cut.
        Polls pg_stat_activity until such a moment comes."""
        for _ in range(1000):
            async with self.sessions.begin() as session:  # a transaction each: pg_stat_activity is read once per transaction
                cut, busy = (await session.exec(text(CUT_WHEN_BUSY))).one()
            if cut:
                return int(busy)
        raise AssertionError("no replica was ever busy on the database")

    async def wait_for_posts_in_flight(self, count: int, *, held_by: int | None = None) -> None:
        """Wait until at least `count` posts are out and some post is in flight (Slack has taken it and not
        yet answered), of a row claimed by replica `held_by` when given."""
        deadline = time.monotonic() + WITHIN_SECONDS
        while time.monotonic() < deadline:
            calls = self.workspace.calls_to("chat.postMessage")
            flying = {call.args["metadata"]["event_payload"]["key"] for call in calls if not call.answered}
            if len(calls) >= count and flying:
                if held_by is None:
                    return
                rows = await self.rows()
                if any(rows[key][0] == OutboxStatus.CLAIMED and self.replica_of(rows[key][1]) == held_by for key in flying):
                    return
            await asyncio.sleep(0.02)
        raise AssertionError(f"no post in flight after {count} posts")

    def posts(self) -> list[tuple[str, str]]:
        """(key, channel) of every chat.postMessage the stand-in received, in order."""
        return [
            (call.args["metadata"]["event_payload"]["key"], call.args["channel"])
            for call in self.workspace.calls_to("chat.postMessage")
        ]

    def replica_of(self, claimed_by: str | None) -> int | None:
        """Which replica a claim belongs to: claims name the claimant's process id (bot/sweep/delivery.py)."""
        pid = int(claimed_by.rsplit("-", 2)[1]) if claimed_by else None
        return next((index for index, process in enumerate(self.processes) if process.pid == pid), None)

    def delivered_by(self, rows: dict[str, tuple[str, str | None]]) -> Counter[int | None]:
        return Counter(self.replica_of(claimed_by) for status, claimed_by in rows.values() if status == OutboxStatus.SENT)


@pytest.fixture
async def replicas(fresh_postgres: str, tmp_path: Path) -> AsyncIterator[Replicas]:
    workspace = Workspace(team_id=TEAM)
    for index in range(NUDGES):
        workspace.add_member(Member(id=_recipient(index), name=f"person{index}", real_name=f"Person {index}"))
    api, _ = await start_web_api(workspace)
    engine = make_engine(fresh_postgres, encryption_keys=ENCRYPTION_KEY)
    await migrate(engine)
    world = Replicas(workspace=workspace, database_url=fresh_postgres, logs=tmp_path, sessions=make_session_factory(engine))
    try:
        yield world
    finally:
        await asyncio.gather(*(stop_process(process) for process in world.processes))
        await engine.dispose()
        await api.cleanup()


def _report(capsys: pytest.CaptureFixture[str], *lines: str) -> None:
    """Show the figures in the test run's output, captured or not."""
    with capsys.disabled():
        sys.stdout.write("\n" + "".join(f"  {line}\n" for line in lines))


async def test_three_replicas_deliver_a_thousand_due_nudges_exactly_once(replicas, capsys):
    started = time.monotonic()
    await replicas.start(REPLICAS)
    up = time.monotonic()
    await replicas.seed()  # after all three are up, so they all sweep the same due rows
    seeded = time.monotonic()
    rows = await replicas.wait_until_settled()
    await asyncio.gather(*(stop_process(process) for process in replicas.processes))

    posts = replicas.posts()
    expected = {(_key(index), _recipient(index)) for index in range(NUDGES)}
    assert set(posts) == expected
    assert [key for key, count in Counter(key for key, _ in posts).items() if count != 1] == []
    assert Counter(status for status, _ in rows.values()) == {OutboxStatus.SENT: NUDGES}
    delivered = replicas.delivered_by(rows)
    _report(
        capsys,
        f"3 replicas, {NUDGES} nudges: {len(posts)} posts, each nudge once; up in {up - started:.1f}s, "
        f"seeded in {seeded - up:.1f}s, all sent {time.monotonic() - seeded:.1f}s later",
        "delivered per replica: " + ", ".join(f"#{index}: {delivered[index]}" for index in range(REPLICAS)),
    )
    # Every sent row was claimed by one of the replicas, and more than one of them was claiming at once
    # (how the rows split is up to timing: with batches of 200, two replicas can take all five).
    assert set(delivered) <= set(range(REPLICAS))
    assert len(delivered) >= 2


def _count(posts: list[tuple[str, str]]) -> tuple[list[str], dict[str, int]]:
    """The nudges never posted, and those posted more than once (with how many times)."""
    counted = Counter(key for key, _ in posts)
    lost = sorted(_key(index) for index in range(NUDGES) if counted[_key(index)] == 0)
    return lost, {key: count for key, count in counted.items() if count > 1}


async def test_a_replica_killed_mid_sweep_loses_nothing_and_repeats_nothing(replicas, capsys):
    started = time.monotonic()
    # Until the kill, Slack answers each call 50 ms after it took effect, so a replica spends most of
    # its sweep waiting on posts that have already gone out. A short lease (well above the time a
    # batch takes) lets the survivors take over the dead replica's claims soon.
    replicas.workspace.delay_seconds = 0.05
    await replicas.start(REPLICAS, OUTBOX_LEASE_SECONDS="10")
    await replicas.seed()
    victim = replicas.processes[0]

    # Kill replica #0 (SIGKILL) once 100 nudges are out and Slack holds a post of a row it has claimed.
    await replicas.wait_for_posts_in_flight(100, held_by=0)
    victim.kill()
    await victim.wait()
    replicas.workspace.delay_seconds = 0
    posted_before_death = {key for key, _ in replicas.posts()}
    rows = await replicas.rows()
    in_its_hands = {key for key, (status, by) in rows.items() if status == OutboxStatus.CLAIMED and replicas.replica_of(by) == 0}
    # Its posts that Slack took and it never recorded: on main, each was sent a second time.
    taken_unrecorded = in_its_hands & posted_before_death
    assert taken_unrecorded, "replica #0 was to die with posts Slack had taken and it had not recorded"

    rows = await replicas.wait_until_settled()
    await asyncio.gather(*(stop_process(process) for process in replicas.processes[1:]))

    lost, doubled = _count(replicas.posts())
    delivered = replicas.delivered_by(rows)
    _report(
        capsys,
        f"3 replicas, {NUDGES} nudges, replica #0 killed mid-sweep holding {len(in_its_hands)} claims, "
        f"{len(taken_unrecorded)} of them posted; settled in {time.monotonic() - started:.1f}s",
        f"lost: {len(lost)}; doubled: {len(doubled)} {sorted(doubled)}; "
        f"conversations.history calls: {len(replicas.workspace.calls_to('conversations.history'))}",
        "delivered per replica: " + ", ".join(f"#{index}: {delivered[index]}" for index in range(REPLICAS)),
    )
    assert (lost, doubled) == ([], {})
    assert Counter(status for status, _ in rows.values()) == {OutboxStatus.SENT: NUDGES}
    # What it held was settled by the survivors once its lease ran out: its posts found in the DMs.
    assert {replicas.replica_of(rows[key][1]) for key in in_its_hands} <= {1, 2}


async def test_cutting_the_database_connections_mid_sweep_loses_nothing_and_repeats_nothing(replicas, capsys):
    started = time.monotonic()
    replicas.workspace.delay_seconds = 0.05
    await replicas.start(REPLICAS, OUTBOX_LEASE_SECONDS="10")
    await replicas.seed()
    # Cut every replica's connections three times, while posts are in flight and a settle (or a claim)
    # is under way: it fails, its pass stops, and its claimed rows wait for their lease to run out
    # (among them posts Slack took that were never recorded).
    cuts: list[int] = []
    for posts in (150, 350, 550):
        await replicas.wait_for_posts_in_flight(posts)
        cuts.append(await replicas.cut_database_connections())
    replicas.workspace.delay_seconds = 0

    rows = await replicas.wait_until_settled()
    await asyncio.gather(*(stop_process(process) for process in replicas.processes))

    lost, doubled = _count(replicas.posts())
    _report(
        capsys,
        f"3 replicas, {NUDGES} nudges, database connections cut {len(cuts)} times mid-sweep ({sum(cuts)} of them writing the outbox); "
        f"settled in {time.monotonic() - started:.1f}s",
        f"lost: {len(lost)}; doubled: {len(doubled)} {sorted(doubled)}; "
        f"conversations.history calls: {len(replicas.workspace.calls_to('conversations.history'))}",
    )
    assert (lost, doubled) == ([], {})
    assert Counter(status for status, _ in rows.values()) == {OutboxStatus.SENT: NUDGES}
    # The cuts did leave claims to run out unsettled, and the survivors took them over (checking each).
    assert sum(cuts) > 0 and await replicas.in_doubt() > 0


async def test_rows_written_under_an_unknown_key_are_dead_and_hold_up_no_replica(replicas):
    """A replica started with another key wrote a few rows, due before all the rest: every replica
    claims them first. Each is marked dead with its reason; the thousand others go out once each."""
    await replicas.start(REPLICAS)
    foreign = await replicas.seed_under_another_key(5)
    await replicas.seed()
    rows = await replicas.wait_until_settled()
    await asyncio.gather(*(stop_process(process) for process in replicas.processes))

    posts = replicas.posts()
    assert sorted(posts) == sorted((_key(index), _recipient(index)) for index in range(NUDGES))
    assert Counter(status for key, (status, _) in rows.items() if key not in foreign) == {OutboxStatus.SENT: NUDGES}
    assert await replicas.reasons(foreign) == {key: (OutboxStatus.DEAD, outbox.UNDECRYPTABLE) for key in foreign}
