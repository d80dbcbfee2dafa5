"""A manual pair within one reporting line (by the org chart) is only made once the admin confirms it."""

from sqlmodel import select

from domain.roles import Role
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import enrolments, org_chart
from store.models import Pair
from store.org_chart import NewEntry
from tests.factories import TEAM, make_programme
from tests.handlers.admin_helpers import dms_to, open_modal, text_of, with_values


async def _setup(db, clock):
    """Priya mentors, Tom is the mentee, and by the org chart Tom is two levels above Priya."""
    async with db.begin() as session:
        programme = await make_programme(session, now=clock.now())
        for user_id, role in (("U0MENTOR", Role.MENTOR), ("U0MENTEE", Role.MENTEE)):
            await enrolments.enrol(session, team_id=TEAM, programme_id=programme.id, user_id=user_id, role=role, now=clock.now())
        await org_chart.replace_chart(session, team_id=TEAM, now=clock.now(), entries=[
            NewEntry("U0MENTEE", "tom@example.com", "", "Operations"),
            NewEntry("U0ADMIN", "amara@example.com", "U0MENTEE", "People"),
            NewEntry("U0MENTOR", "priya@example.com", "U0ADMIN", "Data"),
        ])
    return programme


async def _pairs(db) -> list[tuple[str, str]]:
    async with db() as session:
        return [(pair.mentor_id, pair.mentee_id) for pair in (await session.exec(select(Pair))).all()]


async def test_a_typed_pair_in_one_reporting_line_asks_first_and_pairs_nothing(slack: SlackRequests, workspace: Workspace, db, clock):
    await _setup(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin pair <@U0MENTOR> <@U0MENTEE>")
    assert view["callback_id"] == "admin_pair_reporting_line"
    assert "<@U0MENTEE> is above <@U0MENTOR> in the same reporting line, by the org chart." in text_of(view)
    assert view["submit"]["text"] == "Pair them anyway"
    assert await _pairs(db) == []


async def test_confirming_pairs_them_and_welcomes_both(slack: SlackRequests, workspace: Workspace, db, clock):
    await _setup(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin pair <@U0MENTOR> <@U0MENTEE>")
    response = await slack.view_submission("U0ADMIN", view, {})
    assert response.status == 200
    await workspace.wait_for_calls("chat.postMessage", 3)
    assert await _pairs(db) == [("U0MENTOR", "U0MENTEE")]
    assert "<@U0MENTOR> is now the reverse-mentor for <@U0MENTEE>" in dms_to(workspace, "U0ADMIN")[-1]
    again = await slack.view_submission("U0ADMIN", view, {})  # Submit pressed twice
    assert again.status == 200
    assert await _pairs(db) == [("U0MENTOR", "U0MENTEE")]


async def test_the_pair_form_turns_into_the_question_in_place(slack: SlackRequests, workspace: Workspace, db, clock):
    await _setup(db, clock)
    form = await open_modal(slack, workspace, "U0ADMIN", "admin pair")
    response = await slack.view_submission("U0ADMIN", form, with_values(form, mentor="U0MENTOR", mentee="U0MENTEE"))
    body = response.json()
    assert body["response_action"] == "update"
    assert body["view"]["callback_id"] == "admin_pair_reporting_line"
    assert await _pairs(db) == []


async def test_people_in_different_lines_are_paired_without_a_question(slack: SlackRequests, workspace: Workspace, db, clock):
    await _setup(db, clock)
    async with db.begin() as session:
        await org_chart.replace_chart(session, team_id=TEAM, now=clock.now(), entries=[
            NewEntry("U0MENTEE", "tom@example.com", "", "Operations"), NewEntry("U0MENTOR", "priya@example.com", "", "Data"),
        ])
    reply = await slack.command_reply("U0ADMIN", "admin pair <@U0MENTOR> <@U0MENTEE>")
    assert "is now the reverse-mentor" in reply["text"]
    assert await _pairs(db) == [("U0MENTOR", "U0MENTEE")]
