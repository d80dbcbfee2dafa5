"""The Home tab is published when someone opens it."""

from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace


async def test_opening_home_publishes_a_home_view_for_that_person(slack: SlackRequests, workspace: Workspace):
    response = await slack.app_home_opened("U0MENTEE")
    assert response.status == 200
    publishes = await workspace.wait_for_calls("views.publish")
    assert [call.args["user_id"] for call in publishes] == ["U0MENTEE"]
    view = workspace.home_views["U0MENTEE"]
    assert view["type"] == "home"
    assert view["blocks"][0]["type"] == "header"


async def test_opening_the_messages_tab_does_not_republish_home(slack: SlackRequests, workspace: Workspace):
    await slack.event({"type": "app_home_opened", "user": "U0MENTEE", "tab": "messages"})
    await slack.app_home_opened("U0MENTOR")  # a marker: once its publish lands, the first was handled
    publishes = await workspace.wait_for_calls("views.publish")
    assert [call.args["user_id"] for call in publishes] == ["U0MENTOR"]
