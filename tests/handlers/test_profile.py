"""`/mentor profile`: department and interests from the topic catalogue, used for matching."""

from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import people
from tests.factories import TEAM, make_person
from tests.handlers.admin_helpers import dms_to, open_modal, with_values


async def test_profile_opens_a_form_with_the_topic_catalogue(slack: SlackRequests, workspace: Workspace):
    view = await open_modal(slack, workspace, "U0MENTOR", "profile")
    interests = next(block for block in view["blocks"] if block.get("block_id") == "interests")
    options = [option["value"] for option in interests["element"]["options"]]
    assert len(options) >= 15 and "lived-experience" in options
    assert all(len(option["text"]["text"]) <= 75 for option in interests["element"]["options"])


async def test_saving_the_profile_stores_department_and_interests(slack: SlackRequests, workspace: Workspace, db):
    view = await open_modal(slack, workspace, "U0MENTOR", "profile")
    values = with_values(view, department="Data", interests=["hybrid-working", "ai-tools-at-work", "not-a-topic"])
    response = await slack.view_submission("U0MENTOR", view, values)
    assert response.text == ""
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        person = await people.get_person(session, team_id=TEAM, user_id="U0MENTOR")
    assert (person.department, person.interests, person.tz) == ("Data", "hybrid-working,ai-tools-at-work", "Asia/Kolkata")
    assert "Data" in dms_to(workspace, "U0MENTOR")[0]


async def test_the_profile_form_opens_with_what_was_saved_before(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        await make_person(session, user_id="U0MENTEE", now=clock.now(), department="Operations", interests="customer-trends")
    view = await open_modal(slack, workspace, "U0MENTEE", "profile")
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks["department"]["element"]["initial_value"] == "Operations"
    assert [option["value"] for option in blocks["interests"]["element"]["initial_options"]] == ["customer-trends"]


async def test_a_profile_without_a_department_is_refused_under_it(slack: SlackRequests, workspace: Workspace):
    view = await open_modal(slack, workspace, "U0MENTOR", "profile")
    body = (await slack.view_submission("U0MENTOR", view, with_values(view, department="  "))).json()
    assert body["response_action"] == "errors" and list(body["errors"]) == ["department"]


async def test_the_button_in_the_enrolment_message_opens_the_profile_form(slack: SlackRequests, workspace: Workspace):
    await slack.block_action("U0OTHER", {"type": "button", "action_id": "profile_open"}, message={"ts": "1.1", "text": "", "blocks": []})
    await workspace.wait_for_calls("views.open")
    assert workspace.modal_stacks["U0OTHER"][-1]["callback_id"] == "profile"
