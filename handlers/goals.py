"""`/mentor goals`: each side's one to three goals, seen by both, and progress on each.
Thin: parse, call a flow (bot.flows.goals), render with prompts/goals.py, send."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import subcommand, team_of
from bot.flows import goals as flow
from bot.flows.goals import GoalChecked, GoalProblem
from bot.rules.pair_access import Refusal
from bot.services import services_of
from handlers.home import republish_homes
from handlers.pair_support import dm, number, tell
from prompts import goals as goal_prompts
from prompts import pairing as pairing_prompts


def _refused(checked: GoalChecked) -> dict | None:
    """Why the person may not record progress on the goal, in words; None when they may."""
    if checked.refusal is not None:
        return pairing_prompts.refusal(checked.refusal)
    if checked.problem is GoalProblem.NOT_YOURS:
        return goal_prompts.not_your_goal()
    if checked.problem is not None or checked.goal is None:
        return goal_prompts.goal_not_found()
    return None


async def handle_goals_command(ack: AsyncAck, respond: AsyncRespond, command: dict, context: dict) -> None:
    # Acknowledge first and answer through response_url: reading the store may be slow.
    await ack()
    look = await flow.look_at_goals(services_of(context), team_id=team_of(command, context), user_id=command["user_id"])
    if look.refusal is not None:
        reply = pairing_prompts.refusal(look.refusal)
    else:
        reply = goal_prompts.build_goals_list(
            pair_id=look.pair_id, my_goals=look.mine, partner_id=look.partner_id, partner_goals=look.partners, can_edit=look.can_edit
        )
    await respond(response_type="ephemeral", **reply)


async def handle_goals_edit(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    pair_id = number(action.get("value"))
    mine = await flow.goals_form(services_of(context), team_id=team_of(body, context), user_id=body["user"]["id"], pair_id=pair_id)
    if isinstance(mine, Refusal):
        await tell(client, body, pairing_prompts.refusal(mine))
        return
    await client.views_open(trigger_id=body["trigger_id"], view=goal_prompts.build_goals_modal(pair_id=pair_id or 0, goals=mine))


async def handle_goals_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    pair_id, drafts, errors = goal_prompts.parse_goals_submission(view["state"]["values"], view.get("private_metadata") or "")
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    saved = await flow.save_goals(services, team_id=team_id, user_id=user_id, pair_id=pair_id, view_id=view.get("id", ""), drafts=drafts)
    if saved.refusal is not None:
        notice = pairing_prompts.refusal(saved.refusal)
        await ack(response_action="update", view=pairing_prompts.build_notice_modal(goal_prompts.GOALS_TITLE, notice))
        return
    await ack()
    if saved.repeat:  # Submit pressed again: saved and told already
        return
    await dm(client, user_id, goal_prompts.build_goals_saved(saved.count))
    if saved.first:
        await dm(client, saved.partner_id, goal_prompts.build_partner_goals_set(owner_id=user_id, count=saved.count))
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, saved.partner_id])


async def handle_goal_update(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    checked = await flow.goal_to_update(
        services_of(context), team_id=team_of(body, context), user_id=body["user"]["id"], goal_id=number(action.get("value"))
    )
    reply = _refused(checked)
    if reply is not None:
        await tell(client, body, reply)
        return
    await client.views_open(trigger_id=body["trigger_id"], view=goal_prompts.build_progress_modal(checked.goal))


async def handle_progress_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    progress, note, errors = goal_prompts.parse_progress_submission(view["state"]["values"])
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    checked = await flow.record_progress(
        services, team_id=team_id, user_id=user_id, goal_id=number(view.get("private_metadata")), view_id=view.get("id", ""),
        progress=progress, note=note,
    )
    notice = _refused(checked)
    if notice is not None:
        await ack(response_action="update", view=pairing_prompts.build_notice_modal(goal_prompts.PROGRESS_TITLE, notice))
        return
    await ack()
    if checked.repeat:  # Submit pressed again: the progress is recorded already
        return
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, checked.partner_id])


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("goals")])(handle_goals_command)
    app.action(goal_prompts.GOALS_EDIT_ACTION)(handle_goals_edit)
    app.action(goal_prompts.GOAL_UPDATE_ACTION)(handle_goal_update)
    app.view(goal_prompts.GOALS_CALLBACK)(handle_goals_submission)
    app.view(goal_prompts.GOAL_PROGRESS_CALLBACK)(handle_progress_submission)
