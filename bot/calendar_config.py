"""The settings of connected calendars (Google Calendar, Microsoft 365), read and checked with the rest
at start (bot/config.py calls `load_calendars`).

No client id for either provider: the feature is off, and `/mentor calendar` says so. Every provider
URL can be pointed elsewhere (the tests and the sandbox point them at local stand-ins).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

CALLBACK_PATH = "/calendar/oauth/callback"
GOOGLE_DEFAULTS = {
    "GOOGLE_OAUTH_URL": "https://accounts.google.com/o/oauth2/v2/auth",
    "GOOGLE_TOKEN_URL": "https://oauth2.googleapis.com/token",
    "GOOGLE_REVOKE_URL": "https://oauth2.googleapis.com/revoke",
    "GOOGLE_CALENDAR_API_URL": "https://www.googleapis.com/calendar/v3/",
}
MICROSOFT_DEFAULTS = {
    "MICROSOFT_LOGIN_URL": "https://login.microsoftonline.com/common/oauth2/v2.0",
    "MICROSOFT_GRAPH_URL": "https://graph.microsoft.com/v1.0",
}

CALENDAR_VARIABLES: dict[str, str] = {
    "FLIPSIDE_PUBLIC_URL": "The bot's public https address (e.g. https://flipside.example.com), needed with a calendar provider: "
    f"people come back from Google or Microsoft to {CALLBACK_PATH} on it.",
    "GOOGLE_CLIENT_ID": "OAuth client ID (Google Cloud console, a Web application client) for connecting Google Calendar. "
    "Empty: no Google Calendar connections.",
    "GOOGLE_CLIENT_SECRET": "Its client secret.",
    "GOOGLE_OAUTH_URL": f"Google's authorize page (default {GOOGLE_DEFAULTS['GOOGLE_OAUTH_URL']}).",
    "GOOGLE_TOKEN_URL": f"Google's token endpoint (default {GOOGLE_DEFAULTS['GOOGLE_TOKEN_URL']}).",
    "GOOGLE_REVOKE_URL": f"Google's revoke endpoint (default {GOOGLE_DEFAULTS['GOOGLE_REVOKE_URL']}).",
    "GOOGLE_CALENDAR_API_URL": f"The Calendar API v3 base (default {GOOGLE_DEFAULTS['GOOGLE_CALENDAR_API_URL']}).",
    "MICROSOFT_CLIENT_ID": "Application (client) ID of an Entra ID app registration for connecting Microsoft 365 calendars. "
    "Empty: no Microsoft connections.",
    "MICROSOFT_CLIENT_SECRET": "A client secret of that app registration.",
    "MICROSOFT_LOGIN_URL": f"The identity platform's v2.0 OAuth base, with your tenant or 'common' (default {MICROSOFT_DEFAULTS['MICROSOFT_LOGIN_URL']}).",
    "MICROSOFT_GRAPH_URL": f"Microsoft Graph's base (default {MICROSOFT_DEFAULTS['MICROSOFT_GRAPH_URL']}).",
}


@dataclass(frozen=True)
class ProviderSettings:
    """One provider's OAuth client and where it answers."""

    client_id: str
    client_secret: str
    urls: dict[str, str]  # the *_URL variables of this provider, defaults filled in

    def url(self, name: str) -> str:
        return self.urls[name]


@dataclass(frozen=True)
class CalendarSettings:
    public_url: str
    google: ProviderSettings | None = None
    microsoft: ProviderSettings | None = None

    @property
    def redirect_uri(self) -> str:
        return self.public_url.rstrip("/") + CALLBACK_PATH


def _provider(prefix: str, defaults: dict[str, str], text: Callable[[str], str | None], problems: list[str]) -> ProviderSettings | None:
    client_id, client_secret = text(f"{prefix}_CLIENT_ID"), text(f"{prefix}_CLIENT_SECRET")
    if client_id is None and client_secret is None:
        return None
    if client_id is None or client_secret is None:
        missing = f"{prefix}_CLIENT_ID" if client_id is None else f"{prefix}_CLIENT_SECRET"
        problems.append(f"{missing} is missing: set both {prefix}_CLIENT_ID and {prefix}_CLIENT_SECRET to connect calendars, or neither.")
        return None
    urls = {}
    for name, default in defaults.items():
        value = text(name) or default
        if urlparse(value).scheme not in ("http", "https") or not urlparse(value).netloc:
            problems.append(f"{name}={value!r} is not an http(s) URL.")
        urls[name] = value
    return ProviderSettings(client_id=client_id, client_secret=client_secret, urls=urls)


def load_calendars(text: Callable[[str], str | None], mode: str, problems: list[str]) -> CalendarSettings | None:
    """The calendar settings, or None when no provider is configured (the feature is off)."""
    google = _provider("GOOGLE", GOOGLE_DEFAULTS, text, problems)
    microsoft = _provider("MICROSOFT", MICROSOFT_DEFAULTS, text, problems)
    if google is None and microsoft is None:
        return None
    public_url = text("FLIPSIDE_PUBLIC_URL")
    if mode == "socket":
        problems.append("Calendar connections need http mode: Google and Microsoft send people back to the bot's own address, "
                        "which Socket Mode does not serve. Unset GOOGLE_*/MICROSOFT_* or run in http mode.")
    if public_url is None:
        if mode != "sandbox":
            problems.append(f"FLIPSIDE_PUBLIC_URL is missing: with a calendar provider set, people come back to {CALLBACK_PATH} on it.")
        public_url = ""
    elif urlparse(public_url).scheme not in ("http", "https") or not urlparse(public_url).netloc:
        problems.append(f"FLIPSIDE_PUBLIC_URL={public_url!r} is not an http(s) URL.")
    return CalendarSettings(public_url=public_url, google=google, microsoft=microsoft)
