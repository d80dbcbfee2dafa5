"""Outbox delivery against the local Web API: each row sent once, Slack's errors handled as Slack asks."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from bot.sweep.delivery import deliver_due
from domain.statuses import OutboxStatus, PairStatus
from sandbox.workspace import SlackApiError, Workspace
from store import outbox
from store.crypto import new_key
from store.db import make_engine, make_session_factory
from store.models import MentoringSession, Outbox
from tests.factories import make_pair, make_person, make_programme
from tests.slack_failures import FAILURE_SHAPES

TEAM = "T0FLIPSIDE"


async def _enqueue(bot: Runtime, key: str, *, due_at: datetime, kind: str = "reminder", recipient: str = "U0MENTOR", **extra) -> None:
    async with bot.services.sessions.begin() as session:
        await outbox.enqueue(session, team_id=TEAM, key=key, kind=kind, recipient_id=recipient, message={"text": key},
                             due_at=due_at, now=due_at, **extra)


async def _rows(bot: Runtime) -> dict[str, Outbox]:
    async with bot.services.sessions() as session:
        return {row.key: row for row in (await session.exec(select(Outbox))).all()}


async def _deliver(bot: Runtime, clock: ManualClock):
    return await deliver_due(bot.services, bot.clients, clock.now())


def _posted(workspace: Workspace) -> list[tuple[str, str]]:
    return [(call.args["channel"], call.args["text"]) for call in workspace.calls_to("chat.postMessage")]


async def test_a_due_row_is_posted_to_the_person_and_marked_sent(bot, clock, workspace):
    await _enqueue(bot, "k1", due_at=clock.now())
    await _enqueue(bot, "later", due_at=clock.now() + timedelta(minutes=1))
    await _deliver(bot, clock)
    assert _posted(workspace) == [("U0MENTOR", "k1")]
    rows = await _rows(bot)
    assert (rows["k1"].status, rows["k1"].sent_at) == (OutboxStatus.SENT, clock.now())
    assert rows["later"].status == OutboxStatus.PENDING


async def test_two_deliveries_at_once_send_each_row_once(bot, clock, workspace):
    for index in range(12):
        await _enqueue(bot, f"k{index}", due_at=clock.now())
    await asyncio.gather(_deliver(bot, clock), _deliver(bot, clock))
    assert sorted(text for _, text in _posted(workspace)) == sorted(f"k{index}" for index in range(12))
    assert {row.status for row in (await _rows(bot)).values()} == {OutboxStatus.SENT}


async def test_a_permanent_error_marks_the_row_dead_with_the_reason(bot, clock, workspace):
    workspace.failures["chat.postMessage"] = [SlackApiError("account_inactive")]
    await _enqueue(bot, "k1", due_at=clock.now())
    await _deliver(bot, clock)
    clock.advance(timedelta(hours=2))
    await _deliver(bot, clock)
    row = (await _rows(bot))["k1"]
    assert (row.status, row.last_error, row.attempts) == (OutboxStatus.DEAD, "account_inactive", 1)
    assert len(workspace.calls_to("chat.postMessage")) == 1


async def test_a_server_error_on_a_post_is_left_to_the_outbox_in_doubt_and_retried_later_with_backoff(bot, clock, workspace):
    # A 500 may come after Slack took the message: the client does not post again at once (slack_sdk's
    # server-error retry would); the row waits, marked in doubt, and is looked for in the DM first.
    workspace.failures["chat.postMessage"] = [SlackApiError("internal_error", status=500) for _ in range(3)]
    await _enqueue(bot, "k1", due_at=clock.now())
    await _deliver(bot, clock)
    assert len(workspace.calls_to("chat.postMessage")) == 1
    row = (await _rows(bot))["k1"]
    assert (row.status, row.attempts, row.due_at, row.last_error) == (
        OutboxStatus.PENDING, 1, clock.now() + timedelta(minutes=1), outbox.IN_DOUBT + "internal_error"
    )
    workspace.failures["chat.postMessage"] = []
    clock.advance(timedelta(minutes=1))
    await _deliver(bot, clock)
    assert (await _rows(bot))["k1"].status == OutboxStatus.SENT
    assert len(workspace.calls_to("conversations.history")) == 1
    assert _posted(workspace)[-1] == ("U0MENTOR", "k1")


async def test_a_rate_limit_is_waited_out_and_the_message_sent(bot, clock, workspace):
    workspace.failures["chat.postMessage"] = [SlackApiError("ratelimited", status=429, headers={"Retry-After": "0"})]
    await _enqueue(bot, "k1", due_at=clock.now())
    await _deliver(bot, clock)
    assert (await _rows(bot))["k1"].status == OutboxStatus.SENT
    assert len(workspace.calls_to("chat.postMessage")) == 2


async def test_a_reminder_whose_session_has_started_is_withdrawn_not_sent_late(bot, clock, workspace):
    await _enqueue(bot, "k1", due_at=clock.now(), expires_at=clock.now() + timedelta(minutes=30))
    clock.advance(timedelta(hours=3))  # the sweeps stopped for hours
    await _deliver(bot, clock)
    assert (await _rows(bot))["k1"].status == OutboxStatus.WITHDRAWN
    assert workspace.calls_to("chat.postMessage") == []


async def test_a_claim_whose_lease_ran_out_is_delivered_by_the_next_sweep(bot, clock, workspace):
    await _enqueue(bot, "k1", due_at=clock.now())
    async with bot.services.sessions.begin() as session:
        row_id = (await session.exec(select(Outbox.id))).one()
        crashed = await outbox.claim_one(session, outbox_id=row_id, now=clock.now(), worker="crashed",
                                         lease_until=clock.now() + timedelta(minutes=5))
    assert crashed is not None
    await _deliver(bot, clock)
    assert workspace.calls_to("chat.postMessage") == []
    clock.advance(timedelta(minutes=6))
    await _deliver(bot, clock)
    assert _posted(workspace) == [("U0MENTOR", "k1")]


async def test_a_nudge_due_at_night_waits_for_ten_the_next_working_day(bot, clock, workspace):
    async with bot.services.sessions.begin() as session:
        await make_programme(session, now=clock.now())
        await make_person(session, user_id="U0ADMIN", tz="Europe/London", now=clock.now())
    clock.set(datetime(2026, 3, 4, 21, 0, tzinfo=UTC))
    await _enqueue(bot, "nudge", due_at=clock.now(), kind="momentum", recipient="U0ADMIN")
    await _deliver(bot, clock)
    assert workspace.calls_to("chat.postMessage") == []
    assert (await _rows(bot))["nudge"].due_at == datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    clock.set(datetime(2026, 3, 5, 10, 0, tzinfo=UTC))
    await _deliver(bot, clock)
    assert _posted(workspace) == [("U0ADMIN", "nudge")]


async def test_at_most_three_nudges_a_week_most_important_first(bot, clock, workspace):
    async with bot.services.sessions.begin() as session:
        await make_programme(session, now=clock.now())
        await make_person(session, user_id="U0ADMIN", tz="Europe/London", now=clock.now())
    for priority in (1, 5, 3, 4):
        await _enqueue(bot, f"p{priority}", due_at=clock.now(), kind="momentum", recipient="U0ADMIN", priority=priority)
    await _deliver(bot, clock)
    assert [text for _, text in _posted(workspace)] == ["p5", "p4", "p3"]
    assert (await _rows(bot))["p1"].due_at == clock.now() + timedelta(days=7)


async def test_a_reminder_for_a_paused_pairs_session_is_withdrawn_not_sent(bot, clock, workspace):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now(), status=PairStatus.PAUSED)
        booked = MentoringSession(team_id=pair.team_id, pair_id=pair.id, starts_at=clock.now() + timedelta(hours=2), booked_by=pair.mentee_id, created_at=clock.now())
        session.add(booked)
        await session.flush()
        await outbox.enqueue(
            session, team_id=pair.team_id, key=f"session:{booked.id}:v0:remind-60:{pair.mentor_id}", kind="reminder",
            recipient_id=pair.mentor_id, message={"text": "Your session is in an hour"}, due_at=clock.now(), now=clock.now(),
        )
    report = await _deliver(bot, clock)
    assert (report.sent, report.withdrawn) == (0, 1)
    assert workspace.calls_to("chat.postMessage") == []
    async with bot.services.sessions() as session:
        row = (await session.exec(select(Outbox))).one()
    assert row.status == OutboxStatus.WITHDRAWN


async def _enqueue_under_another_key(settings, key: str, *, due_at: datetime) -> None:
    """A row written by a replica holding a key this bot does not have (real Fernet, another key)."""
    other = make_engine(settings.database_url, encryption_keys=new_key())
    try:
        async with make_session_factory(other).begin() as session:
            await outbox.enqueue(session, team_id=TEAM, key=key, kind="reminder", recipient_id="U0MENTOR",
                                 message={"text": key}, due_at=due_at, now=due_at)
    finally:
        await other.dispose()


async def _states(bot: Runtime) -> dict[str, tuple[str, str]]:
    """Each row's status and reason, without reading (decrypting) its payload."""
    async with bot.services.sessions() as session:
        return {key: (status, error) for key, status, error in (await session.exec(select(Outbox.key, Outbox.status, Outbox.last_error))).all()}


