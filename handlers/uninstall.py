"""`app_uninstalled` and `tokens_revoked`: the workspace's tokens are deleted and its retention clock starts.

Bolt skips authorization for these two events (the token is already dead), so they arrive with the
ids from the envelope only.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot import retention


def register(app: AsyncApp) -> None:
    async def handle_app_uninstalled(context: AsyncBoltContext) -> None:
        await retention.forget_installation(
            context["services"],
            app.installation_store,
            enterprise_id=context.enterprise_id,
            team_id=context.team_id,
            is_enterprise_install=bool(context.is_enterprise_install),
        )

    async def handle_tokens_revoked(event: dict, context: AsyncBoltContext) -> None:
        store = app.installation_store
        tokens = event.get("tokens") or {}
        if store is not None:
            for user_id in tokens.get("oauth") or []:
                await store.async_delete_installation(enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id)
        if tokens.get("bot"):
            # Without its bot token the app can do nothing in the workspace: as good as uninstalled.
            await handle_app_uninstalled(context)

    app.event("app_uninstalled")(handle_app_uninstalled)
    app.event("tokens_revoked")(handle_tokens_revoked)
