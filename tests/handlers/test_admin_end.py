"""Ending a pair asks first, and an ended pair can be reopened within a grace period, history intact."""

from datetime import timedelta

import pytest
from sqlmodel import select

from domain.programme_limits import REOPEN_GRACE_DAYS
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import erasure
from store.models import Charter, MentoringSession, Pair, Programme
from tests.factories import TEAM, make_charter, make_pair, make_programme
from tests.factories_sessions import make_session
from tests.handlers.admin_helpers import command_reply, dms_to, open_modal, text_of


async def _paired(db, clock) -> Pair:
    async with db.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now())
        await make_charter(session, pair=pair, now=clock.now())
        await make_session(session, pair=pair, starts_at=clock.now() - timedelta(days=3), status="held")
        return pair


async def _pair(db, pair_id: int) -> Pair:
    async with db.begin() as session:
        return await session.get(Pair, pair_id)


async def _end(slack: SlackRequests, workspace: Workspace, verb: str = "end") -> None:
    """Type the command and confirm it in the modal, as an admin would."""
    view = await open_modal(slack, workspace, "U0ADMIN", f"admin {verb} <@U0MENTEE|tom>")
    response = await slack.view_submission("U0ADMIN", view, {})
    assert response.status == 200
    await workspace.wait_for_calls("chat.postMessage", 3)  # both told, and the admin


@pytest.mark.parametrize("verb", ["end", "unpair"])
async def test_end_opens_a_confirmation_naming_both_and_changes_nothing(slack: SlackRequests, workspace: Workspace, db, clock, verb):
    pair = await _paired(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", f"admin {verb} <@U0MENTEE|tom>")
    words = text_of(view)
    assert "<@U0MENTOR>" in words and "<@U0MENTEE>" in words
    assert f"{REOPEN_GRACE_DAYS} days" in words  # says it can be undone, and for how long
    assert view["submit"]["type"] == "plain_text"
    stored = await _pair(db, pair.id)
    assert (stored.status, stored.ended_at) == ("active", None)
    assert workspace.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(("verb", "words"), [("end", "has now *ended*"), ("unpair", "ended your pairing")])
async def test_submitting_the_confirmation_ends_the_pair_and_tells_both(slack: SlackRequests, workspace: Workspace, db, clock, verb, words):
    pair = await _paired(db, clock)
    await _end(slack, workspace, verb)
    stored = await _pair(db, pair.id)
    assert (stored.status, stored.ended_at) == ("ended", clock.now())
    assert words in dms_to(workspace, "U0MENTOR")[0]
    assert words in dms_to(workspace, "U0MENTEE")[0]
    assert "/mentor admin reopen" in dms_to(workspace, "U0ADMIN")[0]


async def test_confirming_twice_ends_the_pair_and_tells_them_once(slack: SlackRequests, workspace: Workspace, db, clock):
    await _paired(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin end <@U0MENTEE|tom>")
    await slack.view_submission("U0ADMIN", view, {})
    await slack.view_submission("U0ADMIN", view, {})
    await workspace.wait_for_calls("chat.postMessage", 3)
    assert len(dms_to(workspace, "U0MENTOR")) == 1


async def test_reopen_within_the_grace_period_restores_the_pair_with_its_history(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock)
    await _end(slack, workspace)
    clock.advance(timedelta(days=REOPEN_GRACE_DAYS - 1))
    body = await command_reply(slack, workspace, "U0ADMIN", "admin reopen <@U0MENTOR|priya>")
    assert "reopened" in text_of(body)
    stored = await _pair(db, pair.id)
    assert (stored.status, stored.ended_at) == ("active", None)
    async with db.begin() as session:
        assert len((await session.exec(select(MentoringSession).where(MentoringSession.pair_id == pair.id))).all()) == 1
        assert (await session.exec(select(Charter).where(Charter.pair_id == pair.id))).one().mentor_agreed_at is not None
    await workspace.wait_for_calls("chat.postMessage", 5)
    assert "back on" in dms_to(workspace, "U0MENTOR")[-1] and "<@U0MENTEE>" in dms_to(workspace, "U0MENTOR")[-1]
    assert "back on" in dms_to(workspace, "U0MENTEE")[-1]


async def test_reopen_after_the_grace_period_is_refused_with_the_reason(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock)
    await _end(slack, workspace)
    clock.advance(timedelta(days=REOPEN_GRACE_DAYS + 1))
    body = await command_reply(slack, workspace, "U0ADMIN", "admin reopen <@U0MENTEE|tom>")
    assert f"more than {REOPEN_GRACE_DAYS} days ago" in text_of(body)
    assert (await _pair(db, pair.id)).status == "ended"


async def test_reopen_is_refused_when_one_side_erased_their_data(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock)
    await _end(slack, workspace)
    async with db.begin() as session:
        await erasure.erase_person(session, team_id=TEAM, user_id="U0MENTEE", now=clock.now())
    body = await command_reply(slack, workspace, "U0ADMIN", "admin reopen <@U0MENTOR|priya>")
    assert "deleted their data" in text_of(body)
    assert (await _pair(db, pair.id)).status == "ended"


async def test_reopen_is_refused_when_either_is_now_in_another_pair(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock)
    await _end(slack, workspace)
    async with db.begin() as session:
        programme = await session.get(Programme, pair.programme_id)
        await make_pair(session, programme=programme, now=clock.now(), mentor_id="U0OTHER", mentee_id="U0MENTEE")
    body = await command_reply(slack, workspace, "U0ADMIN", "admin reopen <@U0MENTOR|priya>")
    assert "<@U0MENTEE> is in another pair" in text_of(body)
    assert (await _pair(db, pair.id)).status == "ended"


async def test_reopen_is_refused_when_the_pairs_programme_is_closed(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock)
    await _end(slack, workspace)
    async with db.begin() as session:
        (await session.get(Programme, pair.programme_id)).status = "closed"
        await make_programme(session, now=clock.now(), name="Autumn cohort")
    body = await command_reply(slack, workspace, "U0ADMIN", "admin reopen <@U0MENTOR|priya>")
    assert "a programme that has closed" in text_of(body)
    assert (await _pair(db, pair.id)).status == "ended"


async def test_reopen_of_someone_with_no_ended_pair_says_so(slack: SlackRequests, workspace: Workspace, db, clock):
    await _paired(db, clock)
    body = await command_reply(slack, workspace, "U0ADMIN", "admin reopen <@U0OTHER|leo>")
    assert "<@U0OTHER> has no ended pair" in text_of(body)
