"""Actions and their due reminders: one outbox row per action and due date, at 10:00 in the owner's zone."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.views import action_view
from domain.reflection import ActionLine
from prompts import actions as action_prompts
from store import actions as action_store
from store import outbox
from store.models import Action

REMINDER_HOUR = 10
DUE_KIND = "action_due"


def reminder_due_at(due_on: date, tz: str, *, hour: int = REMINDER_HOUR) -> datetime:
    """10:00 on the due date, in the owner's zone (as a UTC-comparable aware time)."""
    return datetime.combine(due_on, time(hour), tzinfo=ZoneInfo(tz))


def reminder_key_prefix(action_id: int) -> str:
    return f"action-due:action:{action_id}:"


def reminder_key(action: Action) -> str:
    return f"{reminder_key_prefix(action.id)}{action.due_on.isoformat() if action.due_on else 'none'}"


async def schedule_due_reminder(session: AsyncSession, *, action: Action, tz: str, now: datetime) -> bool:
    if action.due_on is None:
        return False
    return await outbox.enqueue(
        session,
        team_id=action.team_id,
        key=reminder_key(action),
        kind=DUE_KIND,
        recipient_id=action.owner_id,
        message=action_prompts.build_due_reminder(action_view(action)),
        due_at=reminder_due_at(action.due_on, tz),
        now=now,
    )


async def withdraw_due_reminder(session: AsyncSession, *, action: Action) -> int:
    return await outbox.withdraw(session, team_id=action.team_id, key_prefix=reminder_key_prefix(action.id))


async def create_actions(
    session: AsyncSession,
    *,
    team_id: str,
    pair_id: int,
    owner_id: str,
    lines: list[ActionLine],
    tz: str,
    now: datetime,
    reflection_id: int | None = None,
    default_due: date | None = None,
) -> list[Action]:
    """One action per line, each with its reminder when it has a due date."""
    created = []
    for line in lines:
        action = await action_store.create_action(
            session,
            team_id=team_id,
            pair_id=pair_id,
            owner_id=owner_id,
            text=line.text[:500],
            due_on=line.due_on or default_due,
            reflection_id=reflection_id,
            now=now,
        )
        await schedule_due_reminder(session, action=action, tz=tz, now=now)
        created.append(action)
    return created
