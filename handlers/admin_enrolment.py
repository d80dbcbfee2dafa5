"""Enrolling people: `/mentor admin enrol <role> @people`, the enrol form, and the bulk form (which
pairs each line's two people too)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.flows import enrolment, pairing
from bot.services import Services, services_of
from bot.view_state import read_state
from bot.views import programme_view
from domain.roles import Role
from handlers.admin_door import as_dm, programme_for_form
from prompts import admin as admin_prompts
from store.models import Programme


async def enrol_command(
    respond: AsyncRespond, client: AsyncWebClient, *, command: dict, programme: Programme, tail: str, services: Services
) -> None:
    first, _, people_text = tail.partition(" ")
    if not tail:
        await client.views_open(trigger_id=command["trigger_id"], view=admin_prompts.build_enrol_modal())
        return
    if first.lower() == "bulk":
        await client.views_open(trigger_id=command["trigger_id"], view=admin_prompts.build_bulk_modal())
        return
    role = pairing.parse_role(first)
    user_ids = pairing.mentions(people_text)
    if role is None or not user_ids:
        await respond(**admin_prompts.build_usage(admin_prompts.ENROL_USAGE))
        return
    result = await enrolment.enrol(services, client, programme=programme, role=role, user_ids=user_ids)
    await respond(**admin_prompts.build_enrol_report(enrolled=result.enrolled, already=result.already, refused=result.refused, programme=programme_view(programme)))
    await enrolment.invite_enrolled(client, result, programme)


async def handle_enrol_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    state = read_state(view)
    chosen = {Role.MENTOR: state.get("mentors") or [], Role.MENTEE: state.get("mentees") or []}
    if not chosen[Role.MENTOR] and not chosen[Role.MENTEE]:
        await ack(response_action="errors", errors={"mentors": admin_prompts.ENROL_NO_ONE})
        return
    if set(chosen[Role.MENTOR]) & set(chosen[Role.MENTEE]):
        await ack(response_action="errors", errors={"mentees": admin_prompts.ENROL_BOTH_ROLES})
        return
    programme = await programme_for_form(ack, services, client, team_id=team_id, user_id=user_id)
    if programme is None:
        return
    await ack()
    result = await enrolment.enrol_from_form(services, client, programme=programme, chosen=chosen, view_id=view.get("id", ""))
    if result is None:
        return  # Submit pressed again: enrolled and reported already
    report = admin_prompts.build_enrol_report(enrolled=result.enrolled, already=result.already, refused=result.refused, programme=programme_view(programme))
    await pairing.send_dm(client, user_id, as_dm(report))
    await enrolment.invite_enrolled(client, result, programme)


async def handle_bulk_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    text = read_state(view).get("lines") or ""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        await ack(response_action="errors", errors={"lines": admin_prompts.BULK_EMPTY})
        return
    if len(lines) > admin_prompts.BULK_MAX_LINES:
        await ack(response_action="errors", errors={"lines": admin_prompts.bulk_too_long(len(lines))})
        return
    programme = await programme_for_form(ack, services, client, team_id=team_id, user_id=user_id)
    if programme is None:
        return
    await ack()  # looking up many emails can take longer than Slack waits for a form
    result = await enrolment.enrol_and_pair_from_form(services, client, programme=programme, text=text, view_id=view.get("id", ""))
    if result is None:
        return  # Submit pressed again: paired and reported already
    for pair in result.pairs:
        await pairing.welcome_pair(client, pair=pair, programme=programme)
    await pairing.send_dm(client, user_id, admin_prompts.build_bulk_report(paired=result.paired, failed=result.failed, max_pairs=programme.max_pairs_per_person))


def register(app: AsyncApp) -> None:
    app.view(admin_prompts.ENROL_CALLBACK)(handle_enrol_submission)
    app.view(admin_prompts.BULK_CALLBACK)(handle_bulk_submission)
