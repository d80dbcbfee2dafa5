"""The org chart: `/mentor admin org` and the admin Home's button open the form; its submission imports,
and so does a .csv file an admin uploads in their DM with the bot (`file_shared_in_dm`, from handlers/messages).

The chart belongs to the workspace, not to one programme, so an admin may import it between cohorts."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.flows import org_import
from bot.flows.pairing import send_dm
from bot.flows.permissions import enter_admin_door
from bot.rules.org_chart import is_csv
from bot.services import Services, services_of
from bot.view_state import read_state
from domain.org_chart import OrgFileProblem, OrgImport
from handlers.admin_door import as_dm, door_refusal
from prompts import admin_home as home_prompts
from prompts import org_chart as org_prompts


async def org_command(client: AsyncWebClient, *, command: dict, services: Services) -> None:
    """`/mentor admin org`, once the admin door has let the person in."""
    people = await org_import.chart_size(services, team_id=command["team_id"])
    await client.views_open(trigger_id=command["trigger_id"], view=org_prompts.build_org_modal(people=people))


async def handle_org_open(ack: AsyncAck, body: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    refusal = door_refusal(await enter_admin_door(services, client, team_id=team_id, user_id=user_id))
    if refusal is not None:
        await send_dm(client, user_id, as_dm(refusal))
        return
    people = await org_import.chart_size(services, team_id=team_id)
    await client.views_open(trigger_id=body["trigger_id"], view=org_prompts.build_org_modal(people=people))


async def handle_org_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    text = read_state(view).get(org_prompts.ORG_BLOCK) or ""
    if not text.strip():
        await ack(response_action="errors", errors={org_prompts.ORG_BLOCK: org_prompts.EMPTY})
        return
    refusal = door_refusal(await enter_admin_door(services, client, team_id=team_id, user_id=user_id))
    await ack()  # finding every person in Slack by email takes longer than Slack waits for a form
    if refusal is not None:
        await send_dm(client, user_id, as_dm(refusal))
        return
    outcome = await org_import.import_chart(services, client, team_id=team_id, text=text, view_id=view.get("id", ""))
    if outcome is None:
        return  # Submit pressed again: imported and reported already
    await send_dm(client, user_id, org_prompts.build_org_report(outcome))


async def file_shared_in_dm(event: dict, client: AsyncWebClient, context: dict) -> None:
    """A `message.im` with files (subtype file_share): an admin's .csv is imported like the form's text;
    anyone else's CSV gets a polite no; any other file is left alone (an admin gets a one-line hint)."""
    services = services_of(context)
    team_id, user_id = context.get("team_id") or event.get("team"), event.get("user")
    if not team_id or not user_id or not event.get("files"):
        return
    shared = event["files"][0]  # one chart at a time: each import replaces the whole chart
    details = await org_import.file_details(client, str(shared.get("id", "")))
    file = details or org_import.uploaded_file(shared)
    if door_refusal(await enter_admin_door(services, client, team_id=team_id, user_id=user_id)) is not None:
        if is_csv(file):
            await send_dm(client, user_id, org_prompts.build_upload_not_admin())
        return
    if details is None:
        outcome: OrgImport | OrgFileProblem | None = OrgFileProblem.UNREADABLE
    else:
        outcome = await org_import.import_chart_file(
            services, client, team_id=team_id, file=file,
            on_reading=lambda: send_dm(client, user_id, org_prompts.build_upload_received(name=file.name)),
        )
    if outcome is None:
        return  # the same upload's event again: imported and reported already
    if isinstance(outcome, OrgFileProblem):
        await send_dm(client, user_id, org_prompts.build_file_problem(outcome, name=file.name, size=file.size))
        return
    await send_dm(client, user_id, org_prompts.build_org_report(outcome, from_file=True))


def register(app: AsyncApp) -> None:
    app.view(org_prompts.ORG_CALLBACK)(handle_org_submission)
    app.action(home_prompts.ADMIN_ORG_OPEN)(handle_org_open)
