"""A post meant for an admin or their cohort's channel that Slack refuses for good: the admins are told
once, in a DM through the outbox, however many sweeps follow."""

from datetime import timedelta

from sqlmodel import select

from bot.runtime import Runtime
from sandbox.workspace import SlackApiError, Workspace
from store import outbox
from store.models import Outbox
from tests.conftest import START
from tests.factories import TEAM, make_pair, make_programme
from tests.handlers.admin_helpers import dms_to

MORNING = START + timedelta(days=1)  # Thursday 10:00 UTC: working hours for Amara in London


async def _seed(bot: Runtime, **fields) -> None:
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START, **fields)
        await make_pair(session, programme=programme, now=START)


async def _status(bot: Runtime, key: str) -> tuple[str, str]:
    async with bot.services.sessions.begin() as session:
        row = (await session.exec(select(Outbox).where(Outbox.key == key))).one()
        return row.status, row.last_error


async def test_a_peer_post_to_a_channel_that_is_gone_tells_the_admin_once(bot: Runtime, workspace: Workspace, clock):
    await _seed(bot, peer_channel_id="C0GONE")
    clock.set(MORNING)
    await bot.sweep_now()
    assert await _status(bot, f"peer-support:1:{MORNING:%Y-%m}") == ("dead", "channel_not_found")
    for minutes in (5, 10, 60):
        clock.advance(timedelta(minutes=minutes))
        await bot.sweep_now()
    told = [text for text in dms_to(workspace, "U0ADMIN") if "<#C0GONE>" in text]
    assert len(told) == 1
    assert "channel_not_found" in told[0] and "/mentor admin peers #channel" in told[0]
    assert dms_to(workspace, "U0MENTOR") == []  # nobody else hears of it


async def test_a_message_for_an_admin_that_slack_refuses_tells_them_once(bot: Runtime, workspace: Workspace, clock):
    await _seed(bot)
    clock.set(MORNING)
    async with bot.services.sessions.begin() as session:
        await outbox.enqueue(
            session, team_id=TEAM, key="final-report:1:U0ADMIN", kind="final_report", recipient_id="U0ADMIN",
            message={"text": "The final report"}, due_at=clock.now(), now=clock.now(),
        )
    workspace.failures["chat.postMessage"] = [SlackApiError("invalid_blocks")]
    await bot.sweep_now()
    assert (await _status(bot, "final-report:1:U0ADMIN"))[0] == "dead"
    for minutes in (5, 10):
        clock.advance(timedelta(minutes=minutes))
        await bot.sweep_now()
    told = [text for text in dms_to(workspace, "U0ADMIN") if "couldn't be delivered" in text]
    assert len(told) == 1 and "meant for you" in told[0] and "invalid_blocks" in told[0]


async def test_with_several_programmes_the_admins_of_the_one_the_post_came_from_are_told(bot: Runtime, workspace: Workspace, clock):
    async with bot.services.sessions.begin() as session:
        board = await make_programme(session, now=START, name="Board pilot", peer_channel_id="C0GONE")  # Amara runs it
        await make_pair(session, programme=board, now=START)
        await make_programme(session, now=START, name="EMEA cohort", admin_id="U0OTHER")  # the newest, Léo's
    clock.set(MORNING)
    await bot.sweep_now()  # the Board pilot's monthly post to its channel dies: the channel is gone
    clock.advance(timedelta(minutes=5))
    await bot.sweep_now()  # and the notice of it goes out
    async with bot.services.sessions.begin() as session:
        await outbox.enqueue(
            session, team_id=TEAM, key="final-report:1:U0ADMIN", kind="final_report", recipient_id="U0ADMIN",
            message={"text": "The final report"}, due_at=clock.now(), now=clock.now(),
        )
    workspace.failures["chat.postMessage"] = [SlackApiError("invalid_blocks")]  # and so does a report to Amara
    await bot.sweep_now()
    assert (await _status(bot, "final-report:1:U0ADMIN"))[0] == "dead"
    for minutes in (5, 10, 60):
        clock.advance(timedelta(minutes=minutes))
        await bot.sweep_now()
    amara = dms_to(workspace, "U0ADMIN")
    assert len([text for text in amara if "<#C0GONE>" in text]) == 1  # her programme's channel
    assert len([text for text in amara if "couldn't be delivered" in text and "meant for you" in text]) == 1
    assert not [text for text in dms_to(workspace, "U0OTHER") if "couldn't be delivered" in text or "<#C0GONE>" in text]
