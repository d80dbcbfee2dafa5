"""The sandbox's mail server: with no SMTP_URL set, the bot's email invites arrive in each person's inbox
on the page, so booking, moving and cancelling a session can be watched arriving as a calendar would."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sandbox.server import Sandbox
from tests.factories import make_charter, make_pair, make_programme

PRIYA, TOM = "U0PRIYA", "U0TOM"


async def seed_pair(sandbox: Sandbox) -> None:
    now = sandbox.clock.now() - timedelta(days=14)
    async with sandbox.runtime.services.sessions.begin() as session:
        programme = await make_programme(session, now=now, team_id=sandbox.workspace.team_id)
        pair = await make_pair(session, programme=programme, now=now, mentor_id=PRIYA, mentee_id=TOM)
        await make_charter(session, pair=pair, now=now, session_minutes=45)


async def _inbox(sandbox: Sandbox, user_id: str, count: int) -> list[dict]:
    """The person's inbox once it holds `count` invites (each arrival is a change the page hears of)."""
    async with asyncio.timeout(5):
        while len(inbox := sandbox.page.state(user_id)["inbox"]) < count:
            await sandbox.page.wait_for_change(sandbox.page.version, within=1)
    return inbox


async def test_a_booking_then_a_cancellation_arrive_in_both_inboxes_for_the_same_event(sandbox: Sandbox):
    await seed_pair(sandbox)

    await sandbox.page.send(TOM, "/mentor schedule next tuesday 9am")
    booking = await _inbox(sandbox, TOM, 1)
    [request] = booking
    assert request["method"] == "REQUEST" and request["sequence"] == 0
    assert request["to"] == "tom.becker@flipside.example"
    assert request["subject"].startswith("Invitation: Reverse mentoring with Priya Nair")
    assert datetime.fromisoformat(request["starts_at"]).tzinfo is not None  # the page shows it in the reader's zone
    [priyas] = await _inbox(sandbox, PRIYA, 1)
    assert priyas["uid"] == request["uid"] and priyas["to"] == "priya.nair@flipside.example"

    # Cancel from the booking message's own button, then confirm in the form it opens.
    message, cancel = next(
        (message, element)
        for message in sandbox.workspace.dm_messages(TOM)
        for block in message.blocks or []
        for element in block.get("elements", [])
        if element.get("action_id") == "session_cancel"
    )
    await sandbox.page.action(TOM, "message", cancel, ts=message.ts)
    assert await sandbox.workspace.wait_until(lambda: bool(sandbox.workspace.modal_stacks.get(TOM)))
    await sandbox.page.submit(TOM, {})

    newest, oldest = await _inbox(sandbox, TOM, 2)  # newest first, as a mail program lists them
    assert (oldest["method"], newest["method"]) == ("REQUEST", "CANCEL")
    assert newest["uid"] == oldest["uid"] and newest["sequence"] > oldest["sequence"]
    assert [invite["method"] for invite in await _inbox(sandbox, PRIYA, 2)] == ["CANCEL", "REQUEST"]


async def test_nobody_sees_anyone_elses_mail(sandbox: Sandbox):
    await seed_pair(sandbox)
    await sandbox.page.send(TOM, "/mentor schedule next tuesday 9am")
    await _inbox(sandbox, TOM, 1)

    assert sandbox.page.state("U0LEO")["inbox"] == []
