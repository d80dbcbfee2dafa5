"""The pair's actions: listing them, ticking one off or dropping it, and adding or editing one through
its form, one transaction each. Due reminders are bot/flows/action_reminders.py; words and the list,
form and reminder messages live in prompts/actions.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.directory import known_person
from bot.flows.action_reminders import create_actions, schedule_due_reminder, withdraw_due_reminder
from bot.flows.programme_scope import pair_in_scope
from bot.services import Services
from bot.views import action_view
from domain.reflection import ActionLine
from domain.statuses import ActionStatus
from domain.views import ActionView
from prompts import actions as action_prompts
from store import actions as store
from store import events
from store.models import Action, Pair
from store.pairs import get_pair

PERSONAL, ORGANISATIONAL = "personal", "organisational"


class Saved(StrEnum):
    SAVED = "saved"
    AGAIN = "again"  # Submit pressed again: the action is saved already
    NOT_YOURS = "not_yours"  # an action to edit that is not this person's (or is gone)
    NO_PAIR = "no_pair"  # a new action from someone with no current pair


@dataclass(frozen=True)
class ActionChanged:
    """An action ticked off or dropped (or found so already), and the pair's list as it now stands."""

    action: ActionView
    pair: Pair
    actions: list[ActionView]


@dataclass(frozen=True)
class ActionSaved:
    """A submitted action form: the problems to show under its fields (nothing saved), or how saving went."""

    problems: dict[str, str] = field(default_factory=dict)  # block id -> the FORM_ERRORS key
    saved: Saved = Saved.SAVED
    pair: Pair | None = None
    actions: list[ActionView] = field(default_factory=list)


def form_problems(*, text: str, due_on: date | None, today: date) -> dict[str, str]:
    """What is wrong with an action as typed, by block id: no text, or a due date already past."""
    problems = {}
    if not text:
        problems["text"] = "text"
    if due_on is not None and due_on < today:
        problems["due"] = "due_past"
    return problems


async def _views(session: AsyncSession, *, team_id: str, pair_id: int) -> list[ActionView]:
    return [action_view(item) for item in await store.actions_of_pair(session, team_id=team_id, pair_id=pair_id)]


async def _own_action(session: AsyncSession, *, team_id: str, user_id: str, value: str) -> tuple[Action, Pair] | None:
    """The action a button or form names (`value`, its id), with its pair, if it is this person's."""
    if not value.isdigit():
        return None
    action = await store.get_action(session, team_id=team_id, action_id=int(value))
    if action is None or action.owner_id != user_id:
        return None
    pair = await get_pair(session, team_id=team_id, pair_id=action.pair_id)
    return (action, pair) if pair is not None else None


async def pair_actions(services: Services, *, team_id: str, user_id: str) -> list[ActionView] | None:
    """Both sides' actions in the person's current pair; None when they have no pair."""
    async with services.sessions.begin() as session:
        pair = await pair_in_scope(session, team_id=team_id, user_id=user_id)
        if pair is None:
            return None
        assert pair.id is not None
        return await _views(session, team_id=team_id, pair_id=pair.id)


async def change_status(services: Services, *, team_id: str, user_id: str, value: str, status: ActionStatus) -> ActionChanged | None:
    """Mark the person's own action done or dropped and withdraw its due reminder; None when it is not theirs."""
    async with services.sessions.begin() as session:
        found = await _own_action(session, team_id=team_id, user_id=user_id, value=value)
        if found is None:
            return None
        item, pair = found
        assert pair.id is not None
        if item.status != status:  # a double-click finds it done already, and keeps the time it was done
            await store.set_status(session, action=item, status=status, now=services.clock.now())
            await withdraw_due_reminder(session, action=item)
        return ActionChanged(action=action_view(item), pair=pair, actions=await _views(session, team_id=team_id, pair_id=pair.id))


async def action_to_edit(services: Services, *, team_id: str, user_id: str, value: str) -> ActionView | None:
    """The action an Edit button names, if it is this person's."""
    async with services.sessions.begin() as session:
        found = await _own_action(session, team_id=team_id, user_id=user_id, value=value)
    return action_view(found[0]) if found is not None else None


async def save_action(
    services: Services,
    client: AsyncWebClient,
    *,
    team_id: str,
    user_id: str,
    view_id: str,
    action_id: str | None,
    text: str,
    due_on: date | None,
    scope: str,
    now: datetime,
) -> ActionSaved:
    """Add an action to the person's pair, or change their own (`action_id`), with its due reminder at
    10:00 in their zone; checked first, and saved once however often Submit is pressed."""
    async with services.sessions.begin() as session:
        person = await known_person(session, client, team_id=team_id, user_id=user_id, now=now)
        problems = form_problems(text=text, due_on=due_on, today=now.astimezone(ZoneInfo(person.tz)).date())
        if problems:
            return ActionSaved(problems=problems)
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return ActionSaved(saved=Saved.AGAIN)
        if action_id:
            found = await _own_action(session, team_id=team_id, user_id=user_id, value=action_id)
            if found is None:
                return ActionSaved(saved=Saved.NOT_YOURS)
            item, pair = found
            moved = item.due_on != due_on
            await store.update_action(session, action=item, text=text[:500], due_on=due_on, scope=scope if scope in action_prompts.SCOPES else PERSONAL)
            if moved:
                await withdraw_due_reminder(session, action=item)
                await schedule_due_reminder(session, action=item, tz=person.tz, now=now)
        else:
            pair = await pair_in_scope(session, team_id=team_id, user_id=user_id)
            if pair is None:
                return ActionSaved(saved=Saved.NO_PAIR)
            assert pair.id is not None
            created = await create_actions(
                session, team_id=team_id, pair_id=pair.id, owner_id=user_id, lines=[ActionLine(text, due_on)], tz=person.tz, now=now
            )
            if scope == ORGANISATIONAL:
                await store.update_action(session, action=created[0], text=created[0].text, due_on=due_on, scope=scope)
        assert pair.id is not None
        return ActionSaved(pair=pair, actions=await _views(session, team_id=team_id, pair_id=pair.id))
