"""`/mentor admin match`: a proposal for the enrolled but unpaired, confirmed in one click or edited."""

from sqlmodel import select

from domain.roles import Role
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import enrolments, org_chart, people
from store.models import Pair
from store.org_chart import NewEntry
from tests.factories import TEAM, make_pair, make_person, make_programme
from tests.handlers.admin_helpers import dms_to, open_modal, text_of

PEOPLE = {
    # user: (role, department, interests, zone)
    "U0MENTOR": (Role.MENTOR, "Data", "lived-experience,hybrid-working", "Asia/Kolkata"),
    "U0OTHER": (Role.MENTOR, "Design", "ai-tools-at-work", "Europe/Paris"),
    "U0MENTEE": (Role.MENTEE, "Operations", "ai-tools-at-work", "America/New_York"),
    "U0OWNER": (Role.MENTEE, "IT", "lived-experience,hybrid-working", "Europe/London"),
}


async def _cohort(db, clock):
    async with db.begin() as session:
        programme = await make_programme(session, now=clock.now())
        for user_id, (role, department, interests, tz) in PEOPLE.items():
            await make_person(session, user_id=user_id, tz=tz, now=clock.now(), department=department, interests=interests)
            await enrolments.enrol(session, team_id=TEAM, programme_id=programme.id, user_id=user_id, role=role, now=clock.now())
    return programme


def _proposed(view) -> list[str]:
    return [block["accessory"]["value"] for block in view["blocks"] if block.get("accessory", {}).get("action_id") == "admin_match_remove"]


async def _pairs(db) -> list[tuple[str, str]]:
    async with db.begin() as session:
        return [(pair.mentor_id, pair.mentee_id) for pair in (await session.exec(select(Pair).where(Pair.status == "active").order_by(Pair.mentor_id))).all()]


async def test_match_proposes_the_pairs_with_most_in_common(slack: SlackRequests, workspace: Workspace, db, clock):
    await _cohort(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin match")
    assert _proposed(view) == ["U0MENTOR:U0OWNER", "U0OTHER:U0MENTEE"]
    assert "Lived experience of being under-represented" in text_of(view)
    assert view["submit"]["text"] == "Confirm all"


async def test_confirming_the_proposal_pairs_everyone_and_welcomes_them(slack: SlackRequests, workspace: Workspace, db, clock):
    await _cohort(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin match")
    response = await slack.view_submission("U0ADMIN", view, {})
    assert response.text == ""
    await workspace.wait_for_calls("chat.postMessage", 5)
    assert await _pairs(db) == [("U0MENTOR", "U0OWNER"), ("U0OTHER", "U0MENTEE")]
    assert "Paired (2)" in dms_to(workspace, "U0ADMIN")[0]
    assert "Start your charter" in dms_to(workspace, "U0OWNER")[0]


async def test_removing_a_proposed_pair_leaves_it_out_when_confirmed(slack: SlackRequests, workspace: Workspace, db, clock):
    await _cohort(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin match")
    await slack.block_action("U0ADMIN", {"type": "button", "action_id": "admin_match_remove", "value": "U0MENTOR:U0OWNER"}, view=view)
    await workspace.wait_for_calls("views.update")
    updated = workspace.modal_stacks["U0ADMIN"][-1]
    assert _proposed(updated) == ["U0OTHER:U0MENTEE"]
    assert "Not matched: <@U0MENTOR> and <@U0OWNER>" in text_of(updated)
    await slack.view_submission("U0ADMIN", updated, {})
    await workspace.wait_for_calls("chat.postMessage", 3)
    assert await _pairs(db) == [("U0OTHER", "U0MENTEE")]


async def test_matching_never_repeats_a_pair_from_an_earlier_programme(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        earlier = await make_programme(session, now=clock.now(), name="2025", status="closed")
        await make_pair(session, programme=earlier, now=clock.now(), mentor_id="U0MENTOR", mentee_id="U0OWNER", status="ended")
    await _cohort(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin match")
    # Priya's one other choice, Tom, shares only 30 minutes of working day (Kolkata and New York, 08-19):
    # under an hour, so not proposed either.
    assert _proposed(view) == ["U0OTHER:U0OWNER"]


async def test_people_already_paired_are_left_out_of_the_proposal(slack: SlackRequests, workspace: Workspace, db, clock):
    programme = await _cohort(db, clock)
    async with db.begin() as session:
        await make_pair(session, programme=programme, now=clock.now(), mentor_id="U0MENTOR", mentee_id="U0OWNER")
    view = await open_modal(slack, workspace, "U0ADMIN", "admin match")
    assert _proposed(view) == ["U0OTHER:U0MENTEE"]


async def test_with_no_one_to_match_the_form_says_so_and_offers_no_confirm(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        await make_programme(session, now=clock.now())
    view = await open_modal(slack, workspace, "U0ADMIN", "admin match")
    assert "no pairs to suggest" in text_of(view)
    assert "submit" not in view


async def test_pair_someone_myself_opens_the_pair_form_on_top(slack: SlackRequests, workspace: Workspace, db, clock):
    await _cohort(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin match")
    await slack.block_action("U0ADMIN", {"type": "button", "action_id": "admin_match_manual"}, view=view)
    await workspace.wait_for_calls("views.push")
    assert [modal["callback_id"] for modal in workspace.modal_stacks["U0ADMIN"]] == ["admin_match", "admin_pair"]


async def test_matching_never_proposes_someone_with_a_manager_in_their_own_line(slack: SlackRequests, workspace: Workspace, db, clock):
    await _cohort(db, clock)
    async with db.begin() as session:  # Sam (IT) manages Amara, who manages Priya: Sam is two levels above her
        await org_chart.replace_chart(session, team_id=TEAM, now=clock.now(), entries=[
            NewEntry("U0OWNER", "sam@example.com", "", "IT"),
            NewEntry("U0ADMIN", "amara@example.com", "U0OWNER", "People"),
            NewEntry("U0MENTOR", "priya@example.com", "U0ADMIN", "Data"),
        ])
    view = await open_modal(slack, workspace, "U0ADMIN", "admin match")
    assert "U0MENTOR:U0OWNER" not in _proposed(view)  # the best match on interests, but her manager's manager
    assert "never from the same department or reporting line" in text_of(view)


async def test_a_department_the_org_chart_gives_counts_and_a_blank_one_is_a_warning(slack: SlackRequests, workspace: Workspace, db, clock):
    await _cohort(db, clock)
    async with db.begin() as session:  # the chart puts Léo in Operations beside Tom; Sam has a department nowhere
        await org_chart.replace_chart(session, team_id=TEAM, now=clock.now(), entries=[
            NewEntry("U0OTHER", "leo@example.com", "", "Operations"),
            NewEntry("U0OWNER", "sam@example.com", "", ""),
        ])
        await people.set_profile(session, person=await people.get_person(session, team_id=TEAM, user_id="U0OWNER"), department="", interests=[])
    view = await open_modal(slack, workspace, "U0ADMIN", "admin match")
    assert "U0OTHER:U0MENTEE" not in _proposed(view)  # one department now, by the chart (Léo's profile says Design)
    [proposed] = _proposed(view)  # Tom shares too little of the day with Priya, and now a department with Léo
    assert proposed.endswith(":U0OWNER")
    assert "Department unknown for <@U0OWNER>: check they don't work in the same department." in text_of(view)
