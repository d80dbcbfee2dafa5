"""Pairing people: `/mentor admin pair @mentor @mentee` and its form, and `/mentor admin match`'s
suggested pairs, which the admin trims, adds to by hand, then confirms."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.flows import match_proposal, pairing
from bot.services import Services, services_of
from bot.slack_errors import error_code
from bot.view_state import read_state
from domain.refusals import Refusal
from handlers.admin_door import as_dm, programme_for_form
from prompts import admin as admin_prompts
from prompts import org_chart as org_prompts
from prompts import profile as profile_prompts
from store.models import Programme


async def pair_command(
    respond: AsyncRespond, client: AsyncWebClient, *, command: dict, programme: Programme, tail: str, services: Services
) -> None:
    if not tail:
        await client.views_open(trigger_id=command["trigger_id"], view=admin_prompts.build_pair_modal())
        return
    user_ids = pairing.pair_mentions(tail)
    if len(user_ids) != 2:
        await respond(**admin_prompts.build_usage(admin_prompts.PAIR_USAGE))
        return
    outcome = await pairing.pair_two(services, client, programme=programme, mentor_id=user_ids[0], mentee_id=user_ids[1])
    if isinstance(outcome, Refusal) and outcome.code == "reporting_line":
        view = org_prompts.build_reporting_line_modal(outcome, mentor_id=user_ids[0], mentee_id=user_ids[1])
        await client.views_open(trigger_id=command["trigger_id"], view=view)
        return
    if isinstance(outcome, Refusal):
        await respond(**admin_prompts.build_refusal(outcome, max_pairs=programme.max_pairs_per_person))
        return
    await respond(**admin_prompts.build_paired(outcome.mentor_id, outcome.mentee_id))
    await pairing.welcome_pair(client, pair=outcome, programme=programme)


async def handle_pair_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    state = read_state(view)
    mentor_id, mentee_id = state.get("mentor"), state.get("mentee")
    if not mentor_id or not mentee_id:
        await ack(response_action="errors", errors={"mentor" if not mentor_id else "mentee": admin_prompts.CHOOSE_SOMEONE})
        return
    programme = await programme_for_form(ack, services, client, team_id=team_id, user_id=user_id)
    if programme is None:
        return
    outcome = await pairing.pair_from_form(services, client, programme=programme, mentor_id=mentor_id, mentee_id=mentee_id, view_id=view.get("id", ""))
    if isinstance(outcome, Refusal) and outcome.code == "reporting_line":
        await ack(response_action="update", view=org_prompts.build_reporting_line_modal(outcome, mentor_id=mentor_id, mentee_id=mentee_id))
        return
    if isinstance(outcome, Refusal):
        block = "mentee" if outcome.code == "same_person" or outcome.user_id == mentee_id else "mentor"
        await ack(response_action="errors", errors={block: admin_prompts.refusal_text(outcome, max_pairs=programme.max_pairs_per_person)})
        return
    await ack()
    if outcome is None:
        return  # Submit pressed again: paired already
    await pairing.send_dm(client, user_id, as_dm(admin_prompts.build_paired(outcome.mentor_id, outcome.mentee_id)))
    await pairing.welcome_pair(client, pair=outcome, programme=programme)


async def handle_reporting_line_confirmation(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    """'Pair them anyway': the admin has read that the two share a reporting line."""
    services = services_of(context)
    user_id = body["user"]["id"]
    mentor_id, mentee_id = org_prompts.read_reporting_line_metadata(view.get("private_metadata") or "")
    programme = await programme_for_form(ack, services, client, team_id=body["team"]["id"], user_id=user_id)
    if programme is None:
        return
    await ack()
    outcome = await pairing.pair_from_form(
        services, client, programme=programme, mentor_id=mentor_id, mentee_id=mentee_id, view_id=view.get("id", ""), confirmed=True
    )
    if outcome is None:
        return  # Submit pressed again: paired already
    if isinstance(outcome, Refusal):  # something changed since (say, one of them was paired meanwhile)
        await pairing.send_dm(client, user_id, as_dm(admin_prompts.build_refusal(outcome, max_pairs=programme.max_pairs_per_person)))
        return
    await pairing.send_dm(client, user_id, as_dm(admin_prompts.build_paired(outcome.mentor_id, outcome.mentee_id)))
    await pairing.welcome_pair(client, pair=outcome, programme=programme)


def _match_modal(proposal: match_proposal.MatchProposal) -> dict:
    return admin_prompts.build_match_modal(proposal.proposals, catalogue=profile_prompts.topic_catalogue(), unmatched=proposal.unmatched)


async def match_command(client: AsyncWebClient, *, command: dict, programme: Programme, services: Services) -> None:
    proposal = await match_proposal.propose(services, programme=programme, limit=admin_prompts.MATCH_MAX_PAIRS)
    await client.views_open(trigger_id=command["trigger_id"], view=_match_modal(proposal))


async def _update_match_view(client: AsyncWebClient, view: dict, updated: dict) -> bool:
    """Show the proposal as it now is; False when the modal changed since the click (Slack's hash check):
    the second of a double-click, whose first has already changed it."""
    try:
        await client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)
    except SlackApiError as error:
        if error_code(error) == "hash_conflict":
            return False
        raise
    return True


async def handle_match_remove(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = services_of(context)
    view = body["view"]
    kept, unmatched = admin_prompts.read_match_metadata(view.get("private_metadata") or "")
    removed = tuple(action.get("value", "").split(":"))
    kept = [pair for pair in kept if pair != removed]
    unmatched = sorted(set(unmatched) | set(removed))
    programme = await programme_for_form(ack, services, client, team_id=body["team"]["id"], user_id=body["user"]["id"])
    if programme is None:
        return
    proposal = await match_proposal.proposal_kept(services, programme=programme, keep=kept, unmatched=unmatched)
    await _update_match_view(client, view, _match_modal(proposal))


async def handle_match_manual(ack: AsyncAck, body: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = services_of(context)
    view = body["view"]
    kept, unmatched = admin_prompts.read_match_metadata(view.get("private_metadata") or "")
    programme = await programme_for_form(ack, services, client, team_id=body["team"]["id"], user_id=body["user"]["id"])
    if programme is None:
        return
    same = await match_proposal.proposal_kept(services, programme=programme, keep=kept, unmatched=unmatched)
    # Shown again unchanged, only so that its hash moves on: the second of a double-click carries the old
    # hash, is refused by Slack, and does not push a second form.
    if await _update_match_view(client, view, _match_modal(same)):
        await client.views_push(trigger_id=body["trigger_id"], view=admin_prompts.build_pair_modal())


async def handle_match_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    user_id = body["user"]["id"]
    kept, _ = admin_prompts.read_match_metadata(view.get("private_metadata") or "")
    programme = await programme_for_form(ack, services, client, team_id=body["team"]["id"], user_id=user_id)
    if programme is None:
        return
    await ack()
    outcome = await match_proposal.pair_kept(services, client, programme=programme, kept=kept, view_id=view.get("id", ""))
    if outcome is None:
        return  # Submit pressed again: paired and reported already
    for pair in outcome.paired:
        await pairing.welcome_pair(client, pair=pair, programme=programme)
    paired = [(pair.mentor_id, pair.mentee_id) for pair in outcome.paired]
    await pairing.send_dm(client, user_id, admin_prompts.build_match_report(paired=paired, refused=outcome.refused, max_pairs=programme.max_pairs_per_person))


def register(app: AsyncApp) -> None:
    app.view(admin_prompts.PAIR_CALLBACK)(handle_pair_submission)
    app.view(admin_prompts.MATCH_CALLBACK)(handle_match_submission)
    app.view(org_prompts.REPORTING_LINE_CALLBACK)(handle_reporting_line_confirmation)
    app.action(admin_prompts.MATCH_REMOVE_ACTION)(handle_match_remove)
    app.action(admin_prompts.MATCH_MANUAL_ACTION)(handle_match_manual)
