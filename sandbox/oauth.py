"""Slack's side of the OAuth install, for the Web API stand-in: codes, tokens, refreshes.

Slack's install page, once a person approves, sends their browser to the app's redirect URL with a
one-time `code`; the app trades it at `oauth.v2.access` for a bot token. With token rotation on,
that token expires (`expires_in`) and comes with a refresh token, which `oauth.v2.access` with
`grant_type=refresh_token` trades for a new pair. Each refresh token works once here, so a refresh
race between replicas shows up as an `invalid_refresh_token` error.

Expiry uses the wall clock, as slack_sdk and Bolt do when they compute `expires_at`.
"""

from __future__ import annotations

import base64
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from sandbox.workspace import SlackApiError

APP_ID = "A0FLIPSIDE"


@dataclass
class Grant:
    """One approved install: the workspace (or the Enterprise Grid org) the app was installed into."""

    team_id: str | None
    team_name: str = ""
    enterprise_id: str | None = None
    enterprise_name: str = ""
    is_enterprise_install: bool = False
    installer_id: str = "U0ADMIN"
    bot_user_id: str = "U0BOT"
    bot_id: str = "B0BOT"
    scope: str = ""

    def auth_test(self) -> dict[str, Any]:
        """What `auth.test` answers for this install's bot token."""
        return {
            "url": f"https://{(self.team_id or self.enterprise_id or 'org').lower()}.slack.com/",
            "team": self.team_name,
            "user": "flipside",
            # An org-wide token belongs to no one workspace.
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "enterprise_id": self.enterprise_id,
            "is_enterprise_install": self.is_enterprise_install,
        }


@dataclass
class IssuedToken:
    grant: Grant
    expires_at: float | None  # wall-clock seconds; None when rotation is off


@dataclass
class SlackOAuth:
    """The app's client credentials and everything issued under them."""

    client_id: str = "1111.2222"
    client_secret: str = "sandbox-client-secret"
    rotation: bool = False  # Slack's "token rotation" setting for the app
    expires_in: int = 43_200  # seconds a rotating token lives (Slack's are 12 hours)
    codes: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, IssuedToken] = field(default_factory=dict)
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    refreshes: int = 0  # successful refresh_token exchanges
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def approve(self, grant: Grant) -> str:
        """What Slack's install page does when the person clicks Allow: a one-time code for the app."""
        code = f"{next(self._ids)}.sandbox-code"
        self.codes[code] = grant
        return code

    def grant_for(self, token: str) -> Grant | None:
        """The install a bot token belongs to; raises token_expired once a rotating token has run out."""
        issued = self.tokens.get(token)
        if issued is None:
            return None
        if issued.expires_at is not None and issued.expires_at <= time.time():
            raise SlackApiError("token_expired")
        return issued.grant

    def access(self, args: dict[str, Any], authorization: str) -> dict[str, Any]:
        """`oauth.v2.access`: trade a code, or a refresh token, for a bot token."""
        client_id, client_secret = _client_credentials(args, authorization)
        if client_id != self.client_id:
            raise SlackApiError("invalid_client_id")
        if client_secret != self.client_secret:
            raise SlackApiError("bad_client_secret")
        if args.get("grant_type") == "refresh_token":
            grant = self.refresh_tokens.pop(str(args.get("refresh_token") or ""), None)
            if grant is None:
                raise SlackApiError("invalid_refresh_token")
            self.refreshes += 1
        else:
            grant = self.codes.pop(str(args.get("code") or ""), None)
            if grant is None:
                raise SlackApiError("invalid_code")
            grant.scope = str(args.get("scope") or grant.scope)
        return self._issue(grant)

    def _issue(self, grant: Grant) -> dict[str, Any]:
        number = next(self._ids)
        owner = grant.team_id or grant.enterprise_id
        token = f"xoxb-{owner}-{number}-sandbox"
        answer: dict[str, Any] = {
            "token_type": "bot",
            "scope": grant.scope or "commands,chat:write",
            "bot_user_id": grant.bot_user_id,
            "app_id": APP_ID,
            "team": {"id": grant.team_id, "name": grant.team_name} if grant.team_id else None,
            "enterprise": {"id": grant.enterprise_id, "name": grant.enterprise_name} if grant.enterprise_id else None,
            "authed_user": {"id": grant.installer_id},
            "is_enterprise_install": grant.is_enterprise_install,
        }
        expires_at = None
        if self.rotation:
            token = f"xoxe.{token}"
            refresh_token = f"xoxe-1-{owner}-{number}-sandbox"
            self.refresh_tokens[refresh_token] = grant
            expires_at = time.time() + self.expires_in
            answer.update(refresh_token=refresh_token, expires_in=self.expires_in)
        self.tokens[token] = IssuedToken(grant=grant, expires_at=expires_at)
        return {"access_token": token, **answer}


def _client_credentials(args: dict[str, Any], authorization: str) -> tuple[str, str]:
    """slack_sdk sends the client ID and secret as HTTP Basic auth; Slack also takes them as fields."""
    if authorization.startswith("Basic "):
        try:
            decoded = base64.b64decode(authorization.removeprefix("Basic ").strip()).decode()
        except ValueError as error:
            raise SlackApiError("invalid_client_id") from error
        client_id, _, client_secret = decoded.partition(":")
        return client_id, client_secret
    return str(args.get("client_id") or ""), str(args.get("client_secret") or "")
