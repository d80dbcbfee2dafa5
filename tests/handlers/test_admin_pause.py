"""Pause and resume: the pair is told kindly, the history kept, and a dated pause ends by itself (ending: test_admin_end.py)."""

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.runtime import Runtime
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import programmes
from store.models import Pair
from tests.factories import TEAM, day, make_pair, make_programme
from tests.handlers.admin_helpers import command_reply, dms_to, open_modal, text_of, with_values


async def _paired(db, clock, **fields) -> Pair:
    async with db.begin() as session:
        programme = await make_programme(session, now=clock.now())
        return await make_pair(session, programme=programme, now=clock.now(), **fields)


async def _pair(db, pair_id: int) -> Pair:
    async with db.begin() as session:
        return await session.get(Pair, pair_id)


async def test_pause_until_a_date_pauses_the_pair_and_tells_both(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock)
    body = await slack.command_reply("U0ADMIN", "admin pause <@U0MENTEE|tom> until 2026-04-01")
    assert "is paused until Wed 1 Apr 2026" in text_of(body)
    stored = await _pair(db, pair.id)
    assert (stored.status, stored.paused_until) == ("paused", day("2026-04-01"))
    await workspace.wait_for_calls("chat.postMessage", 2)
    assert "paused* until *Wed 1 Apr 2026*" in dms_to(workspace, "U0MENTOR")[0]
    assert "<@U0MENTOR>" in dms_to(workspace, "U0MENTEE")[0]


async def test_a_dated_pause_resumes_by_itself_in_the_sweep_once(bot: Runtime, slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock, status="paused", paused_until=day("2026-03-10"))
    clock.advance(timedelta(days=5))
    await bot.sweep_now()
    assert (await _pair(db, pair.id)).status == "paused"
    clock.advance(timedelta(days=1, hours=1))  # 10 March, 11:00 UTC
    report = await bot.sweep_now()
    assert report.counts["pairs_resumed"] == 1
    stored = await _pair(db, pair.id)
    assert (stored.status, stored.paused_until) == ("active", None)
    assert "Your pause is over" in dms_to(workspace, "U0MENTOR")[0]
    assert "Your pause is over" in dms_to(workspace, "U0MENTEE")[0]
    again = await bot.sweep_now()
    assert again.counts["pairs_resumed"] == 0
    assert len(workspace.calls_to("chat.postMessage")) == 2


async def test_a_pause_without_a_date_lasts_until_resumed(bot: Runtime, slack: SlackRequests, db, clock):
    pair = await _paired(db, clock)
    await slack.command_reply("U0ADMIN", "admin pause <@U0MENTOR|priya>")
    clock.advance(timedelta(days=100))  # well within the programme, which ends pairs when it closes
    await bot.sweep_now()
    stored = await _pair(db, pair.id)
    assert (stored.status, stored.paused_until) == ("paused", None)


@pytest.mark.parametrize(
    ("when", "why"),
    [("2026-03-01", "is in the past"), ("2026-03-04", "is today"), ("01/04/2026", "two different dates"), ("2026-02-30", "couldn't read")],
)
async def test_a_pause_date_that_is_past_or_unreadable_is_refused_with_the_reason(slack: SlackRequests, db, clock, when, why):
    pair = await _paired(db, clock)
    body = await slack.command_reply("U0ADMIN", f"admin pause <@U0MENTOR|priya> until {when}")
    assert why in text_of(body)
    assert (await _pair(db, pair.id)).status == "active"


async def test_resume_makes_a_paused_pair_active_and_tells_both(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock, status="paused", paused_until=day("2026-05-01"))
    body = await slack.command_reply("U0ADMIN", "admin resume <@U0MENTOR|priya>")
    assert "active again" in text_of(body)
    assert (await _pair(db, pair.id)).status == "active"
    await workspace.wait_for_calls("chat.postMessage", 2)
    assert "back on" in dms_to(workspace, "U0MENTEE")[0]


