"""`/mentor admin org`: an admin pastes the org chart; each bad line is refused with its reason and nothing
is saved, or the chart is replaced whole and the admin told what it holds."""

from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import org_chart
from tests.factories import TEAM, make_programme
from tests.handlers.admin_helpers import dms_to, open_modal, text_of, with_values

HEADER = "email,manager_email,department,location,employee_id"
GOOD = "\n".join([
    HEADER,
    "tom@example.com,,Operations,New York,E1",  # Tom, the COO, at the top
    "amara@example.com,tom@example.com,People,London,E2",
    "priya@example.com,amara@example.com,Data,Kolkata,E3",
    "leo@example.com,tom@example.com,,Paris,E4",  # no department
])


async def _programme(db, clock):
    async with db.begin() as session:
        return await make_programme(session, now=clock.now())


async def _import(slack: SlackRequests, workspace: Workspace, text: str, user_id: str = "U0ADMIN") -> str:
    view = await open_modal(slack, workspace, user_id, "admin org")
    before = len(dms_to(workspace, user_id))
    response = await slack.view_submission(user_id, view, with_values(view, org_csv=text))
    assert response.status == 200
    await workspace.wait_until(lambda: len(dms_to(workspace, user_id)) > before)
    return dms_to(workspace, user_id)[-1]


async def test_an_admin_imports_the_chart_and_is_told_what_it_holds(slack, workspace, db, clock):
    await _programme(db, clock)
    report = await _import(slack, workspace, GOOD)
    assert "Org chart imported: 4 people in 3 departments, 1 at the top of their chain" in report
    assert "1 people have no department" in report
    assert sorted(call.args["email"] for call in workspace.calls_to("users.lookupByEmail")) == sorted(
        ["tom@example.com", "amara@example.com", "priya@example.com", "leo@example.com"]
    )
    async with db() as session:
        places = await org_chart.places(session, team_id=TEAM)
    assert {user_id: (place.manager_id, place.department) for user_id, place in places.items()} == {
        "U0MENTEE": ("", "Operations"), "U0ADMIN": ("U0MENTEE", "People"), "U0MENTOR": ("U0ADMIN", "Data"), "U0OTHER": ("U0MENTEE", ""),
    }


async def test_each_refused_line_is_named_with_its_reason_and_nothing_is_saved(slack, workspace, db, clock):
    await _programme(db, clock)
    await _import(slack, workspace, GOOD)
    workspace.members["U0GONE"].email = "old@example.com"
    bad = "\n".join([
        HEADER,
        "tom@example.com,,Operations,New York,E1",  # 2: fine
        "nobody@example.com,tom@example.com,Sales,Paris,",  # 3: not in Slack
        "old@example.com,tom@example.com,Sales,Paris,",  # 4: deactivated
        "priya@example.com,boss@example.com,Data,Kolkata,",  # 5: a manager nowhere
        "tom@example.com,,Operations,New York,",  # 6: duplicate
        "amara@example.com,leo@example.com,People,London,",  # 7-8: a loop
        "leo@example.com,amara@example.com,Design,Paris,",
        "<b>not-an-email,,x,y,",  # 9: malformed, echoed escaped
    ])
    report = await _import(slack, workspace, bad)
    assert "Org chart not imported: 7 lines were refused, so nothing was saved" in report
    for expected in (
        "Line 3: no one in Slack has the email `nobody@example.com`",
        "Line 4: `old@example.com` belongs to a deactivated Slack account",
        "Line 5: the manager `boss@example.com` is neither in the file nor in Slack",
        "Line 6: `tom@example.com` is already on line 2",
        "Line 7: a manager loop: amara@example.com → leo@example.com → amara@example.com",
        "Line 8: a manager loop: leo@example.com → amara@example.com → leo@example.com",
        "Line 9: `&lt;b&gt;not-an-email` is not an email address",
    ):
        assert expected in report
    async with db() as session:
        assert await org_chart.chart_size(session, team_id=TEAM) == 4  # the chart from before, untouched


async def test_a_file_with_a_loop_saves_nothing_even_on_a_first_import(slack, workspace, db, clock):
    await _programme(db, clock)
    loop = f"{HEADER}\ntom@example.com,amara@example.com,Operations,NY,\namara@example.com,tom@example.com,People,London,\npriya@example.com,,Data,Kolkata,"
    report = await _import(slack, workspace, loop)
    assert "a manager loop" in report
    async with db() as session:
        assert await org_chart.chart_size(session, team_id=TEAM) == 0


async def test_an_empty_form_is_refused_in_place(slack, workspace, db, clock):
    await _programme(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin org")
    response = await slack.view_submission("U0ADMIN", view, with_values(view, org_csv="  "))
    assert response.json()["errors"] == {"org_csv": "Paste the CSV, starting with its header line."}


async def test_the_form_says_how_many_people_the_chart_it_replaces_holds(slack, workspace, db, clock):
    await _programme(db, clock)
    await _import(slack, workspace, GOOD)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin org")
    assert "The current chart has 4 people; importing replaces it whole." in text_of(view)


async def test_the_admin_home_has_a_button_that_opens_the_form(slack, workspace, db, clock):
    await _programme(db, clock)
    before = len(workspace.calls_to("views.open"))
    await slack.block_action("U0ADMIN", {"action_id": "admin_org_open", "value": ""})
    await workspace.wait_for_calls("views.open", before + 1)
    assert workspace.modal_stacks["U0ADMIN"][-1]["callback_id"] == "org_chart_import"


async def test_someone_who_is_not_an_admin_cannot_import(slack, workspace, db, clock):
    await _programme(db, clock)
    response = await slack.command("U0MENTOR", "admin org")
    assert response.status == 200
    assert not workspace.calls_to("views.open")
