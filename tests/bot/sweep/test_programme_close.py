"""The programme's mid-point, close, final report and peer-support post, run by the sweep, each once."""

import json
from datetime import UTC, datetime, time, timedelta

from sqlmodel import select

from bot.sweep.programme_close import FINAL_REPORT_AFTER_DAYS, midpoint_of
from bot.sweep.steps import sweep
from domain.statuses import PairStatus
from store.models import Outbox, Pair, Programme
from tests.conftest import START
from tests.factories import make_pair, make_programme
from tests.factories_history import make_check_in


async def seed(bot, **programme_fields) -> Programme:
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START, **programme_fields)
        await make_pair(session, programme=programme, now=START)
        await make_pair(session, programme=programme, now=START, mentor_id="U0M2", mentee_id="U0E2")
        await make_pair(session, programme=programme, now=START, mentor_id="U0M3", mentee_id="U0E3", status=PairStatus.ENDED, ended_at=START)
    return programme


def morning(day) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


async def outbox(bot, kind: str) -> list[Outbox]:
    async with bot.services.sessions.begin() as session:
        return list((await session.exec(select(Outbox).where(Outbox.kind == kind).order_by(Outbox.id))).all())


async def run_sweep(bot, now: datetime):
    return await sweep(bot.services, bot.clients, now)


async def test_nothing_is_asked_before_the_half_way_day(bot):
    programme = await seed(bot)
    await run_sweep(bot, morning(midpoint_of(programme)) - timedelta(days=1))
    assert await outbox(bot, "check_in_midpoint") == []


async def test_the_midpoint_check_in_goes_to_each_side_of_each_open_pair_once(bot):
    programme = await seed(bot)
    half_way = morning(midpoint_of(programme))
    first = await run_sweep(bot, half_way)
    again = await run_sweep(bot, half_way + timedelta(days=2))
    rows = await outbox(bot, "check_in_midpoint")
    assert sorted(row.recipient_id for row in rows) == ["U0E2", "U0M2", "U0MENTEE", "U0MENTOR"]
    assert (first.counts["midpoint_check_ins"], again.counts["midpoint_check_ins"]) == (4, 0)
    assert "check_in_open" in rows[0].payload


async def test_at_the_end_date_both_sides_get_a_closing_reflection_and_pairs_end_once(bot):
    programme = await seed(bot)
    end = morning(programme.ends_on)
    first = await run_sweep(bot, end)
    again = await run_sweep(bot, end + timedelta(hours=1))
    assert sorted(row.recipient_id for row in await outbox(bot, "check_in_closing")) == ["U0E2", "U0M2", "U0MENTEE", "U0MENTOR"]
    assert [row.recipient_id for row in await outbox(bot, "programme_ended")] == ["U0ADMIN"]
    assert (first.counts["programmes_closed"], again.counts["programmes_closed"]) == (5, 0)
    async with bot.services.sessions.begin() as session:
        pairs = (await session.exec(select(Pair))).all()
    assert {pair.status for pair in pairs} == {PairStatus.ENDED}


async def test_the_final_report_goes_to_the_admin_once_with_the_recommendation_score(bot):
    programme = await seed(bot, k_anonymity=3)
    end = morning(programme.ends_on)
    await run_sweep(bot, end)
    async with bot.services.sessions.begin() as session:
        pairs = (await session.exec(select(Pair).order_by(Pair.id))).all()
        answers = ((pairs[0], "U0MENTOR", 10), (pairs[0], "U0MENTEE", 9), (pairs[1], "U0M2", 3), (pairs[1], "U0E2", 8), (pairs[2], "U0M3", 7))
        for pair, user_id, score in answers:
            await make_check_in(session, pair=pair, user_id=user_id, kind="closing", now=end, recommend=score, goals_achieved="some", take_part_again="yes")
    await run_sweep(bot, end + timedelta(days=FINAL_REPORT_AFTER_DAYS))
    await run_sweep(bot, end + timedelta(days=FINAL_REPORT_AFTER_DAYS + 1))
    reports = await outbox(bot, "final_report")
    assert [row.recipient_id for row in reports] == ["U0ADMIN"]
    assert "recommendation score +20" in reports[0].payload  # 2 promoters, 1 detractor of 5 (never fewer than 5 people)
    async with bot.services.sessions.begin() as session:
        stored = await session.get(Programme, programme.id)
    assert stored.status == "closed"


async def test_the_final_report_withholds_the_score_below_k_people(bot):
    programme = await seed(bot, k_anonymity=3)
    end = morning(programme.ends_on)
    await run_sweep(bot, end)
    async with bot.services.sessions.begin() as session:
        pair = (await session.exec(select(Pair).order_by(Pair.id))).first()
        for user_id in ("U0MENTOR", "U0MENTEE"):
            await make_check_in(session, pair=pair, user_id=user_id, kind="closing", now=end, recommend=10, goals_achieved="all", take_part_again="yes")
    await run_sweep(bot, end + timedelta(days=FINAL_REPORT_AFTER_DAYS))
    payload = (await outbox(bot, "final_report"))[0].payload
    assert "recommendation score" not in payload and "not enough responses to show" in payload


async def test_the_peer_channel_gets_one_post_a_month_with_cohort_figures_only(bot):
    await seed(bot, peer_channel_id="C0MENTORS")
    await run_sweep(bot, START + timedelta(days=1))
    await run_sweep(bot, START + timedelta(days=2))
    await run_sweep(bot, START + timedelta(days=31))
    posts = await outbox(bot, "peer_support")
    assert [(row.recipient_id, row.key.rsplit(":", 1)[1]) for row in posts] == [("C0MENTORS", "2026-03"), ("C0MENTORS", "2026-04")]
    text = json.dumps(json.loads(posts[0].payload))
    assert "<@" not in text and "The cohort so far" in text


async def test_no_peer_post_without_a_peer_channel(bot):
    await seed(bot)
    await run_sweep(bot, START + timedelta(days=1))
    assert await outbox(bot, "peer_support") == []