async def test_a_row_written_under_an_unknown_key_is_dead_and_every_other_row_is_sent_once(bot, clock, workspace, settings):
    await _enqueue(bot, "first", due_at=clock.now())
    await _enqueue_under_another_key(settings, "foreign", due_at=clock.now())
    for index in range(6):
        await _enqueue(bot, f"k{index}", due_at=clock.now())
    # Two passes at once (two replicas on PostgreSQL, FOR UPDATE SKIP LOCKED), then another sweep later.
    await asyncio.gather(_deliver(bot, clock), _deliver(bot, clock))
    clock.advance(timedelta(hours=2))
    await _deliver(bot, clock)
    assert sorted(text for _, text in _posted(workspace)) == sorted(["first", *(f"k{index}" for index in range(6))])
    states = await _states(bot)
    assert states.pop("foreign") == (OutboxStatus.DEAD, "undecryptable: written under an unknown key")
    assert set(states.values()) == {(OutboxStatus.SENT, "")}


@pytest.mark.parametrize("shape", sorted(FAILURE_SHAPES))
async def test_a_post_failing_in_any_shape_is_retried_with_its_reason_and_the_rest_of_the_batch_is_sent(bot, clock, workspace, shape):
    failures, reason = FAILURE_SHAPES[shape]
    workspace.failures["chat.postMessage"] = failures[:1]  # a post is not retried inside the client
    await _enqueue(bot, "first", due_at=clock.now(), priority=1)  # posted first: it meets the failures
    for index in range(4):
        await _enqueue(bot, f"k{index}", due_at=clock.now())
    report = await _deliver(bot, clock)
    assert (report.sent, report.retried) == (4, 1)
    assert sorted(text for _, text in _posted(workspace) if text != "first") == [f"k{index}" for index in range(4)]
    row = (await _rows(bot))["first"]
    # None of these shapes is Slack's own refusal: the post may have gone through, so it is in doubt.
    assert (row.status, row.attempts, row.last_error, row.due_at) == (
        OutboxStatus.PENDING, 1, outbox.IN_DOUBT + reason, clock.now() + timedelta(minutes=1)
    )
    clock.advance(timedelta(minutes=1))
    await _deliver(bot, clock)
    assert (await _rows(bot))["first"].status == OutboxStatus.SENT
    assert len(workspace.calls_to("conversations.history")) == 1  # looked for before it was posted again
    assert [message.text for message in workspace.dm_messages("U0MENTOR")].count("first") == 1  # in the DM once
