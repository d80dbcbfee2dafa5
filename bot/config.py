"""Settings from the environment (and `.env`), validated once at start.

Every bad or missing value is reported on a line of its own, so a person deploying the bot can fix
them all in one go instead of meeting them one traceback at a time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

from bot.calendar_config import CALENDAR_VARIABLES, CalendarSettings, load_calendars
from store.crypto import KeyRingError, parse_keys
from store.db import normalise_database_url

MODES = ("socket", "http", "sandbox")
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///flipside.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# The bot scopes in app_manifest.yml (tests/oauth/test_settings.py keeps the two in step).
DEFAULT_SLACK_SCOPES = (
    "commands", "chat:write", "im:history", "im:write", "users:read", "users:read.email", "files:write", "files:read",
    "channels:read", "groups:read",
)
DEFAULT_RETENTION_DAYS_AFTER_UNINSTALL = 30
DEFAULT_OUTBOX_LEASE_SECONDS = 300
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")

# Each variable the bot reads, with what it means: docs/configuration.md and `--help` are built from this.
VARIABLES: dict[str, str] = {
    "SLACK_BOT_TOKEN": "Bot token (xoxb-...). Needed for socket and http modes, except with the OAuth install.",
    "SLACK_APP_TOKEN": "App-level token (xapp-...) with connections:write. Selects Socket Mode.",
    "SLACK_SIGNING_SECRET": "Signing secret from the app's Basic Information page. Selects http mode.",
    "SLACK_CLIENT_ID": "Client ID (Basic Information). With SLACK_CLIENT_SECRET, http mode serves the OAuth "
    "install for many workspaces (/slack/install) and needs no SLACK_BOT_TOKEN.",
    "SLACK_CLIENT_SECRET": "Client secret (Basic Information), for the OAuth install.",
    "SLACK_SCOPES": "Bot scopes the OAuth install asks for, comma-separated (default: those in app_manifest.yml).",
    "RETENTION_DAYS_AFTER_UNINSTALL": "Days a workspace's programme data is kept after the app is uninstalled "
    f"(default {DEFAULT_RETENTION_DAYS_AFTER_UNINSTALL}).",
    "SLACK_API_URL": f"Web API base URL (default {DEFAULT_SLACK_API_URL}); point it at a local stand-in.",
    "DATABASE_URL": f"SQLAlchemy URL (default {DEFAULT_DATABASE_URL}); postgresql+asyncpg://... to scale.",
    "PORT": "HTTP port for http mode and the sandbox page (default 3000).",
    "LOG_LEVEL": "DEBUG, INFO (default), WARNING or ERROR.",
    "SWEEP_SECONDS": "How often the scheduler sweeps for due reminders and nudges (default 60).",
    "OUTBOX_LEASE_SECONDS": f"How long a replica holds the messages it claimed before another may send them "
    f"(default {DEFAULT_OUTBOX_LEASE_SECONDS}); keep it well above the time one sweep takes to deliver a batch.",
    "FLIPSIDE_SETUP_ADMINS": "Slack user ids (U...), comma-separated, who may set up a workspace's first programme "
    "besides its Slack admins and owners (default: none).",
    "FLIPSIDE_ENCRYPTION_KEY": "Fernet key(s), newest first, comma-separated, for the text people write. "
    "Needed for socket and http modes; the sandbox makes its own.",
    "SMTP_URL": "Mail server for calendar invites by email: smtp://user:password@host:587 (STARTTLS when the server "
    "offers it) or smtps://user:password@host:465 (TLS from the start). Empty: no email invites, only the .ics and links.",
    "CALENDAR_FROM": "The address invites are sent from (and name as organizer), e.g. mentoring@example.com. Needed with SMTP_URL.",
    **CALENDAR_VARIABLES,
}
EMAIL_ADDRESS = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


@dataclass(frozen=True)
class SmtpSettings:
    """Where email invites go out: the server, how to reach it, and whose name they carry."""

    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool  # smtps: TLS from the start; smtp: STARTTLS when the server offers it
    from_address: str


class SettingsError(Exception):
    """Raised with every problem found, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    mode: str
    bot_token: str | None = None
    app_token: str | None = None
    signing_secret: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    log_level: str = "INFO"
    sweep_seconds: int = 60
    outbox_lease_seconds: int = DEFAULT_OUTBOX_LEASE_SECONDS
    encryption_key: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    scopes: tuple[str, ...] = DEFAULT_SLACK_SCOPES
    retention_days_after_uninstall: int = DEFAULT_RETENTION_DAYS_AFTER_UNINSTALL
    setup_admins: tuple[str, ...] = ()  # who may set up the first programme, besides workspace admins and owners
    smtp: SmtpSettings | None = None  # email invites; None when the operator set no SMTP_URL
    calendars: CalendarSettings | None = None  # connected calendars; None when no provider is set (bot/calendar_config.py)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def oauth(self) -> bool:
        """Many workspaces: tokens come from the OAuth install, one per workspace, not from SLACK_BOT_TOKEN."""
        return self.client_id is not None and self.client_secret is not None

    @property
    def log_level_number(self) -> int:
        return logging.getLevelName(self.log_level)