async def test_resuming_an_active_pair_is_refused(slack: SlackRequests, db, clock):
    await _paired(db, clock)
    body = await slack.command_reply("U0ADMIN", "admin resume <@U0MENTOR|priya>")
    assert "already active" in text_of(body)


async def test_pausing_a_paused_pair_is_refused(slack: SlackRequests, db, clock):
    await _paired(db, clock, status="paused")
    body = await slack.command_reply("U0ADMIN", "admin pause <@U0MENTOR|priya>")
    assert "already paused" in text_of(body)


async def test_the_resume_now_button_resumes_a_paused_pair(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock)
    body = await slack.command_reply("U0ADMIN", "admin pause <@U0MENTOR|priya> until 2026-06-01")
    button = next(block["elements"][0] for block in body["blocks"] if block["type"] == "actions")
    assert button["action_id"] == "admin_pair_resume"
    await slack.block_action("U0ADMIN", {**button, "type": "button"}, message={"ts": "1.1", "text": body["text"], "blocks": body["blocks"]})
    await workspace.wait_for_calls("chat.postMessage", 4)  # paused and resumed, to each of two
    assert (await _pair(db, pair.id)).status == "active"
    assert "active again" in workspace.responses[-1]["blocks"][0]["text"]["text"]


async def test_after_unpairing_both_can_be_paired_again(slack: SlackRequests, workspace: Workspace, db, clock):
    await _paired(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin unpair <@U0MENTOR|priya>")
    await slack.view_submission("U0ADMIN", view, {})  # confirmed
    await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentee <@U0OTHER|leo>")
    await slack.command_reply("U0ADMIN", "admin pair <@U0MENTOR|priya> <@U0OTHER|leo>")
    async with db.begin() as session:
        rows = (await session.exec(select(Pair).order_by(Pair.id))).all()
    assert [(row.mentee_id, row.status) for row in rows] == [("U0MENTEE", "ended"), ("U0OTHER", "active")]


async def test_changing_the_pair_of_someone_not_in_one_is_refused(slack: SlackRequests, db, clock):
    async with db.begin() as session:
        await make_programme(session, now=clock.now())
    body = await slack.command_reply("U0ADMIN", "admin end <@U0OTHER|leo>")
    assert "<@U0OTHER> isn't in a pair" in text_of(body)


async def test_pause_without_a_mention_explains_how(slack: SlackRequests, db, clock):
    await _paired(db, clock)
    body = await slack.command_reply("U0ADMIN", "admin pause")
    assert "/mentor admin pause @priya until" in text_of(body)


async def test_the_resume_now_button_refuses_someone_who_is_not_an_admin(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock, status="paused")
    responded = asyncio.Event()
    workspace.listeners.append(lambda kind, _data: responded.set() if kind == "response" else None)
    button = {"type": "button", "action_id": "admin_pair_resume", "value": str(pair.id)}
    await slack.block_action("U0OTHER", button, message={"ts": "1.1", "text": "", "blocks": []})
    async with asyncio.timeout(5):
        await responded.wait()
    assert "only programme admins" in workspace.responses[-1]["text"]
    assert (await _pair(db, pair.id)).status == "paused"


async def test_a_form_submitted_by_someone_no_longer_an_admin_saves_nothing(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        programme = await make_programme(session, now=clock.now())
    view = await open_modal(slack, workspace, "U0ADMIN", "admin pair")
    async with db.begin() as session:
        await programmes.set_admins(session, team_id=TEAM, programme_id=programme.id, user_ids=["U0OTHER"])
    response = await slack.view_submission("U0ADMIN", view, with_values(view, mentor="U0MENTOR", mentee="U0MENTEE"))
    assert response.text == ""
    await workspace.wait_for_calls("chat.postMessage")
    assert "only programme admins" in dms_to(workspace, "U0ADMIN")[0]
    async with db.begin() as session:
        assert (await session.exec(select(Pair))).all() == []
