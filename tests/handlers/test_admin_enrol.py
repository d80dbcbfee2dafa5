"""Enrolling people: typed mentions, the picker form, and pasted lines of emails (enrol and pair)."""

from sqlmodel import select

from domain.roles import Role
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Member, Workspace
from store import enrolments
from store.models import Enrolment, Pair
from tests.factories import TEAM, make_pair, make_programme
from tests.handlers.admin_helpers import command_reply, dm_blocks_to, dms_to, open_modal, text_of, with_values


async def _programme(db, clock, **fields):
    async with db.begin() as session:
        return await make_programme(session, now=clock.now(), **fields)


async def _enrolled(db, programme) -> dict[str, str]:
    async with db.begin() as session:
        rows = await enrolments.enrolments(session, team_id=TEAM, programme_id=programme.id)
    return {row.user_id: row.role for row in rows}


async def test_typed_enrol_enrols_each_mentioned_person_in_that_role(slack: SlackRequests, workspace: Workspace, db, clock):
    programme = await _programme(db, clock)
    body = await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentor <@U0MENTOR|priya> <@U0OTHER|leo>")
    assert body["response_type"] == "ephemeral"
    assert "<@U0MENTOR>" in text_of(body) and "<@U0OTHER>" in text_of(body)
    assert await _enrolled(db, programme) == {"U0MENTOR": "mentor", "U0OTHER": "mentor"}


async def test_newly_enrolled_people_are_asked_for_their_department_and_interests(slack: SlackRequests, workspace: Workspace, db, clock):
    await _programme(db, clock, name="Spring cohort")
    await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentee <@U0MENTEE|tom>")
    await workspace.wait_for_calls("chat.postMessage")
    assert "mentee" in dms_to(workspace, "U0MENTEE")[0] and "Spring cohort" in dms_to(workspace, "U0MENTEE")[0]
    buttons = [element["action_id"] for block in dm_blocks_to(workspace, "U0MENTEE")[0] for element in block.get("elements", [])]
    assert buttons == ["profile_open"]


async def test_someone_enrolled_in_the_other_role_is_refused(slack: SlackRequests, workspace: Workspace, db, clock):
    programme = await _programme(db, clock)
    await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentor <@U0MENTOR|priya>")
    body = await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentee <@U0MENTOR|priya>")
    assert "already enrolled as a reverse-mentor" in text_of(body)
    assert await _enrolled(db, programme) == {"U0MENTOR": "mentor"}


async def test_bots_and_deactivated_people_are_not_enrolled_but_the_others_are(slack: SlackRequests, workspace: Workspace, db, clock):
    programme = await _programme(db, clock)
    body = await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentor <@U0BOT|flipside> <@U0GONE|old> <@U0OTHER|leo>")
    assert "<@U0BOT> is a bot" in text_of(body)
    assert "<@U0GONE>'s Slack account is deactivated" in text_of(body)
    assert await _enrolled(db, programme) == {"U0OTHER": "mentor"}


async def test_enrolling_someone_twice_in_the_same_role_says_so_and_changes_nothing(slack: SlackRequests, workspace: Workspace, db, clock):
    programme = await _programme(db, clock)
    await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentor <@U0MENTOR|priya>")
    body = await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentor <@U0MENTOR|priya>")
    assert "Already enrolled as reverse-mentors: <@U0MENTOR>" in text_of(body)
    assert await _enrolled(db, programme) == {"U0MENTOR": "mentor"}


async def test_typed_enrol_without_a_role_or_mentions_explains_how(slack: SlackRequests, workspace: Workspace, db, clock):
    await _programme(db, clock)
    for text in ("admin enrol mentor", "admin enrol boss <@U0MENTOR|priya>"):
        body = await slack.command_reply("U0ADMIN", text)
        assert "/mentor admin enrol mentor @priya" in text_of(body)


