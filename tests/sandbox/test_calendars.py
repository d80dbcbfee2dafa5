"""The sandbox starts Google's and Microsoft's stand-ins with a calendar per person (meetings on
weekdays, a day off): a sandbox user connects theirs with one click and their busy time is read."""

from __future__ import annotations

from datetime import UTC, timedelta

import aiohttp

from bot.flows.busy_time import busy_blocks
from sandbox.calendar_standins import first_friday_off
from sandbox.server import Sandbox
from tests.calendar_standins import allow


async def test_a_sandbox_user_connects_a_calendar_with_busy_times_in_it(sandbox: Sandbox):
    await sandbox.page.send("U0PRIYA", "/mentor calendar")
    [reply] = sandbox.page.state("U0PRIYA")["messages"]
    [buttons] = [block["elements"] for block in reply["blocks"] if block["type"] == "actions"]
    google = next(button["url"] for button in buttons if button["action_id"] == "calendar_connect_google")

    async with aiohttp.ClientSession() as browser:
        status, page = await allow(browser, google)

    assert status == 200 and "Calendar connected" in page
    await sandbox.workspace.wait_until(lambda: any("calendar is connected" in m["text"] for m in sandbox.page.state("U0PRIYA")["messages"]))
    start = sandbox.clock.now()
    blocks = await busy_blocks(sandbox.runtime.services, team_id=sandbox.workspace.team_id, user_ids=["U0PRIYA", "U0TOM"],
                               start=start, end=start + timedelta(days=14))
    assert len(blocks) >= 10  # two meetings a weekday for Priya; Tom has connected nothing
    day_off = first_friday_off(start.astimezone(UTC).date())
    assert any(block.end - block.start == timedelta(days=1) and block.start.astimezone(UTC).date() in (day_off, day_off - timedelta(days=1))
               for block in blocks)
