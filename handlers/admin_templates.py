"""`/mentor admin template ...` (list, save, delete), `/mentor admin setup` with what a new programme starts
from, and the set-up form's "Start from" choice, which refills the open form. Admins only: the door first."""

from __future__ import annotations

import json

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import team_of
from bot.flows import programme_templates as flow
from bot.flows.admin_setup import SetupStart, setup_start
from bot.flows.pairing import send_dm
from bot.flows.permissions import enter_admin_door
from bot.services import Services, services_of
from bot.view_state import read_state
from bot.views import programme_view
from handlers.admin_door import as_dm, door_refusal
from prompts import admin as admin_prompts
from prompts import programme_templates as template_prompts
from store.models import Programme


async def setup_view(services: Services, start: SetupStart, *, team_id: str, chosen: flow.StartFrom | None = None, version: int = 0) -> dict:
    """The set-up form: an edit shows the programme; a new programme's form offers the templates."""
    current = programme_view(start.programme) if start.programme is not None else None
    if current is not None and not start.new:
        return admin_prompts.build_setup_modal(current, admins=start.admins, today=start.today, default_end=start.default_end)
    chosen = chosen or await flow.start_from(services, team_id=team_id, name=None)
    return admin_prompts.build_setup_modal(
        current, admins=start.admins, today=start.today, default_end=start.default_end, new=start.new,
        templates=chosen.templates, preset=chosen.preset, version=version,
    )


def _name(text: str) -> str:
    return text.strip().strip("\"'“”‘’").strip()


async def setup_command(respond: AsyncRespond, client: AsyncWebClient, *, command: dict, programme: Programme | None, tail: str, services: Services) -> None:
    """`setup` edits the programme; `setup new` starts another, `setup new <template>` from that template."""
    first, _, rest = tail.partition(" ")
    new, name = first.lower() == "new", _name(rest)
    chosen = await flow.start_from(services, team_id=command["team_id"], name=name if new else None)
    if chosen.unknown:
        await respond(**template_prompts.build_unknown_start(name, [template.name for template in chosen.templates]))
        return
    start = await setup_start(services, programme=programme, user_id=command["user_id"], new=new)
    await client.views_open(trigger_id=command["trigger_id"], view=await setup_view(services, start, team_id=command["team_id"], chosen=chosen))


async def template_command(respond: AsyncRespond, *, command: dict, programme: Programme | None, tail: str, services: Services) -> None:
    team_id = command["team_id"]
    verb, _, rest = tail.partition(" ")
    verb, name = verb.lower(), _name(rest)
    if verb in ("", "list"):
        await respond(**template_prompts.build_template_list(await flow.list_templates(services, team_id=team_id)))
    elif verb == "save" and programme is None:
        await respond(**template_prompts.build_nothing_to_save())
    elif verb == "save" and programme is not None:
        saved = await flow.save_template(services, team_id=team_id, user_id=command["user_id"], programme=programme, name=name)
        if saved.template is None:
            await respond(**template_prompts.build_template_refused(saved.problem or "blank", name))
        else:
            await respond(**template_prompts.build_template_saved(saved.template))
    elif verb == "delete" and name:
        deleted = await flow.delete_template(services, team_id=team_id, name=name)
        if deleted.deleted:
            await respond(**template_prompts.build_template_deleted(name))
        else:
            await respond(**template_prompts.build_template_not_found(name, deleted.names, builtin=deleted.builtin))
    else:
        await respond(**template_prompts.build_usage())


async def handle_start_from_choice(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    """A template picked in the open set-up form: the form is refilled from it (views.update), keeping the
    name, start date and admins as they stand."""
    await ack()
    services = services_of(context)
    team_id, user_id = team_of(body, context), body["user"]["id"]
    door = await enter_admin_door(services, client, team_id=team_id, user_id=user_id)
    refusal = door_refusal(door)
    if refusal is not None:
        await send_dm(client, user_id, as_dm(refusal))
        return
    view = body["view"]
    metadata = json.loads(view.get("private_metadata") or "{}")
    picked = template_prompts.chosen_name((action.get("selected_option") or {}).get("value"))
    chosen = await flow.start_from(services, team_id=team_id, name=picked, starts_on=read_state(view).get("starts_on"))
    start = await setup_start(services, programme=None, user_id=user_id, new=bool(metadata.get("new")))
    modal = await setup_view(services, start, team_id=team_id, chosen=chosen, version=int(metadata.get("version") or 0) + 1)
    await client.views_update(view_id=view["id"], view=modal)


def register(app: AsyncApp) -> None:
    app.action(template_prompts.START_FROM_ACTION)(handle_start_from_choice)
