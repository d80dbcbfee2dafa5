"""A person Slack deactivated mid-programme (`user_change` with `deleted`): each open pair of theirs is
paused, so nothing more is planned for either side, and the flow says whom to tell, once. Reactivated,
they are only no longer marked as gone: an admin resumes or rematches the pair."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.flows.programme_scope import in_several_programmes
from bot.services import Services
from domain.roles import Role
from domain.statuses import PairStatus
from store import pairs, people, programmes

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeftPair:
    """One pair paused because a member left: who is still here, and whom to tell."""

    pair_id: int
    partner_id: str
    left_role: Role  # the role of the person who left
    admin_ids: tuple[str, ...]  # the pair's programme's admins
    programme_name: str = ""
    # Who of the partner and the admins is in (or runs) more than one running programme: their DM names
    # this one, and an admin's says to switch to it before the commands it gives (as PairContext's do).
    named_for: frozenset[str] = frozenset()

    def programme_for(self, reader: str) -> str:
        """The programme's name, for a reader whose DM names it; else ""."""
        return self.programme_name if reader in self.named_for else ""


async def person_left(services: Services, *, team_id: str, user_id: str) -> list[LeftPair]:
    """Pause every open pair of someone whose account was deactivated; the pairs to tell about, or none
    (in no pair, or handled already: Slack sends `user_change` again for later edits to the account)."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        open_pairs = await pairs.open_pairs_of(session, team_id=team_id, user_id=user_id)
        if not open_pairs or not await people.mark_left(session, team_id=team_id, user_id=user_id, now=now):
            return []
        running = {programme.id: programme for programme in await programmes.running(session, team_id=team_id)}
        left = []
        for pair in open_pairs:
            assert pair.id is not None
            # Paused with no end date: the daily resume never wakes it, and delivery drops its reminders.
            await pairs.set_status(session, team_id=team_id, pair_id=pair.id, status=PairStatus.PAUSED, now=now)
            admins = await programmes.admin_ids(session, team_id=team_id, programme_id=pair.programme_id)
            partner_id = pairs.partner_of(pair, user_id)
            named_for = set(await in_several_programmes(session, team_id=team_id, user_ids=[partner_id]))
            for admin_id in admins if len(running) > 1 else ():
                if len(await programmes.administered_ids(session, team_id=team_id, user_id=admin_id) & running.keys()) > 1:
                    named_for.add(admin_id)
            programme = running.get(pair.programme_id)
            left.append(
                LeftPair(
                    pair.id, partner_id, pairs.role_in(pair, user_id), tuple(admins),
                    programme_name=programme.name if programme else "", named_for=frozenset(named_for),
                )
            )
    logger.info("person %s deactivated: %d pairs paused", user_id, len(left))
    return left


async def person_back(services: Services, *, team_id: str, user_id: str) -> bool:
    """Their account is active again: clear the mark (True when there was one). Their pairs stay paused."""
    async with services.sessions.begin() as session:
        return await people.clear_left(session, team_id=team_id, user_id=user_id)
