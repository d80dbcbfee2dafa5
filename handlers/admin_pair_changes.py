"""`/mentor admin pause|resume @someone`, and the Resume button on a paused pair's notice."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.flows import pairing
from bot.flows.pair_changes import BadPauseDate, change_pair, read_pause_until, resume_pair
from bot.services import Services, services_of
from handlers.home import refresh_pair_homes
from prompts import admin as admin_prompts
from prompts import pair_changes as pair_change_prompts


async def pair_change_command(
    respond: AsyncRespond, client: AsyncWebClient, *, verb: str, tail: str, team_id: str, user_id: str, services: Services
) -> None:
    user_ids = pairing.mentions(tail)
    if len(user_ids) != 1:
        await respond(**admin_prompts.build_usage(admin_prompts.pair_change_usage(verb)))
        return
    subject = user_ids[0]
    until = await read_pause_until(services, client, team_id=team_id, user_id=user_id, text=tail) if verb == "pause" else None
    if isinstance(until, BadPauseDate):
        await respond(**pair_change_prompts.build_pause_date_refused(until.text, until.problem))
        return
    done = await change_pair(services, client, team_id=team_id, admin_id=user_id, subject=subject, verb=verb, until=until)
    pair = done.pair
    if pair is None:
        await respond(**pair_change_prompts.build_no_pair(subject, several=done.several))
    elif not done.changed:
        await respond(**pair_change_prompts.build_wrong_status(subject, done.before))
    else:
        await respond(**pair_change_prompts.build_pair_change_done(done.change, mentor_id=pair.mentor_id, mentee_id=pair.mentee_id, pair_id=pair.id, until=until))
        await pairing.tell_pair(client, pair=pair, change=done.change, until=until)
        refresh_pair_homes(services, client, pair)


async def handle_resume_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict) -> None:
    await ack()
    services = services_of(context)
    outcome = await resume_pair(services, client, team_id=body["team"]["id"], user_id=body["user"]["id"], pair_id=int(action.get("value") or 0))
    pair = outcome.pair
    if outcome.ask is not None:
        await respond(**admin_prompts.build_not_admin(outcome.ask))
    elif pair is None or not (outcome.resumed or outcome.already):
        await respond(**admin_prompts.build_usage(admin_prompts.NOTHING_TO_RESUME), replace_original=True)
    else:
        # Resumed by this click, or a moment ago (a double-click, or another admin): the message says so
        # either way, and the pair is told once.
        await respond(**pair_change_prompts.build_pair_change_done("resumed", mentor_id=pair.mentor_id, mentee_id=pair.mentee_id, pair_id=pair.id), replace_original=True)
        if outcome.resumed:
            await pairing.tell_pair(client, pair=pair, change="resumed")
            refresh_pair_homes(services, client, pair)


def register(app: AsyncApp) -> None:
    app.action(pair_change_prompts.RESUME_ACTION)(handle_resume_button)
