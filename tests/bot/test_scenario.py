"""Three months of one pair on a fixed clock: the exact messages the bot sends, each once, on time,
in the reader's zone, none in quiet hours, through a reschedule, a late cancellation, a deferral
to working hours and a restart with hours of missed sweeps."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlmodel import func, select

from bot.clock import ManualClock
from bot.rules.nudges import SESSION_BOUND
from bot.rules.quiet_hours import WorkingHours, is_working_time
from bot.runtime import Runtime, build_runtime
from domain.statuses import OutboxStatus
from prompts import booking_hours
from prompts import sessions as prompts
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import Outbox
from tests.conftest import SIGNING_SECRET
from tests.factories import make_charter, make_pair, make_programme
from tests.handlers.pairing_support import buttons, click_in_ephemeral

MENTOR, MENTEE, ADMIN = "U0MENTOR", "U0MENTEE", "U0ADMIN"  # Kolkata, New York, London
ZONES = {MENTOR: "Asia/Kolkata", MENTEE: "America/New_York", ADMIN: "Europe/London"}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Scenario:
    def __init__(self, settings, clock: ManualClock, workspace: Workspace, slack_api: str) -> None:
        self.settings, self.clock, self.workspace, self.slack_api = settings, clock, workspace, slack_api
        self.runtime: Runtime | None = None
        self.slack: SlackRequests | None = None

    async def start(self) -> None:
        self.runtime = await build_runtime(self.settings, self.clock)
        await self.runtime.serve_http(host="127.0.0.1", port=0)
        self.slack = SlackRequests(
            workspace=self.workspace, bot_url=f"http://127.0.0.1:{self.runtime.port}/slack/events",
            signing_secret=SIGNING_SECRET, response_base_url=self.slack_api.removesuffix("api/") + "response",
        )

    async def stop(self) -> None:
        assert self.runtime is not None and self.slack is not None
        await self.slack.close()
        await self.runtime.stop()

    async def schedule(self, user_id: str, typed: str) -> dict:
        """`/mentor schedule <typed>`, with "Book anyway" clicked when the time falls outside someone's working
        hours (Kolkata and New York share half an hour of theirs a day): the answer the booker is left with."""
        assert self.slack is not None
        reply = await self.slack.command_reply(user_id, f"schedule {typed}")
        assert reply is not None
        anyway = buttons(reply.get("blocks") or []).get(booking_hours.BOOK_ANYWAY_ACTION)
        if anyway is None:
            return reply
        answered = len(self.workspace.responses)
        await click_in_ephemeral(self.slack, user_id, {"action_id": anyway["action_id"], "value": anyway["value"], "type": "button"})
        await self.workspace.wait_until(lambda: len(self.workspace.responses) > answered, within=30)
        return self.workspace.responses[-1]

    async def sweep_until(self, end: datetime, step: timedelta) -> None:
        assert self.runtime is not None
        while self.clock.now() < end:
            self.clock.advance(step)
            await self.runtime.sweep_now()

    async def posted(self, count: int) -> None:
        """Wait for a handler's notices (delivered just after its response) to be posted and settled,
        before the clock jumps past their claim's lease."""
        # Generous: on a loaded CI machine the handler's work after its ack can take seconds.
        calls = await self.workspace.wait_for_calls("chat.postMessage", count, within=30)
        assert len(calls) == count, [call.args.get("text", "")[:80] for call in calls[-3:]]
        assert self.runtime is not None
        async with asyncio.timeout(30):
            while True:
                async with self.runtime.services.sessions() as session:
                    claimed = (await session.exec(select(func.count()).select_from(Outbox).where(Outbox.status == OutboxStatus.CLAIMED))).one()
                if claimed == 0:
                    return
                await asyncio.sleep(0.01)


