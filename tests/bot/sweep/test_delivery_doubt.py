"""A row whose claim ran out unsettled may already be in the recipient's DM: it is looked for there
(conversations.history, by the outbox key in the message metadata) before it is posted again."""

import asyncio
from contextlib import suppress
from datetime import timedelta

from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from domain.statuses import OutboxStatus
from sandbox.workspace import Channel, SlackApiError, Workspace
from store import outbox
from store.models import Outbox
from tests.bot.sweep.test_delivery import _deliver, _enqueue, _posted, _rows


async def _die_mid_post(bot: Runtime, clock: ManualClock, workspace: Workspace) -> None:
    """A delivery pass that dies while Slack holds its post: the message is in the DM, the answer never
    came back, and the row is still claimed."""
    workspace.delay_seconds = 2.0  # Slack takes the message at once and answers two seconds later
    delivering = asyncio.create_task(_deliver(bot, clock))
    [call] = await workspace.wait_for_calls("chat.postMessage")
    delivering.cancel()
    with suppress(asyncio.CancelledError):
        await delivering
    assert not call.answered, "the pass was to die before Slack answered"
    workspace.delay_seconds = 0.0
    assert (await _rows(bot))["k1"].status == OutboxStatus.CLAIMED


async def _past_the_lease(bot: Runtime, clock: ManualClock) -> None:
    clock.advance(timedelta(seconds=bot.services.settings.outbox_lease_seconds + 1))


async def test_a_post_whose_claim_ran_out_unsettled_is_found_in_the_dm_and_not_sent_again(bot, clock, workspace):
    await _enqueue(bot, "k1", due_at=clock.now())
    await _die_mid_post(bot, clock, workspace)
    assert workspace.calls_to("conversations.history") == []  # a first claim posts without looking
    [message] = workspace.dm_messages("U0MENTOR")
    await _past_the_lease(bot, clock)
    report = await _deliver(bot, clock)
    assert len(workspace.calls_to("chat.postMessage")) == 1
    assert report.sent == 1
    [history] = workspace.calls_to("conversations.history")
    assert (history.args["channel"], history.args["include_all_metadata"]) == (workspace.dm_channel("U0MENTOR"), "1")  # a form field, as slack_sdk sends it
    row = (await _rows(bot))["k1"]
    assert (row.status, row.sent_channel, row.sent_ts) == (OutboxStatus.SENT, workspace.dm_channel("U0MENTOR"), message.ts)


async def test_a_claim_that_ran_out_before_posting_is_checked_then_posted_once(bot, clock, workspace):
    await _enqueue(bot, "k1", due_at=clock.now())
    async with bot.services.sessions.begin() as session:
        row_id = (await session.exec(select(Outbox.id))).one()
        await outbox.claim_one(session, outbox_id=row_id, now=clock.now(), worker="crashed", lease_until=clock.now() + timedelta(minutes=5))
    clock.advance(timedelta(minutes=6))
    await _deliver(bot, clock)
    assert _posted(workspace) == [("U0MENTOR", "k1")]
    assert len(workspace.calls_to("conversations.history")) == 1
    assert (await _rows(bot))["k1"].status == OutboxStatus.SENT


async def test_a_row_in_doubt_waits_while_the_history_cannot_be_read_then_is_posted_once(bot, clock, workspace):
    await _enqueue(bot, "k1", due_at=clock.now())
    async with bot.services.sessions.begin() as session:
        row_id = (await session.exec(select(Outbox.id))).one()
        await outbox.claim_one(session, outbox_id=row_id, now=clock.now(), worker="crashed", lease_until=clock.now() + timedelta(minutes=5))
    clock.advance(timedelta(minutes=6))
    workspace.failures["conversations.history"] = [SlackApiError("internal_error")]
    await _deliver(bot, clock)
    assert workspace.calls_to("chat.postMessage") == []
    row = (await _rows(bot))["k1"]
    assert (row.status, row.attempts, row.due_at) == (OutboxStatus.PENDING, 1, clock.now() + timedelta(minutes=1))
    assert outbox.in_doubt(row)  # still in doubt: the next attempt checks again
    clock.advance(timedelta(minutes=1))
    await _deliver(bot, clock)
    assert _posted(workspace) == [("U0MENTOR", "k1")]
    assert len(workspace.calls_to("conversations.history")) == 2


async def test_a_row_in_doubt_is_posted_when_the_history_can_never_be_read(bot, clock, workspace):
    await _enqueue(bot, "k1", due_at=clock.now())
    async with bot.services.sessions.begin() as session:
        row_id = (await session.exec(select(Outbox.id))).one()
        await outbox.claim_one(session, outbox_id=row_id, now=clock.now(), worker="crashed", lease_until=clock.now() + timedelta(minutes=5))
    clock.advance(timedelta(minutes=6))
    workspace.failures["conversations.history"] = [SlackApiError("missing_scope")]
    await _deliver(bot, clock)
    assert _posted(workspace) == [("U0MENTOR", "k1")]
    assert (await _rows(bot))["k1"].status == OutboxStatus.SENT


async def test_a_channel_post_in_doubt_is_posted_again_without_reading_the_channel(bot, clock, workspace):
    # Reading a channel's history needs a channel-reading scope the bot does not ask for: the doubt is accepted.
    workspace.add_channel(Channel(id="C0COHORT", name="cohort"))
    await _enqueue(bot, "k1", due_at=clock.now(), recipient="C0COHORT")
    async with bot.services.sessions.begin() as session:
        row_id = (await session.exec(select(Outbox.id))).one()
        await outbox.claim_one(session, outbox_id=row_id, now=clock.now(), worker="crashed", lease_until=clock.now() + timedelta(minutes=5))
    clock.advance(timedelta(minutes=6))
    await _deliver(bot, clock)
    assert _posted(workspace) == [("C0COHORT", "k1")]
    assert workspace.calls_to("conversations.history") == []


async def test_a_post_slack_took_but_whose_answer_was_lost_is_neither_repeated_by_the_client_nor_sent_again(bot, clock, workspace):
    # Slack takes the message, then the connection drops before its answer: every time it is tried.
    workspace.failures["chat.postMessage"] = [SlackApiError("", reset=True, after_call=True) for _ in range(3)]
    await _enqueue(bot, "k1", due_at=clock.now())
    report = await _deliver(bot, clock)
    assert (report.sent, report.retried) == (0, 1)
    assert len(workspace.calls_to("chat.postMessage")) == 1  # slack_sdk's connection retry would post it again
    row = (await _rows(bot))["k1"]
    assert (row.status, row.last_error) == (OutboxStatus.PENDING, outbox.IN_DOUBT + "connection_error")
    [message] = workspace.dm_messages("U0MENTOR")
    clock.advance(timedelta(minutes=1))
    report = await _deliver(bot, clock)
    assert report.sent == 1
    assert len(workspace.calls_to("chat.postMessage")) == 1
    row = (await _rows(bot))["k1"]
    assert (row.status, row.sent_ts) == (OutboxStatus.SENT, message.ts)
