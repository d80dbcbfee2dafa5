"""A workspace's life with the app: uninstalled, its bot token revoked, or seen under an org-wide install.

Bolt skips authorization for `app_uninstalled` and `tokens_revoked` (the token is already dead), so
they arrive with the ids from the envelope only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.flows.workspaces import note_org_workspace
from bot.services import services_of
from bot.sweep import retention


def _request_team_id(body: dict) -> str | None:
    """The workspace a request came from. Under an org-wide install Bolt's context has no team, so read the body."""
    team = body.get("team")
    return (
        body.get("team_id")
        or (body.get("user") or {}).get("team_id")
        or (team.get("id") if isinstance(team, dict) else team)
    )


def register(app: AsyncApp) -> None:
    @app.middleware
    async def scope_org_install_requests_to_their_workspace(
        body: dict, context: AsyncBoltContext, next: Callable[[], Awaitable[None]]  # noqa: A002
    ) -> None:
        team_id = _request_team_id(body)
        if context.is_enterprise_install and context.enterprise_id and team_id:
            # Under an org-wide install Bolt leaves context["team_id"] empty; every query is scoped by
            # the workspace the request came from, so give the handlers that one.
            if not context.team_id:
                context["team_id"] = team_id
            # The sweep knows a workspace by its team_id alone; this lets it find the org's token from one.
            await note_org_workspace(services_of(context), team_id=team_id, enterprise_id=context.enterprise_id)
        await next()

    async def handle_app_uninstalled(context: AsyncBoltContext) -> None:
        await retention.forget_installation(
            services_of(context),
            app.installation_store,
            enterprise_id=context.enterprise_id,
            team_id=context.team_id,
            is_enterprise_install=bool(context.is_enterprise_install),
        )

    async def handle_tokens_revoked(event: dict, context: AsyncBoltContext) -> None:
        store = app.installation_store
        tokens = event.get("tokens") or {}
        if store is not None:
            team_id = None if context.is_enterprise_install else context.team_id
            for user_id in tokens.get("oauth") or []:
                await store.async_delete_installation(enterprise_id=context.enterprise_id, team_id=team_id, user_id=user_id)
        if tokens.get("bot"):
            # Without its bot token the app can do nothing in the workspace: as good as uninstalled.
            await handle_app_uninstalled(context)

    app.event("app_uninstalled")(handle_app_uninstalled)
    app.event("tokens_revoked")(handle_tokens_revoked)
