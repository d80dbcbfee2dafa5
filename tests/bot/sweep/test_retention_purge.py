"""Retention: a programme's personal text is erased once its retention period after the end is up,
not a day before, once, with its figures kept and its admins told once."""

from __future__ import annotations

import dataclasses
from datetime import datetime, time, timedelta

import pytest
from sqlmodel import select

from bot.rules.health import build_report
from bot.sweep import retention
from bot.sweep.steps import sweep
from store import reports
from store.models import Outbox, Programme
from tests.conftest import START
from tests.factories import TEAM, make_pair, make_programme
from tests.factories_privacy import ADMIN, PARTNER_SECRET, decrypted, raw_rows, seed_pair_with_history
from tests.factories_sessions import make_goal

ENDS_ON = START.date() - timedelta(days=1)
KEPT_DAYS = 30
DUE = datetime.combine(ENDS_ON + timedelta(days=KEPT_DAYS), time(9), tzinfo=START.tzinfo)


@pytest.fixture
async def seeded(bot):
    async with bot.services.sessions.begin() as session:
        return await seed_pair_with_history(session, ends_on=ENDS_ON, retention_days=KEPT_DAYS, status="closed")


async def _report(bot, programme_id: int):
    async with bot.services.sessions() as session:
        programme = await session.get(Programme, programme_id)
        history = await reports.load_history(session, team_id=TEAM, programme=programme)
    return build_report(history, START)


async def _purge_messages(bot) -> list[Outbox]:
    async with bot.services.sessions() as session:
        return list((await session.exec(select(Outbox).where(Outbox.kind == "retention_purged"))).all())


async def test_nothing_is_erased_the_day_before_the_retention_period_is_up(bot, seeded):
    assert await retention.purge_expired_programmes(bot.services, DUE - timedelta(days=1)) == 0
    everything = decrypted(await raw_rows(bot.services.sessions))
    assert PARTNER_SECRET in everything and "MENTOR-GOAL" in everything
    assert await _purge_messages(bot) == []


async def test_what_people_wrote_is_erased_once_the_period_is_up(bot, seeded):
    assert await retention.purge_expired_programmes(bot.services, DUE) == 1
    rows = await raw_rows(bot.services.sessions)
    everything = decrypted({name: table for name, table in rows.items() if name != "person"})
    assert "MENTOR-" not in everything and "PARTNER-" not in everything
    assert "Shared rule" not in everything and "Hybrid working" not in everything
    assert all(row["learning"] == "" for row in rows["reflection"])
    assert [row["safety"] for row in rows["reflection"]] == [5, 3, 4, 2]  # the numbers stay


async def test_the_purge_keeps_the_programme_figures(bot, seeded):
    before = await _report(bot, seeded.programme.id)
    await retention.purge_expired_programmes(bot.services, DUE)
    after = await _report(bot, seeded.programme.id)
    assert dataclasses.asdict(after.cohort) == dataclasses.asdict(before.cohort)
    assert dataclasses.asdict(after.check_ins) == dataclasses.asdict(before.check_ins)


async def test_the_purge_happens_once_and_the_admins_are_told_once(bot, seeded):
    assert await retention.purge_expired_programmes(bot.services, DUE) == 1
    assert await retention.purge_expired_programmes(bot.services, DUE + timedelta(days=1)) == 0
    messages = await _purge_messages(bot)
    assert [(message.recipient_id, message.key) for message in messages] == [(ADMIN, f"retention-purged:{seeded.programme.id}:{ADMIN}")]
    assert "Spring cohort" in messages[0].payload and "30 days" in messages[0].payload
    async with bot.services.sessions() as session:
        programme = await session.get(Programme, seeded.programme.id)
    assert programme.personal_data_purged_at == DUE


async def test_the_sweep_runs_the_purge(bot, seeded):
    report = await sweep(bot.services, bot.clients, DUE)
    assert report.counts["programmes_purged"] == 1


async def test_the_purge_leaves_other_programmes_alone(bot, seeded):
    async with bot.services.sessions.begin() as session:
        newer = await make_programme(session, now=START, name="Next cohort")
        pair = await make_pair(session, programme=newer, now=START, mentor_id="U0OTHER", mentee_id="U0OWNER")
        await make_goal(session, pair=pair, owner_id="U0OTHER", text="NEWER-GOAL", updated_at=START)
    await retention.purge_expired_programmes(bot.services, DUE)
    assert "NEWER-GOAL" in decrypted(await raw_rows(bot.services.sessions))
