"""Setting up the programme: what the set-up form starts from, and saving it (a new programme, or an edit).

A new programme runs beside those already running; whoever sets one up is among its admins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from slack_sdk.web.async_client import AsyncWebClient

from bot.flows.permissions import admin_door
from bot.rules.programme_form import ProgrammeForm, default_end
from bot.services import Services
from store import events, programmes
from store.models import Programme


@dataclass(frozen=True)
class SetupStart:
    """What the set-up form opens with: the programme to edit (None: a new one) and its admins."""

    programme: Programme | None
    admins: list[str]
    today: date
    default_end: date
    new: bool = False


async def setup_start(services: Services, *, programme: Programme | None, user_id: str, new: bool = False) -> SetupStart:
    """Editing shows the programme's admins; a new programme starts with whoever opens the form."""
    today = services.clock.now().date()
    if programme is not None and not new:
        async with services.sessions.begin() as session:
            admins = await programmes.admin_ids(session, team_id=programme.team_id, programme_id=programme.id)
    else:
        admins = [user_id]
    return SetupStart(programme=programme, admins=admins, today=today, default_end=default_end(today), new=new)


@dataclass(frozen=True)
class SetupSaved:
    programme: Programme
    created: bool
    admins: list[str]


@dataclass(frozen=True)
class SetupRefused:
    ask: list[str]  # the admins to ask instead
    first_setup: bool = False  # no programme yet, and this person may not set up the first


async def save_setup(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, form: ProgrammeForm,
    programme_id: int | None, new: bool, view_id: str,
) -> SetupSaved | SetupRefused | None:
    """Save a checked set-up form in one transaction; None when Submit was pressed again (saved already:
    a second save would close the first). `programme_id`: the programme the form was opened to edit."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        door = await admin_door(session, client, team_id=team_id, user_id=user_id, setup_admins=services.settings.setup_admins)
        if door.ask is not None:
            return SetupRefused(ask=door.ask, first_setup=door.first_setup)
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return None
        theirs = {programme.id: programme for programme in (door.programme, *door.others) if programme is not None}
        current = theirs.get(programme_id) if not new and programme_id is not None else None
        editing = current is not None
        if current is not None:
            programme = await programmes.update_programme(session, programme=current, **form.fields)
            admins = form.admins
        else:
            # A new programme runs beside the others; each closes on its own end date.
            programme = await programmes.create_programme(session, team_id=team_id, created_by=user_id, now=now, **form.fields)
            admins = sorted(set(form.admins) | {user_id})  # whoever sets it up runs it
        await programmes.set_admins(session, team_id=team_id, programme_id=programme.id, user_ids=admins)
    return SetupSaved(programme=programme, created=not editing, admins=admins)
