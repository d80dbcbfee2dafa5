"""`/mentor admin end|unpair @someone` (a form to confirm first) and `/mentor admin reopen @someone`."""

from __future__ import annotations

import json

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.flows import pairing
from bot.flows.pair_end import END_CHANGES, end_pair, pair_to_end, reopen_pair
from bot.services import Services, services_of
from domain.pair_reopen import ReopenRefused
from handlers.admin_door import as_dm
from handlers.home import refresh_pair_homes
from prompts import admin as admin_prompts
from prompts import admin_safety as words
from prompts import pair_changes as pair_change_prompts


async def end_command(respond: AsyncRespond, client: AsyncWebClient, *, command: dict, verb: str, tail: str, services: Services) -> None:
    """Nothing ends here: the admin is shown who and what, and the form's Submit ends the pair."""
    user_ids = pairing.mentions(tail)
    if len(user_ids) != 1:
        await respond(**admin_prompts.build_usage(admin_prompts.pair_change_usage(verb)))
        return
    pair, several = await pair_to_end(services, client, team_id=command["team_id"], admin_id=command["user_id"], subject=user_ids[0])
    if pair is None:
        await respond(**pair_change_prompts.build_no_pair(user_ids[0], several=several))
        return
    view = words.build_end_confirmation(verb, mentor_id=pair.mentor_id, mentee_id=pair.mentee_id, pair_id=pair.id or 0)
    await client.views_open(trigger_id=command["trigger_id"], view=view)


async def handle_end_confirmation(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    user_id = body["user"]["id"]
    metadata = json.loads(view.get("private_metadata") or "{}")
    verb = metadata.get("verb") if metadata.get("verb") in END_CHANGES else "end"
    outcome = await end_pair(services, client, team_id=body["team"]["id"], user_id=user_id, pair_id=int(metadata.get("pair_id") or 0))
    await ack()
    pair = outcome.pair
    if outcome.ask is not None:
        await pairing.send_dm(client, user_id, as_dm(admin_prompts.build_not_admin(outcome.ask)))
    elif pair is not None and outcome.ended and outcome.reopen_until is not None:
        # Told once: a second Submit (or another admin a moment ago) finds the pair ended already.
        await pairing.tell_pair(client, pair=pair, change=END_CHANGES[verb])
        await pairing.send_dm(client, user_id, words.build_ended(verb, mentor_id=pair.mentor_id, mentee_id=pair.mentee_id, reopen_until=outcome.reopen_until))
        refresh_pair_homes(services, client, pair)


async def reopen_command(respond: AsyncRespond, client: AsyncWebClient, *, command: dict, programme_id: int, tail: str, services: Services) -> None:
    """The subject's last ended pair in a programme this admin runs, active again if nothing stands in the way."""
    user_ids = pairing.mentions(tail)
    if len(user_ids) != 1:
        await respond(**admin_prompts.build_usage(words.REOPEN_USAGE))
        return
    outcome = await reopen_pair(
        services, team_id=command["team_id"], admin_id=command["user_id"], programme_id=programme_id, subject=user_ids[0]
    )
    if isinstance(outcome, ReopenRefused):
        await respond(**words.build_reopen_refused(outcome))
        return
    await respond(**words.build_reopened(mentor_id=outcome.mentor_id, mentee_id=outcome.mentee_id))
    for user_id, partner_id in ((outcome.mentor_id, outcome.mentee_id), (outcome.mentee_id, outcome.mentor_id)):
        await pairing.send_dm(client, user_id, words.build_reopened_notice(partner_id=partner_id))
    refresh_pair_homes(services, client, outcome)


def register(app: AsyncApp) -> None:
    app.view(words.END_CALLBACK)(handle_end_confirmation)
