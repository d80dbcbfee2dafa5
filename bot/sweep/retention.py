"""Retention: what people wrote is erased once its programme's retention period is up, and an
uninstalled workspace's data goes after RETENTION_DAYS_AFTER_UNINSTALL.

Programmes: `retention_days` after `ends_on` (set by the admins in the set-up form), the sweep erases
the programme's personal text (reflections, goals, actions, check-ins, charters, reasons), keeping
every count, once, and tells the admins once through the outbox.

Uninstalls: the grace period lets a workspace that uninstalled by mistake reinstall and find its
programme as it left it; after it, the sweep deletes every row of the workspace, once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from bot.services import Services
from prompts import privacy as privacy_words
from store import outbox, programmes, workspaces
from store import retention as retention_store

logger = logging.getLogger(__name__)


async def forget_installation(
    services: Services,
    store: AsyncInstallationStore | None,
    *,
    enterprise_id: str | None,
    team_id: str | None,
    is_enterprise_install: bool,
) -> None:
    """`app_uninstalled` (or the bot token revoked): delete the tokens now, start the retention clock.

    Only in OAuth mode: with one workspace the token lives in the environment, and reinstalling
    (a new SLACK_BOT_TOKEN, a restart) passes through no install flow that could stop the clock, so
    the data is left for the operator to keep or delete.
    """
    team_id = None if is_enterprise_install else team_id
    if store is None:
        logger.warning("the app was uninstalled: SLACK_BOT_TOKEN no longer works", extra={"team_id": team_id})
        return
    await store.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)
    async with services.sessions.begin() as session:
        await workspaces.mark_uninstalled(session, team_id=team_id, enterprise_id=enterprise_id, now=services.clock.now())
    logger.info("uninstalled: tokens deleted", extra={"team_id": team_id, "enterprise_id": enterprise_id})


async def delete_uninstalled_workspaces(services: Services, now: datetime) -> int:
    """The sweep step: delete the data of each workspace uninstalled longer ago than the retention period."""
    kept = timedelta(days=services.settings.retention_days_after_uninstall)
    async with services.sessions() as session:
        due = [workspace.team_id for workspace in await workspaces.due_for_deletion(session, uninstalled_before=now - kept)]
    deleted = 0
    for team_id in due:
        async with services.sessions.begin() as session:  # one workspace per transaction
            rows = await workspaces.delete_workspace_data(session, team_id=team_id, now=now)
        if rows is not None:
            deleted += 1
            logger.info("uninstalled workspace's data deleted", extra={"team_id": team_id, "rows": rows})
    return deleted


async def purge_expired_programmes(services: Services, now: datetime) -> int:
    """The sweep step: erase the personal text of each programme past its retention period, once."""
    today = now.date()
    async with services.sessions() as session:
        due = [(programme.team_id, programme.id) for programme in await retention_store.programmes_due_for_purge(session, today=today)]
    purged = 0
    for team_id, programme_id in due:
        async with services.sessions.begin() as session:  # one programme per transaction
            programme = await programmes.get_programme(session, team_id=team_id, programme_id=programme_id)
            if programme is None:
                continue
            rows = await retention_store.purge_programme(session, programme=programme, now=now)
            if rows is None:
                continue  # another replica purged it
            message = privacy_words.build_retention_purged(
                programme_name=programme.name, ends_on=programme.ends_on, retention_days=programme.retention_days, now=now
            )
            for admin_id in await programmes.admin_ids(session, team_id=team_id, programme_id=programme_id):
                await outbox.enqueue(
                    session, team_id=team_id, key=f"retention-purged:{programme_id}:{admin_id}", kind="retention_purged",
                    recipient_id=admin_id, message=message, due_at=now, now=now,
                )
        purged += 1
        logger.info("programme's personal text erased after its retention period", extra={"team_id": team_id, "programme_id": programme_id, "rows": rows})
    return purged
