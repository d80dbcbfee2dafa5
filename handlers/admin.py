"""`/mentor admin ...`: set up the programme, and hand enrolling, pairing, matching and pair changes to
their own modules. Only programme admins (and workspace admins) get past the door."""

from __future__ import annotations

import json

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import arguments, did_you_mean, subcommand
from bot.flows.admin_setup import SetupRefused, save_setup, setup_start
from bot.flows.pair_changes import PAIR_VERBS
from bot.flows.pair_end import END_CHANGES
from bot.flows.pairing import send_dm
from bot.flows.permissions import enter_admin_door
from bot.flows.programme_templates import with_template
from bot.rules.programme_form import read_programme_form
from bot.services import services_of
from bot.view_state import read_state
from bot.views import programme_view
from handlers.admin_door import as_dm, door_refusal
from handlers.admin_enrolment import enrol_command
from handlers.admin_org import org_command
from handlers.admin_pair_changes import pair_change_command
from handlers.admin_pair_end import end_command, reopen_command
from handlers.admin_pairing import match_command, pair_command
from handlers.admin_templates import setup_command, setup_view, template_command
from prompts import admin as admin_prompts
from prompts import admin_home as home_prompts
from prompts import admin_safety


async def handle_admin_command(ack: AsyncAck, command: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict) -> None:
    # Acknowledge first and answer through response_url: whether the person is an admin can mean
    # asking Slack (users.info), and enrolling or pairing asks Slack about each person.
    await ack()
    services = services_of(context)
    team_id, user_id = command["team_id"], command["user_id"]
    rest = arguments(command.get("text"), "admin")
    verb, _, tail = rest.partition(" ")
    verb, tail = verb.lower(), tail.strip()
    door = await enter_admin_door(services, client, team_id=team_id, user_id=user_id)
    refusal, programme = door_refusal(door), door.programme
    if refusal is not None:
        await respond(**refusal)
    elif verb == "setup":
        await setup_command(respond, client, command=command, programme=programme, tail=tail, services=services)
    elif verb == "template":  # the workspace's templates, listed and deleted between programmes too
        await template_command(respond, command=command, programme=programme, tail=tail, services=services)
    elif verb == "org":  # the workspace's chart, wanted before a programme as much as during one
        await org_command(client, command=command, services=services)
    elif programme is None:
        await respond(**admin_prompts.build_no_programme())
    elif verb in ("enrol", "enroll"):
        await enrol_command(respond, client, command=command, programme=programme, tail=tail, services=services)
    elif verb == "pair":
        await pair_command(respond, client, command=command, programme=programme, tail=tail, services=services)
    elif verb == "match":
        await match_command(client, command=command, programme=programme, services=services)
    elif verb in END_CHANGES:
        await end_command(respond, client, command=command, verb=verb, tail=tail, services=services)
    elif verb == "reopen":
        await reopen_command(respond, client, command=command, programme_id=programme.id or 0, tail=tail, services=services)
    elif verb in PAIR_VERBS:
        await pair_change_command(respond, client, verb=verb, tail=tail, team_id=team_id, user_id=user_id, services=services)
    else:
        await respond(**admin_prompts.build_admin_usage(unknown=rest or None, meant=did_you_mean(command.get("text"))))


async def handle_setup_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    form = read_programme_form(read_state(view), editor=user_id)
    if form.errors:
        await ack(response_action="errors", errors=form.errors)
        return
    metadata = json.loads(view.get("private_metadata") or "{}")
    form = await with_template(services, team_id=team_id, form=form, name=metadata.get("template"))
    outcome = await save_setup(
        services, client, team_id=team_id, user_id=user_id, form=form,
        programme_id=metadata.get("programme_id"), new=bool(metadata.get("new")), view_id=view.get("id", ""),
    )
    if isinstance(outcome, SetupRefused):
        refusal = admin_safety.build_first_setup_refused() if outcome.first_setup else admin_prompts.build_not_admin(outcome.ask)
        await ack(response_action="errors", errors={"admins": refusal["text"]})
        return
    await ack()
    if outcome is None:
        return  # Submit pressed again: the programme is saved already
    saved = admin_prompts.build_setup_saved(programme_view(outcome.programme), created=outcome.created, admins=outcome.admins)
    await send_dm(client, user_id, saved)


async def handle_home_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    """Set up, Enrol people and Pair people on the admin's Home tab open the same forms as the commands."""
    await ack()
    services = services_of(context)
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    door = await enter_admin_door(services, client, team_id=team_id, user_id=user_id)
    refusal, programme = door_refusal(door), door.programme
    if refusal is not None:
        await send_dm(client, user_id, as_dm(refusal))
        return
    if action["action_id"] == home_prompts.ADMIN_SETUP_OPEN:
        view = await setup_view(services, await setup_start(services, programme=programme, user_id=user_id), team_id=team_id)
    elif programme is None:
        await send_dm(client, user_id, as_dm(admin_prompts.build_no_programme()))
        return
    elif action["action_id"] == home_prompts.ADMIN_ENROL_OPEN:
        view = admin_prompts.build_enrol_modal()
    else:
        view = admin_prompts.build_pair_modal()
    await client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("admin")])(handle_admin_command)
    app.view(admin_prompts.SETUP_CALLBACK)(handle_setup_submission)
    for action_id in (home_prompts.ADMIN_SETUP_OPEN, home_prompts.ADMIN_ENROL_OPEN, home_prompts.ADMIN_PAIR_OPEN):
        app.action(action_id)(handle_home_button)
