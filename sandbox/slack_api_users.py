"""The Web API stand-in's methods about who is who: `auth.test` and `users.*`."""

from __future__ import annotations

from typing import Any

from sandbox.slack_api_arguments import Method, required_arg
from sandbox.workspace import SlackApiError, Workspace


def auth_test(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": f"https://{workspace.team_id.lower()}.slack.com/",
        "team": workspace.team_name,
        "user": "flipside",
        "team_id": workspace.team_id,
        "user_id": workspace.bot_user_id,
        "bot_id": "B0BOT",
        "is_enterprise_install": False,
    }


def users_info(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    member = workspace.member(required_arg(args, "user"))
    return {"user": member.as_slack(workspace.team_id, workspace.now())}


def users_lookup_by_email(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    email = str(required_arg(args, "email")).strip().lower()
    member = workspace.member_by_email(email)
    if member is None:
        raise SlackApiError("users_not_found")
    return {"user": member.as_slack(workspace.team_id, workspace.now())}


METHODS: dict[str, Method] = {
    "auth.test": auth_test,
    "users.info": users_info,
    "users.lookupByEmail": users_lookup_by_email,
}
