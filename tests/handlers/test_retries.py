"""Slack's retries: an event delivered again (same event_id) has its side effects once."""

from datetime import timedelta

from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import SlackApiError, Workspace
from store import events
from store.models import ProcessedEvent


async def test_retried_event_publishes_home_once(slack: SlackRequests, workspace: Workspace):
    event = {"type": "app_home_opened", "user": "U0MENTEE", "tab": "home"}
    first = await slack.event(event, event_id="Ev0RETRY1")
    retry = await slack.event(event, event_id="Ev0RETRY1", retry_num=1)
    await slack.app_home_opened("U0MENTOR")  # a different event, handled after the two above
    publishes = await workspace.wait_for_calls("views.publish", count=2)
    assert (first.status, retry.status) == (200, 200)
    assert [call.args["user_id"] for call in publishes] == ["U0MENTEE", "U0MENTOR"]


async def test_a_retry_whose_first_delivery_never_arrived_is_handled(slack: SlackRequests, workspace: Workspace):
    await slack.event({"type": "app_home_opened", "user": "U0MENTEE", "tab": "home"}, event_id="Ev0LOST", retry_num=2)
    publishes = await workspace.wait_for_calls("views.publish")
    assert [call.args["user_id"] for call in publishes] == ["U0MENTEE"]


async def test_processed_event_ids_are_kept_for_a_day(bot: Runtime, slack: SlackRequests, workspace: Workspace, clock: ManualClock):
    await slack.event({"type": "app_home_opened", "user": "U0MENTEE", "tab": "home"}, event_id="Ev0OLD")
    await workspace.wait_for_calls("views.publish")
    clock.advance(timedelta(hours=23))
    await bot.sweep_now()
    async with bot.services.sessions() as session:
        assert len((await session.exec(select(ProcessedEvent))).all()) == 1
    clock.advance(timedelta(hours=2))
    report = await bot.sweep_now()
    assert report.counts["events_forgotten"] == 1


def _dm(workspace: Workspace, user_id: str, text: str) -> dict:
    ts = workspace.next_ts()
    return {"type": "message", "channel_type": "im", "channel": workspace.dm_channel(user_id), "user": user_id, "text": text, "ts": ts, "event_ts": ts}


async def test_a_retry_after_the_handler_failed_is_handled_once(slack: SlackRequests, workspace: Workspace, clock: ManualClock):
    # Slack's Web API fails the reply (500, through the client's own retries): the first delivery's handler raises.
    workspace.failures["chat.postMessage"] = [SlackApiError("internal_error", status=500) for _ in range(3)]
    event = _dm(workspace, "U0MENTEE", "hello?")
    first = await slack.event(event, event_id="Ev0CRASHED")
    await workspace.wait_for_calls("chat.postMessage", count=3)
    clock.advance(timedelta(minutes=1))  # when Slack retries a delivery that failed
    retry = await slack.event(event, event_id="Ev0CRASHED", retry_num=1)
    await workspace.wait_for_calls("chat.postMessage", count=4)
    # Two more retries of the event now handled, then another person's message, handled after them.
    again = [await slack.event(event, event_id="Ev0CRASHED", retry_num=number) for number in (2, 3)]
    await slack.event(_dm(workspace, "U0MENTOR", "hi"), event_id="Ev0AFTER")
    await workspace.wait_until(lambda: bool(workspace.dm_messages("U0MENTOR")))
    assert [response.status for response in (first, retry, *again)] == [200, 200, 200, 200]
    assert len([message for message in workspace.dm_messages("U0MENTEE") if message.user != "U0MENTEE"]) == 1


async def test_a_delivery_abandoned_by_a_dead_process_is_taken_over_by_a_later_retry(bot: Runtime, slack: SlackRequests, workspace: Workspace, clock: ManualClock):
    # What a process that claimed the event and died left behind: the claim, and no record of the work.
    async with bot.services.sessions.begin() as session:
        assert await events.claim_event(session, team_id=workspace.team_id, event_id="Ev0ORPHAN", now=clock.now())
    event = {"type": "app_home_opened", "user": "U0MENTEE", "tab": "home"}
    clock.advance(events.EVENT_LEASE + timedelta(seconds=1))
    await slack.event(event, event_id="Ev0ORPHAN", retry_num=1)
    await slack.event(event, event_id="Ev0ORPHAN", retry_num=2)
    await slack.app_home_opened("U0MENTOR")
    publishes = await workspace.wait_for_calls("views.publish", count=2)
    assert [call.args["user_id"] for call in publishes] == ["U0MENTEE", "U0MENTOR"]
