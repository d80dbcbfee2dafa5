"""`/mentor goals`: each side's one to three goals, seen by both, and progress on each."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import subcommand
from bot.rules.pair_access import Refusal, edit_refusal, view_refusal
from bot.services import services_of
from domain.statuses import GoalProgress, PairStatus
from handlers.home import republish_homes
from handlers.pair_support import dm, editable_pair, number, open_pair_modal, team_of, tell
from prompts import goals as goal_prompts
from prompts import pairing as pairing_prompts
from store import events, goals, pairs
from store.goals import GoalDraft
from store.models import Pair


async def handle_goals_command(ack: AsyncAck, respond: AsyncRespond, command: dict, context: dict) -> None:
    # Acknowledge first and answer through response_url: reading the store may be slow.
    await ack()
    services, user_id = services_of(context), command["user_id"]
    team_id = command.get("team_id") or context.get("team_id") or ""
    async with services.sessions.begin() as session:
        pair = await pairs.current_pair(session, team_id=team_id, user_id=user_id)
        refusal = view_refusal(pair, user_id)
        if refusal is None and pair is not None:
            all_goals = await goals.goals_of_pair(session, team_id=team_id, pair_id=pair.id)
            partner_id = pairs.partner_of(pair, user_id)
            reply = goal_prompts.build_goals_list(
                pair_id=pair.id,
                my_goals=[goal for goal in all_goals if goal.owner_id == user_id],
                partner_id=partner_id,
                partner_goals=[goal for goal in all_goals if goal.owner_id == partner_id],
                can_edit=pair.status != PairStatus.PAUSED,
            )
    if refusal is not None:
        reply = pairing_prompts.refusal(refusal)
    await respond(response_type="ephemeral", **reply)


async def handle_goals_edit(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()

    async def build(session: AsyncSession, pair: Pair, user_id: str) -> dict[str, Any]:
        mine = await goals.goals_of(session, team_id=pair.team_id, pair_id=pair.id, owner_id=user_id)
        return goal_prompts.build_goals_modal(pair_id=pair.id, goals=mine)

    await open_pair_modal(body, action, client, context, build)


async def handle_goals_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    pair_id, drafts, errors = goal_prompts.parse_goals_submission(view["state"]["values"], view.get("private_metadata") or "")
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    now = services.clock.now()
    repeat = False
    async with services.sessions.begin() as session:
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        if refusal is None and pair is not None:
            repeat = not await events.first_submission(session, team_id=team_id, view_id=view.get("id", ""), now=now)
        if refusal is None and pair is not None and not repeat:
            before = await goals.goals_of(session, team_id=team_id, pair_id=pair.id, owner_id=user_id)
            saved = await goals.set_goals(
                session,
                team_id=team_id,
                pair_id=pair.id,
                owner_id=user_id,
                drafts=[GoalDraft(text=text, org_benefit=benefit, goal_id=goal_id) for text, benefit, goal_id in drafts],
                now=now,
            )
    if refusal is not None or pair is None:
        notice = pairing_prompts.refusal(refusal or Refusal.NOT_IN_PAIR)
        await ack(response_action="update", view=pairing_prompts.build_notice_modal(goal_prompts.GOALS_TITLE, notice))
        return
    await ack()
    if repeat:  # Submit pressed again: saved and told already
        return
    partner_id = pairs.partner_of(pair, user_id)
    await dm(client, user_id, goal_prompts.build_goals_saved(len(saved)))
    if not before:
        await dm(client, partner_id, goal_prompts.build_partner_goals_set(owner_id=user_id, count=len(saved)))
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, partner_id])


async def handle_goal_update(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    goal_id = number(action.get("value"))
    reply = None
    async with services.sessions.begin() as session:
        goal = await goals.get_goal(session, team_id=team_id, goal_id=goal_id) if goal_id is not None else None
        if goal is None:
            reply = goal_prompts.goal_not_found()
        else:
            pair = await pairs.get_pair(session, team_id=team_id, pair_id=goal.pair_id)
            refusal = edit_refusal(pair, user_id)
            if refusal is not None:
                reply = pairing_prompts.refusal(refusal)
            elif goal.owner_id != user_id:
                reply = goal_prompts.not_your_goal()
    if reply is not None:
        await tell(client, body, reply)
        return
    await client.views_open(trigger_id=body["trigger_id"], view=goal_prompts.build_progress_modal(goal))


async def handle_progress_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    progress, note, errors = goal_prompts.parse_progress_submission(view["state"]["values"])
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    goal_id = number(view.get("private_metadata"))
    reply = None
    repeat = False
    async with services.sessions.begin() as session:
        goal = await goals.get_goal(session, team_id=team_id, goal_id=goal_id) if goal_id is not None else None
        pair = await pairs.get_pair(session, team_id=team_id, pair_id=goal.pair_id) if goal is not None else None
        if goal is None or pair is None:
            reply = goal_prompts.goal_not_found()
        elif (refusal := edit_refusal(pair, user_id)) is not None:
            reply = pairing_prompts.refusal(refusal)
        elif goal.owner_id != user_id:
            reply = goal_prompts.not_your_goal()
        elif await events.first_submission(session, team_id=team_id, view_id=view.get("id", ""), now=services.clock.now()):
            await goals.update_progress(session, goal=goal, progress=GoalProgress(progress), note=note, now=services.clock.now())
        else:
            repeat = True  # Submit pressed again: the progress is recorded already
    if reply is not None or pair is None:
        notice = reply or goal_prompts.goal_not_found()
        await ack(response_action="update", view=pairing_prompts.build_notice_modal(goal_prompts.PROGRESS_TITLE, notice))
        return
    await ack()
    if repeat:
        return
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, pairs.partner_of(pair, user_id)])


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("goals")])(handle_goals_command)
    app.action(goal_prompts.GOALS_EDIT_ACTION)(handle_goals_edit)
    app.action(goal_prompts.GOAL_UPDATE_ACTION)(handle_goal_update)
    app.view(goal_prompts.GOALS_CALLBACK)(handle_goals_submission)
    app.view(goal_prompts.GOAL_PROGRESS_CALLBACK)(handle_progress_submission)
