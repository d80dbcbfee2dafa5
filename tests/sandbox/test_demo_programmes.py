"""The demo's two programmes side by side: Priya, in both, books a session in each from the sandbox page
and each one's reminders name their programme; Tom and Noah, in one each, get no such line."""

from __future__ import annotations

from sqlmodel import select

from sandbox.server import Sandbox
from store.models import MentoringSession, Outbox, Pair, Programme


async def _reminders(sandbox: Sandbox) -> list[Outbox]:
    async with sandbox.runtime.services.sessions() as session:
        return list((await session.exec(select(Outbox).where(Outbox.kind == "reminder"))).all())


async def test_someone_in_both_programmes_gets_each_ones_reminders_named_as_such(demo_sandbox: Sandbox):
    sandbox = demo_sandbox
    await sandbox.page.send("U0PRIYA", "/mentor schedule next tuesday 6:30pm")  # 09:00 in New York: her main programme
    await sandbox.workspace.wait_until(lambda: any("Booked" in m["text"] for m in sandbox.page.state("U0TOM")["messages"]))
    await sandbox.page.send("U0PRIYA", "/mentor programme Board pilot")
    await sandbox.page.send("U0PRIYA", "/mentor schedule next wednesday 6:30pm")
    await sandbox.workspace.wait_until(lambda: any("Booked" in m["text"] for m in sandbox.page.state("U0NOAH")["messages"]))

    async with sandbox.runtime.services.sessions() as session:
        names = {programme.id: programme.name for programme in (await session.exec(select(Programme))).all()}
        pairs = {pair.id: names[pair.programme_id] for pair in (await session.exec(select(Pair))).all()}
        booked = (await session.exec(select(MentoringSession).where(MentoringSession.booked_by == "U0PRIYA"))).all()
    assert sorted(pairs[row.pair_id] for row in booked if row.created_at >= sandbox.runtime.services.clock.now()) == [
        "Board pilot", "Reverse mentoring 2026",
    ]
    reminders = await _reminders(sandbox)
    priyas = [row.payload for row in reminders if row.recipient_id == "U0PRIYA"]
    assert any("Programme:* Reverse mentoring 2026" in payload for payload in priyas)
    assert any("Programme:* Board pilot" in payload for payload in priyas)
    # The pilot's own rhythm: reminders two days and two hours before, where the main one has a day and an hour.
    assert {row.recipient_id for row in reminders if "in 2 days" in row.payload} == {"U0PRIYA", "U0NOAH"}
    assert not any("Programme:*" in row.payload for row in reminders if row.recipient_id in ("U0TOM", "U0NOAH"))
