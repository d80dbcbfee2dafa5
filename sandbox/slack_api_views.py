"""The Web API stand-in's `views.*` methods: the Home tab and each person's stack of modals."""

from __future__ import annotations

import logging
from typing import Any

from sandbox.block_checks import view_problems
from sandbox.slack_api_arguments import Method, json_arg, required_arg
from sandbox.workspace import SlackApiError, Workspace

logger = logging.getLogger(__name__)


def new_view(workspace: Workspace, view: dict[str, Any], *, user_id: str, root: dict[str, Any] | None = None) -> dict[str, Any]:
    """A view as Slack stores it (ids, hash, empty state), refused as Slack refuses it; the page's
    `response_action` updates and pushes make theirs here too."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        raise SlackApiError("invalid_arguments")
    if view["type"] == "modal" and not view.get("title"):
        raise SlackApiError("invalid_arguments")
    problems = view_problems(view)
    if problems:
        logger.warning("invalid_arguments: %s", "; ".join(problems))
        raise SlackApiError("invalid_arguments")
    view_id = (root or {}).get("id") or workspace.next_id("V")
    return {
        **view,
        "id": view_id,
        "team_id": workspace.team_id,
        "user_id": user_id,
        "hash": workspace.next_id("h"),
        "root_view_id": (root or {}).get("root_view_id", view_id),
        "state": {"values": {}},
    }


def views_publish(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user_id = workspace.member(required_arg(args, "user_id")).id
    view = new_view(workspace, json_arg(args, "view"), user_id=user_id, root=workspace.home_views.get(user_id))
    if view["type"] != "home":
        raise SlackApiError("invalid_arguments")
    workspace.home_views[user_id] = view
    workspace.notify("home", {"user_id": user_id})
    return {"view": view}


def views_open(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user_id = workspace.use_trigger(required_arg(args, "trigger_id"))
    view = new_view(workspace, json_arg(args, "view"), user_id=user_id)
    workspace.modal_stacks[user_id] = [view]
    workspace.notify("modal", {"user_id": user_id})
    return {"view": view}


def views_push(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user_id = workspace.use_trigger(required_arg(args, "trigger_id"))
    stack = workspace.modal_stacks.get(user_id) or []
    if not stack:
        raise SlackApiError("not_found")
    if len(stack) >= 3:
        raise SlackApiError("push_limit_reached")
    view = new_view(workspace, json_arg(args, "view"), user_id=user_id)
    stack.append(view)
    workspace.notify("modal", {"user_id": user_id})
    return {"view": view}


def views_update(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    view_id = args.get("view_id")
    for user_id, stack in workspace.modal_stacks.items():
        for index, current in enumerate(stack):
            if current["id"] == view_id or (args.get("external_id") and current.get("external_id") == args["external_id"]):
                if args.get("hash") and args["hash"] != current["hash"]:
                    raise SlackApiError("hash_conflict")
                stack[index] = new_view(workspace, json_arg(args, "view"), user_id=user_id, root=current)
                workspace.notify("modal", {"user_id": user_id})
                return {"view": stack[index]}
    raise SlackApiError("not_found")


METHODS: dict[str, Method] = {
    "views.publish": views_publish,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
}