def choose_mode(environ: Mapping[str, str]) -> str:
    """Socket Mode when an app token is set, else HTTP when a signing secret (or OAuth) is set, else the sandbox."""
    if environ.get("SLACK_APP_TOKEN"):
        return "socket"
    if environ.get("SLACK_SIGNING_SECRET") or environ.get("SLACK_CLIENT_ID") or environ.get("SLACK_CLIENT_SECRET"):
        return "http"
    return "sandbox"


def _int(environ: Mapping[str, str], name: str, default: int, low: int, high: int, problems: list[str]) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name}={raw!r} is not a whole number (expected {low} to {high}).")
        return default
    if not low <= value <= high:
        problems.append(f"{name}={value} is out of range (expected {low} to {high}).")
    return value


def _smtp(smtp_url: str | None, from_address: str | None, problems: list[str]) -> SmtpSettings | None:
    """SMTP_URL and CALENDAR_FROM, both or neither; the password is never echoed in a problem."""
    if smtp_url is None:
        if from_address is not None:
            problems.append("CALENDAR_FROM is set but SMTP_URL is not: set both to send invites by email, or neither.")
        return None
    parsed = urlparse(smtp_url)
    shown = f"{parsed.scheme}://{parsed.hostname or ''}"
    if parsed.scheme not in ("smtp", "smtps") or not parsed.hostname:
        problems.append(f"SMTP_URL ({shown}...) must look like smtp://user:password@host:587 or smtps://user:password@host:465.")
        return None
    try:
        port = parsed.port or (465 if parsed.scheme == "smtps" else 587)
    except ValueError:
        problems.append(f"SMTP_URL ({shown}...) has a port that is not a number from 1 to 65535.")
        return None
    if from_address is None:
        problems.append("CALENDAR_FROM is missing: SMTP_URL needs the address invites are sent from, e.g. mentoring@example.com.")
    elif not EMAIL_ADDRESS.match(from_address):
        problems.append(f"CALENDAR_FROM={from_address!r} is not an email address (name@example.com).")
    return SmtpSettings(
        hostname=parsed.hostname, port=port, username=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None, use_tls=parsed.scheme == "smtps",
        from_address=from_address or "",
    )


