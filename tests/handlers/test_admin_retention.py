"""The set-up form's retention field: how long a programme's personal data is kept after it ends."""

from __future__ import annotations

from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import programmes
from tests.factories import TEAM, make_programme
from tests.handlers.admin_helpers import open_modal, with_values


def _retention_input(view: dict) -> dict:
    (block,) = [block for block in view["blocks"] if block.get("block_id") == "retention_days"]
    return block


async def test_the_setup_form_asks_how_long_to_keep_personal_data(slack: SlackRequests, workspace: Workspace):
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    block = _retention_input(view)
    assert block["label"]["text"] == "Keep personal data for this many days after the programme ends"
    assert block["element"]["initial_value"] == "365"


async def test_the_retention_period_chosen_is_saved(slack: SlackRequests, workspace: Workspace, db):
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    await slack.view_submission("U0ADMIN", view, with_values(view, name="Autumn", retention_days="90"))
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        programme = await programmes.last_programme(session, team_id=TEAM)
    assert programme.retention_days == 90


async def test_editing_shows_the_programmes_own_retention_period(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        await make_programme(session, now=clock.now(), retention_days=180)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    assert _retention_input(view)["element"]["initial_value"] == "180"


async def test_a_retention_period_out_of_range_is_refused_under_its_block(slack: SlackRequests, workspace: Workspace, db):
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    response = await slack.view_submission("U0ADMIN", view, with_values(view, name="Autumn", retention_days="5"))
    body = response.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == ["retention_days"] and "from 30 to 3650" in body["errors"]["retention_days"]
    async with db.begin() as session:
        assert await programmes.last_programme(session, team_id=TEAM) is None