def _delivered(workspace: Workspace) -> list[tuple[str, str, datetime]]:
    calls = workspace.calls_to("chat.postMessage")
    posted = [m for m in workspace.messages if m.ephemeral_to is None]
    assert len(calls) == len(posted)
    return [
        (call.args["channel"], call.args["metadata"]["event_payload"]["kind"], datetime.fromtimestamp(int(m.ts.split(".")[0]), UTC))
        for call, m in zip(calls, posted, strict=True)
    ]


async def test_three_months_of_a_pair(settings, clock: ManualClock, workspace: Workspace, slack_api: str):
    run = Scenario(settings, clock, workspace, slack_api)
    await run.start()
    assert run.runtime is not None and run.slack is not None
    async with run.runtime.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now())
        await make_charter(session, pair=pair, now=clock.now(), driver="mentee", cadence_days=30)

    # Wed 4 Mar 10:00 UTC (05:00 in New York): Tom books Friday 11am his time.
    reply = await run.schedule(MENTEE, "friday 11am")
    assert "Fri 6 Mar, 11:00 EST" in reply["text"]
    await run.posted(2)

    # 14:00: Priya moves it to Friday 14:00 UTC (19:30 for her, 09:00 for Tom): past her working day, so she is
    # asked first and ticks "move it anyway".
    await run.sweep_until(utc("2026-03-04 14:00"), timedelta(minutes=1))
    first = workspace.dm_messages(MENTOR)[0]
    session_id = int(next(block for block in first.blocks if block["type"] == "actions")["elements"][0]["value"])
    await run.slack.block_action(MENTOR, {"action_id": prompts.RESCHEDULE_ACTION, "value": str(session_id)}, message=first.as_slack())
    await workspace.wait_for_calls("views.open")
    moved_to = utc("2026-03-06 14:00")
    values = {prompts.WHEN_BLOCK: {prompts.VALUE: {"type": "datetimepicker", "selected_date_time": int(moved_to.timestamp())}}}
    form = workspace.modal_stacks[MENTOR][-1]
    asked = (await run.slack.view_submission(MENTOR, form, values)).json()["view"]
    anyway = next(block for block in asked["blocks"] if block.get("block_id") == booking_hours.ANYWAY_BLOCK)["element"]["options"][0]
    values[booking_hours.ANYWAY_BLOCK] = {prompts.VALUE: {"type": "checkboxes", "selected_options": [anyway]}}
    assert not (await run.slack.view_submission(MENTOR, {**form, **asked, "id": form["id"]}, values)).text
    await run.posted(4)

    # Every minute for the first three days, then hourly.
    await run.sweep_until(utc("2026-03-07 10:00"), timedelta(minutes=1))
    hourly = timedelta(hours=1)

    # Sat 14 Mar: Tom books Tue 24 Mar 11:00 his time; he cancels it 19 hours ahead (late).
    await run.sweep_until(utc("2026-03-14 10:00"), hourly)
    # Count before acting: the handler posts its notices just after its answer, maybe before we look.
    before = len(workspace.calls_to("chat.postMessage"))
    booked = await run.schedule(MENTEE, "24 March 11am")
    assert "Tue 24 Mar, 11:00" in booked["text"], booked
    await run.posted(before + 2)
    await run.sweep_until(utc("2026-03-23 20:00"), hourly)
    booking = [m for m in workspace.dm_messages(MENTEE) if m.text.startswith("You booked")][-1]
    second_id = int(next(block for block in booking.blocks if block["type"] == "actions")["elements"][0]["value"])
    await run.slack.block_action(MENTEE, {"action_id": prompts.CANCEL_ACTION, "value": str(second_id)}, message=booking.as_slack())
    await workspace.wait_for_calls("views.open", 2)
    assert "late cancellation" in str(workspace.modal_stacks[MENTEE][-1]["blocks"])
    before = len(workspace.calls_to("chat.postMessage"))
    await run.slack.view_submission(MENTEE, workspace.modal_stacks[MENTEE][-1], {})
    await run.posted(before + 2)

    # Tue 24 Mar 09:00: Priya books Friday 4:30pm her time (11:00 UTC).
    await run.sweep_until(utc("2026-03-24 09:00"), hourly)
    before = len(workspace.calls_to("chat.postMessage"))
    await run.schedule(MENTOR, "friday 4:30pm")
    await run.posted(before + 2)

    # The bot goes down on Thursday morning and comes back on Friday afternoon, after the session.
    await run.sweep_until(utc("2026-03-26 08:00"), hourly)
    await run.stop()
    clock.set(utc("2026-03-27 13:00"))
    await run.start()
    await run.runtime.sweep_now()

    # Then nobody books again.
    await run.sweep_until(utc("2026-06-04 10:00"), hourly)
    delivered = _delivered(workspace)
    await run.stop()

    def both(kind: str, when: str) -> list[tuple[str, str, datetime]]:
        return [(MENTEE, kind, utc(when)), (MENTOR, kind, utc(when))]

    expected = [
        *both("session_booked", "2026-03-04 10:00"),
        *both("session_moved", "2026-03-04 14:00"),
        *both("reminder", "2026-03-05 14:00"),  # a day before the moved time; the old one's were withdrawn
        *both("reminder", "2026-03-06 13:00"),
        *both("reflection_prompt", "2026-03-06 15:15"),
        # Nobody answers: the follow-up a day later falls on Saturday, so it waits for Monday 10:00 in each zone
        # (04:30 UTC in Kolkata, taken by the 05:00 sweep; 14:00 UTC in New York).
        (MENTOR, "reflection_followup", utc("2026-03-09 05:00")),
        (MENTEE, "reflection_followup", utc("2026-03-09 14:00")),
        *both("session_booked", "2026-03-14 10:00"),
        *both("reminder", "2026-03-23 15:00"),
        *both("session_cancelled", "2026-03-23 20:00"),  # the hour-before reminder and the prompt withdrawn
        *both("session_booked", "2026-03-24 09:00"),
        # Down from Thu 08:00 to Fri 13:00: both reminders were for a session that had begun, so dropped;
        # the prompt after it still makes sense, so it goes once on the first sweep back.
        *both("reflection_prompt", "2026-03-27 13:00"),
        (MENTOR, "reflection_followup", utc("2026-03-30 05:00")),
        (MENTEE, "reflection_followup", utc("2026-03-30 14:00")),
        # 30 days after that session is Sunday 26 Apr: Tom (the driver) hears at 10:00 on Monday, New York time.
        (MENTEE, "momentum", utc("2026-04-27 14:00")),
        # A week later (Sun 3 May) both: Monday 10:00 in Kolkata (04:30 UTC, the 05:00 sweep) and New York.
        (MENTOR, "momentum", utc("2026-05-04 05:00")),
        (MENTEE, "momentum", utc("2026-05-04 14:00")),
        # A week after that, the programme admin, at 10:00 on Monday in London.
        (ADMIN, "pair_stalled", utc("2026-05-11 09:00")),
        # Half-way through the programme (Wed 3 Jun), each is asked how it is going, at 10:00 their time.
        (MENTOR, "check_in_midpoint", utc("2026-06-03 05:00")),
        (MENTEE, "check_in_midpoint", utc("2026-06-03 14:00")),
    ]
    assert sorted(delivered) == sorted(expected)
    assert len(delivered) == len(set(delivered))

    hours = WorkingHours(programme.work_start_hour, programme.work_end_hour)
    for recipient, kind, when in delivered:
        if kind not in SESSION_BOUND:
            assert is_working_time(when, ZONES[recipient], hours), (recipient, kind, when)

    # In each reader's own zone.
    reminders = {m.channel: m.text for m in workspace.messages if m.text.startswith("Reminder") and "in an hour" in m.text}
    assert "Fri 6 Mar, 09:00 EST" in reminders[workspace.dm_channel(MENTEE)]
    assert "Fri 6 Mar, 19:30 IST" in reminders[workspace.dm_channel(MENTOR)]