def load_settings(environ: Mapping[str, str], mode: str | None = None) -> Settings:
    """Read and check every setting for the chosen mode; raise SettingsError listing all problems."""
    problems: list[str] = []
    mode = mode or choose_mode(environ)
    if mode not in MODES:
        raise SettingsError([f"Unknown mode {mode!r}: choose one of {', '.join(MODES)}."])

    def text(name: str) -> str | None:
        value = environ.get(name, "").strip()
        return value or None

    bot_token, app_token, signing_secret = (
        text("SLACK_BOT_TOKEN"),
        text("SLACK_APP_TOKEN"),
        text("SLACK_SIGNING_SECRET"),
    )
    client_id, client_secret = text("SLACK_CLIENT_ID"), text("SLACK_CLIENT_SECRET")
    oauth = client_id is not None or client_secret is not None
    if oauth and mode != "http":
        problems.append(f"SLACK_CLIENT_ID/SLACK_CLIENT_SECRET are set, but the OAuth install needs http mode, not {mode}.")
    if oauth and mode == "http":
        if client_id is None:
            problems.append("SLACK_CLIENT_ID is missing: the OAuth install needs the client ID (Basic Information).")
        if client_secret is None:
            problems.append("SLACK_CLIENT_SECRET is missing: the OAuth install needs the client secret (Basic Information).")
        if signing_secret is None:
            problems.append("SLACK_SIGNING_SECRET is missing: the OAuth install verifies every request with it.")
    elif mode in ("socket", "http"):
        if bot_token is None:
            problems.append(f"SLACK_BOT_TOKEN is missing: {mode} mode needs the bot token (xoxb-...).")
        elif not bot_token.startswith("xoxb-"):
            problems.append("SLACK_BOT_TOKEN must start with 'xoxb-' (the Bot User OAuth Token).")
    if mode == "socket":
        if app_token is None:
            problems.append("SLACK_APP_TOKEN is missing: socket mode needs an app-level token (xapp-...).")
        elif not app_token.startswith("xapp-"):
            problems.append("SLACK_APP_TOKEN must start with 'xapp-' (an app-level token).")
    if mode == "http" and signing_secret is None and not oauth:
        problems.append("SLACK_SIGNING_SECRET is missing: http mode verifies every request with it.")

    api_url = text("SLACK_API_URL") or DEFAULT_SLACK_API_URL
    parsed = urlparse(api_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        problems.append(f"SLACK_API_URL={api_url!r} is not an http(s) URL.")
    if not api_url.endswith("/"):
        api_url += "/"

    database_url = text("DATABASE_URL") or DEFAULT_DATABASE_URL
    database_url = normalise_database_url(database_url)
    if not database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        problems.append(
            f"DATABASE_URL={database_url!r} is not supported: use sqlite+aiosqlite:///file.db "
            "or postgresql+asyncpg://user@host/db."
        )

    port = _int(environ, "PORT", 3000, 1, 65535, problems)
    sweep_seconds = _int(environ, "SWEEP_SECONDS", 60, 1, 86400, problems)
    outbox_lease_seconds = _int(environ, "OUTBOX_LEASE_SECONDS", DEFAULT_OUTBOX_LEASE_SECONDS, 1, 86400, problems)
    log_level = (text("LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        problems.append(f"LOG_LEVEL={log_level!r} is not one of {', '.join(LOG_LEVELS)}.")

    encryption_key = text("FLIPSIDE_ENCRYPTION_KEY")
    if encryption_key is None and mode in ("socket", "http"):
        problems.append(
            "FLIPSIDE_ENCRYPTION_KEY is missing: make one with `python -c \"from cryptography.fernet "
            "import Fernet; print(Fernet.generate_key().decode())\"` and keep it safe."
        )
    elif encryption_key is not None:
        try:
            parse_keys(encryption_key)
        except KeyRingError as error:
            problems.append(f"{error}.")

    scopes = tuple(scope.strip() for scope in (text("SLACK_SCOPES") or "").split(",") if scope.strip())
    retention_days_after_uninstall = _int(
        environ, "RETENTION_DAYS_AFTER_UNINSTALL", DEFAULT_RETENTION_DAYS_AFTER_UNINSTALL, 0, 3650, problems
    )

    setup_admins = tuple(user_id.strip() for user_id in (text("FLIPSIDE_SETUP_ADMINS") or "").split(",") if user_id.strip())
    for user_id in setup_admins:
        if not SLACK_USER_ID.match(user_id):
            problems.append(
                f"FLIPSIDE_SETUP_ADMINS: {user_id!r} is not a Slack user id (U... or W..., from the person's profile: "
                "More > Copy member ID)."
            )

    smtp = _smtp(text("SMTP_URL"), text("CALENDAR_FROM"), problems)
    calendars = load_calendars(text, mode, problems)

    if problems:
        raise SettingsError(problems)
    return Settings(
        mode=mode,
        bot_token=None if oauth else bot_token,  # OAuth: each workspace has its own token
        app_token=app_token,
        signing_secret=signing_secret,
        slack_api_url=api_url,
        database_url=database_url,
        port=port,
        log_level=log_level,
        sweep_seconds=sweep_seconds,
        outbox_lease_seconds=outbox_lease_seconds,
        encryption_key=encryption_key,
        client_id=client_id if oauth else None,
        client_secret=client_secret if oauth else None,
        scopes=scopes or DEFAULT_SLACK_SCOPES,
        retention_days_after_uninstall=retention_days_after_uninstall,
        setup_admins=setup_admins,
        smtp=smtp,
        calendars=calendars,
    )