async def test_people_from_an_earlier_programme_can_be_enrolled_again(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        earlier = await make_programme(session, now=clock.now(), name="2025", status="closed")
        await make_pair(session, programme=earlier, now=clock.now(), status="ended")
    programme = await _programme(db, clock, name="2026")
    await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentor <@U0MENTOR|priya>")
    assert await _enrolled(db, programme) == {"U0MENTOR": "mentor"}
    assert await _enrolled(db, earlier) == {"U0MENTOR": "mentor", "U0MENTEE": "mentee"}


async def test_the_enrol_form_enrols_both_roles(slack: SlackRequests, workspace: Workspace, db, clock):
    programme = await _programme(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin enrol")
    response = await slack.view_submission("U0ADMIN", view, with_values(view, mentors=["U0MENTOR"], mentees=["U0MENTEE", "U0GONE"]))
    assert response.text == ""
    await workspace.wait_for_calls("chat.postMessage", 3)  # the admin's report and two invitations
    assert await _enrolled(db, programme) == {"U0MENTOR": "mentor", "U0MENTEE": "mentee"}
    assert "deactivated" in dms_to(workspace, "U0ADMIN")[0]


async def test_the_enrol_form_refuses_the_same_person_in_both_roles(slack: SlackRequests, workspace: Workspace, db, clock):
    programme = await _programme(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin enrol")
    body = (await slack.view_submission("U0ADMIN", view, with_values(view, mentors=["U0MENTOR"], mentees=["U0MENTOR"]))).json()
    assert body["response_action"] == "errors" and "mentees" in body["errors"]
    assert await _enrolled(db, programme) == {}


async def test_the_enrol_form_needs_someone(slack: SlackRequests, workspace: Workspace, db, clock):
    await _programme(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin enrol")
    body = (await slack.view_submission("U0ADMIN", view, with_values(view))).json()
    assert body["errors"] == {"mentors": "Choose at least one person to enrol."}


# --- bulk --------------------------------------------------------------------------------------------

BULK_LINES = "\n".join(
    [
        "priya@example.com, tom@example.com",  # 1: good
        "just-one@example.com",  # 2: bad line
        "nobody@example.com, leo@example.com",  # 3: unknown email
        "leo@example.com, leo@example.com",  # 4: same person twice
        "leo@example.com, robot@example.com",  # 5: a bot
        "leo@example.com, old@example.com",  # 6: deactivated
        "tom@example.com, leo@example.com",  # 7: tom is now a mentee, so can't mentor
        "",
        "sam@example.com, amara@example.com",  # 9: good
    ]
)


async def _submit_bulk(slack: SlackRequests, workspace: Workspace, text: str):
    workspace.members["U0GONE"].email = "old@example.com"
    workspace.add_member(Member(id="U0ROBOT", name="robot", real_name="Robot", email="robot@example.com", is_bot=True))
    view = await open_modal(slack, workspace, "U0ADMIN", "admin enrol bulk")
    return await slack.view_submission("U0ADMIN", view, with_values(view, lines=text))


async def test_bulk_enrolment_saves_the_good_lines_as_enrolled_pairs(slack: SlackRequests, workspace: Workspace, db, clock):
    programme = await _programme(db, clock)
    response = await _submit_bulk(slack, workspace, BULK_LINES)
    assert response.text == ""
    await workspace.wait_for_calls("chat.postMessage", 5)  # four welcomes and the admin's report
    async with db.begin() as session:
        saved = [(pair.mentor_id, pair.mentee_id) for pair in (await session.exec(select(Pair))).all()]
    assert saved == [("U0MENTOR", "U0MENTEE"), ("U0OWNER", "U0ADMIN")]
    assert await _enrolled(db, programme) == {"U0MENTOR": "mentor", "U0MENTEE": "mentee", "U0OWNER": "mentor", "U0ADMIN": "mentee"}


async def test_bulk_enrolment_reports_each_failed_line_and_why(slack: SlackRequests, workspace: Workspace, db, clock):
    await _programme(db, clock)
    await _submit_bulk(slack, workspace, BULK_LINES)
    await workspace.wait_for_calls("chat.postMessage", 5)
    report = dms_to(workspace, "U0ADMIN")[-1]
    assert "Line 1: <@U0MENTOR> with <@U0MENTEE>" in report
    assert "Line 9: <@U0OWNER> with <@U0ADMIN>" in report
    assert "Line 2 `just-one@example.com`: this line isn't two email addresses" in report
    assert "Line 3 `nobody@example.com, leo@example.com`: no one in this workspace has the email address nobody@example.com" in report
    assert "Line 4 `leo@example.com, leo@example.com`: the same person is on both sides" in report
    assert "Line 5 `leo@example.com, robot@example.com`: <@U0ROBOT> is a bot" in report
    assert "Line 6 `leo@example.com, old@example.com`: <@U0GONE>'s Slack account is deactivated" in report
    assert "Line 7 `tom@example.com, leo@example.com`: <@U0MENTEE> is already enrolled as a mentee" in report


async def test_a_failed_bulk_line_saves_nothing_of_itself(slack: SlackRequests, workspace: Workspace, db, clock):
    await _programme(db, clock)
    await _submit_bulk(slack, workspace, "leo@example.com, robot@example.com\nleo@example.com, nobody@example.com")
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        assert (await session.exec(select(Enrolment))).all() == []
        assert (await session.exec(select(Pair))).all() == []


async def test_bulk_pairs_are_welcomed(slack: SlackRequests, workspace: Workspace, db, clock):
    await _programme(db, clock)
    await _submit_bulk(slack, workspace, "priya@example.com, tom@example.com")
    await workspace.wait_for_calls("chat.postMessage", 3)
    assert "reverse-mentor for <@U0MENTEE>" in dms_to(workspace, "U0MENTOR")[0]
    assert "Your *reverse-mentor* is <@U0MENTOR>" in dms_to(workspace, "U0MENTEE")[0]


async def test_bulk_enrolment_refuses_someone_already_in_a_pair(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        programme = await make_programme(session, now=clock.now())
        await make_pair(session, programme=programme, now=clock.now())
    await _submit_bulk(slack, workspace, "priya@example.com, leo@example.com")
    await workspace.wait_for_calls("chat.postMessage")
    assert "<@U0MENTOR> is already in a pair" in dms_to(workspace, "U0ADMIN")[-1]
    assert await _enrolled(db, programme) == {"U0MENTOR": "mentor", "U0MENTEE": "mentee"}


async def test_an_empty_bulk_form_is_refused_under_the_lines(slack: SlackRequests, workspace: Workspace, db, clock):
    await _programme(db, clock)
    body = (await _submit_bulk(slack, workspace, "  \n ")).json()
    assert body["response_action"] == "errors" and "lines" in body["errors"]


async def test_enrolments_are_per_programme(db, clock):
    async with db.begin() as session:
        first = await make_programme(session, now=clock.now(), name="One")
        second = await make_programme(session, now=clock.now(), name="Two")
        await enrolments.enrol(session, team_id=TEAM, programme_id=first.id, user_id="U0MENTOR", role=Role.MENTOR, now=clock.now())
        await enrolments.enrol(session, team_id=TEAM, programme_id=second.id, user_id="U0MENTOR", role=Role.MENTEE, now=clock.now())
        assert (await enrolments.get_enrolment(session, team_id=TEAM, programme_id=second.id, user_id="U0MENTOR")).role == "mentee"
