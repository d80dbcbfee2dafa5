"""Requests that Slack did not sign, or signed too long ago, are refused and change nothing."""

import time

from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace


async def test_forged_signature_is_refused_with_401(slack: SlackRequests, workspace: Workspace):
    body = slack.command_body("U0MENTOR", "help")
    response = await slack.post(body, "application/x-www-form-urlencoded", headers={"X-Slack-Signature": "v0=" + "0" * 64})
    assert response.status == 401
    assert workspace.calls == []


async def test_signature_made_with_another_secret_is_refused(slack: SlackRequests, workspace: Workspace):
    event = slack.event_body({"type": "app_home_opened", "user": "U0MENTOR", "tab": "home"})
    timestamp = str(int(time.time()))
    from slack_sdk.signature import SignatureVerifier

    forged = SignatureVerifier("not-the-secret").generate_signature(timestamp=timestamp, body=event)
    response = await slack.post(event, "application/json", headers={"X-Slack-Signature": forged}, timestamp=timestamp)
    assert response.status == 401
    assert workspace.home_views == {}
    assert workspace.calls_to("views.publish") == []


async def test_stale_timestamp_is_refused_even_when_correctly_signed(slack: SlackRequests, workspace: Workspace):
    event = slack.event_body({"type": "app_home_opened", "user": "U0MENTOR", "tab": "home"})
    six_minutes_ago = str(int(time.time()) - 6 * 60)
    response = await slack.post(event, "application/json", timestamp=six_minutes_ago)
    assert response.status == 401
    assert workspace.calls_to("views.publish") == []


async def test_correctly_signed_fresh_request_is_accepted(slack: SlackRequests):
    response = await slack.command("U0MENTOR", "help")
    assert response.status == 200
