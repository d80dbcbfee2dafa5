"""Programme templates: listing the built-in and saved ones, saving the admin's programme as one, deleting
one, and what a new programme's set-up form starts from. The door (bot/flows/permissions.py) is passed first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.rules import programme_templates as rules
from bot.rules.programme_form import ProgrammeForm
from bot.services import Services
from bot.views import programme_view
from domain.programme_templates import TemplateView
from domain.views import ProgrammeView
from store import programme_templates
from store.models import Programme


async def _templates(session: AsyncSession, *, team_id: str) -> list[TemplateView]:
    saved = await programme_templates.list_templates(session, team_id=team_id)
    return rules.builtin_templates() + [rules.saved_template(row.name, row.settings) for row in saved]


async def list_templates(services: Services, *, team_id: str) -> list[TemplateView]:
    """The built-in templates, then the workspace's saved ones by name."""
    async with services.sessions.begin() as session:
        return await _templates(session, team_id=team_id)


@dataclass(frozen=True)
class TemplateSaved:
    template: TemplateView | None = None
    problem: str | None = None  # why not: "blank", "too_long" or "taken" (bot/rules/programme_templates.py)


async def save_template(services: Services, *, team_id: str, user_id: str, programme: Programme, name: str) -> TemplateSaved:
    """Save the programme's settings under a new name, or nothing (a bad or taken name)."""
    name = name.strip()
    async with services.sessions.begin() as session:
        problem = rules.name_problem(name, await _templates(session, team_id=team_id))
        if problem is not None:
            return TemplateSaved(problem=problem)
        settings = rules.settings_of(programme_view(programme))
        row = await programme_templates.add_template(
            session, team_id=team_id, name=name, settings=rules.settings_json(settings), created_by=user_id, now=services.clock.now(),
        )
    if row is None:  # another admin saved the same name a moment before
        return TemplateSaved(problem="taken")
    return TemplateSaved(template=TemplateView(name=row.name, settings=settings))


@dataclass(frozen=True)
class TemplateDeleted:
    deleted: bool
    builtin: bool = False  # the name is a built-in template's, which cannot be deleted
    names: tuple[str, ...] = ()  # when nothing was deleted: the templates there are


async def delete_template(services: Services, *, team_id: str, name: str) -> TemplateDeleted:
    async with services.sessions.begin() as session:
        templates = await _templates(session, team_id=team_id)
        found = rules.find(templates, name)
        if found is not None and not found.builtin:
            await programme_templates.delete_template(session, team_id=team_id, name=found.name)
            return TemplateDeleted(deleted=True)
    return TemplateDeleted(deleted=False, builtin=found is not None and found.builtin, names=tuple(template.name for template in templates))


@dataclass(frozen=True)
class StartFrom:
    """The templates a new programme's form offers, and the one it starts from (None: Flipside's defaults)."""

    templates: list[TemplateView]
    chosen: TemplateView | None = None
    unknown: bool = False  # a name was asked for that no template has
    preset: ProgrammeView | None = None  # the chosen template as the form's starting values


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


async def start_from(services: Services, *, team_id: str, name: str | None, starts_on: str | None = None) -> StartFrom:
    """What a new programme's form starts from: the template `name` (any case), from `starts_on` (the form's
    start date, as picked) or today."""
    templates = await list_templates(services, team_id=team_id)
    if not name:
        return StartFrom(templates=templates)
    chosen = rules.find(templates, name)
    if chosen is None:
        return StartFrom(templates=templates, unknown=True)
    first_day = _day(starts_on) or services.clock.now().date()
    return StartFrom(templates=templates, chosen=chosen, preset=rules.preset_programme(chosen, today=first_day))


async def with_template(services: Services, *, team_id: str, form: ProgrammeForm, name: str | None) -> ProgrammeForm:
    """A checked new-programme form, plus what its template sets beyond the form's fields (its delay before
    the reflection prompt, its topics and ground rules, and its name for the record)."""
    if not name or form.errors:
        return form
    chosen = (await start_from(services, team_id=team_id, name=name)).chosen
    if chosen is None:
        return form  # deleted while the form was open: the form's own fields still stand
    extras: dict[str, Any] = rules.programme_extras(chosen)
    return ProgrammeForm(fields={**form.fields, **extras}, admins=form.admins, errors=form.errors)
