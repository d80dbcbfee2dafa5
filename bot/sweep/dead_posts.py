"""A post meant for a programme admin, or for their cohort's channel, that Slack refused for good: the
admins hear of it once, in a DM through the outbox. The notice's key names the dead row, so a second
sweep (or replica) that sees the same death tells nobody twice; a notice that dies is not reported."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services import Services
from domain.nudges import Kind
from prompts import admin_safety as words
from store import outbox, programmes
from store.models import Outbox


def _is_channel(recipient_id: str) -> bool:
    return recipient_id.startswith(("C", "G"))


async def _admins_to_tell(session: AsyncSession, row: Outbox) -> list[str]:
    """A channel's post: the admins of the programmes whose channel it is (of the newest, when none says
    so). A DM: its recipient, if they run or ran any programme (the row does not say which it was about)."""
    if not _is_channel(row.recipient_id):
        return [row.recipient_id] if await programmes.administered_ids(session, team_id=row.team_id, user_id=row.recipient_id) else []
    owners = await programmes.with_peer_channel(session, team_id=row.team_id, channel_id=row.recipient_id)
    if not owners:
        newest = await programmes.last_programme(session, team_id=row.team_id)
        owners = [newest.id] if newest is not None and newest.id is not None else []
    return await programmes.admins_of(session, team_id=row.team_id, programme_ids=owners)


async def tell_admins_post_died(services: Services, row: Outbox, *, error: str, now: datetime) -> int:
    """Queue the notices for one dead row; the number queued (0: not an admin's post, or told already)."""
    if row.kind == Kind.POST_DIED:
        return 0
    async with services.sessions.begin() as session:
        told = await _admins_to_tell(session, row)
        created = 0
        for admin_id in told:
            created += await outbox.enqueue(
                session, team_id=row.team_id, key=f"post-died:{row.id}:{admin_id}", kind=Kind.POST_DIED, recipient_id=admin_id,
                message=words.build_post_died(recipient_id=row.recipient_id, error=error, admin_id=admin_id), due_at=now, now=now,
            )
    return created
