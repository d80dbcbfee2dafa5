"""Slack's retries: an event delivered again (same event_id) has its side effects once."""

from datetime import timedelta

from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
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
