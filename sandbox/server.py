"""`python -m bot` with no Slack tokens: the real bot and the sandbox workspace, together in one process.

The sandbox serves the page, its JSON API and Slack's Web API on one port; the bot runs in HTTP mode
on an ephemeral local port with a signing secret made up at start, and everything the sandbox sends
it is signed with that secret, exactly as Slack signs. Both share one `ManualClock`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from sqlalchemy.engine import make_url

from bot.clock import ManualClock
from bot.config import Settings, SmtpSettings
from bot.runtime import Runtime, build_runtime
from sandbox.calendar_standins import StandIns, seed_calendars, start_standins
from sandbox.demo import DemoResult, seed_demo
from sandbox.directory import populate
from sandbox.mailbox import SENDER, Mailbox
from sandbox.page import PageApi
from sandbox.page_routes import add_routes
from sandbox.processes import free_port
from sandbox.slack_api import build_slack_api
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Message, Workspace
from store.db import new_key

logger = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///flipside-sandbox.db"


@dataclass
class Sandbox:
    workspace: Workspace
    clock: ManualClock
    page: PageApi
    runtime: Runtime
    requests: SlackRequests
    runner: web.AppRunner
    url: str
    state_path: Path | None = None
    demo: DemoResult | None = None
    mailbox: Mailbox | None = None
    calendars: StandIns | None = None  # Google's and Microsoft's stand-ins, each person's calendar in them

    async def stop(self) -> None:
        if self.state_path is not None:
            save_state(self.state_path, self.workspace, self.clock)
        self.page.shut_down()
        await self.requests.close()
        await self.runtime.stop()
        await self.runner.cleanup()
        if self.mailbox is not None:
            await self.mailbox.stop()
        if self.calendars is not None:
            await self.calendars.stop()


def _saver(path: Path, workspace: Workspace, clock: ManualClock) -> Callable[[], None]:
    """Save at most once a second: a week's clock move makes hundreds of changes."""
    pending: list[asyncio.TimerHandle] = []

    def save_soon() -> None:
        if pending:
            return

        def save() -> None:
            pending.clear()
            try:
                save_state(path, workspace, clock)
            except OSError as error:
                logger.warning("could not save the sandbox's state to %s: %s", path, error)

        pending.append(asyncio.get_running_loop().call_later(1.0, save))

    return save_soon


def sqlite_path(database_url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases (and in-memory SQLite)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def saved_state_path(database_url: str) -> Path | None:
    """Beside a SQLite file, the sandbox keeps its clock and conversations, so a restart carries on."""
    path = sqlite_path(database_url)
    return None if path is None else path.with_name(path.name + ".sandbox.json")


def reset_database(database_url: str) -> Path:
    """Delete the sandbox's SQLite file (its WAL companions, its saved state) so the next start is fresh."""
    path = sqlite_path(database_url)
    if path is None:
        raise ValueError("--reset only deletes a SQLite file; empty other databases yourself.")
    for suffix in ("", "-wal", "-shm", ".sandbox.json", ".key"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return path


def encryption_key(settings: Settings) -> str:
    """FLIPSIDE_ENCRYPTION_KEY when set; else the sandbox's own key, kept beside its SQLite file so the
    text people wrote still reads after a restart."""
    if settings.encryption_key:
        return settings.encryption_key
    path = sqlite_path(settings.database_url)
    if path is None:
        logger.warning("no FLIPSIDE_ENCRYPTION_KEY: using a key for this run only; set one to read this run's text later")
        return new_key()
    key_path = path.with_name(path.name + ".key")
    if key_path.exists():
        return key_path.read_text(encoding="utf-8").strip()
    key = new_key()
    key_path.touch(mode=0o600)
    key_path.write_text(key + "\n", encoding="utf-8")
    return key


def save_state(path: Path, workspace: Workspace, clock: ManualClock) -> None:
    state = {"clock": clock.now().isoformat(), "messages": [asdict(message) for message in workspace.messages]}
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(state), encoding="utf-8")
    temporary.replace(path)


def load_state(path: Path | None) -> tuple[datetime | None, list[Message]]:
    """The saved clock and messages, or nothing when there are none (or they cannot be read)."""
    if path is None or not path.exists():
        return None, []
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        return datetime.fromisoformat(state["clock"]), [Message(**message) for message in state.get("messages", [])]
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("could not read the sandbox's saved state in %s (%s); starting with an empty history", path, error)
        return None, []


async def start_sandbox(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    clock: ManualClock | None = None,
    demo: bool = False,
    scheduler: bool = True,
) -> Sandbox:
    """Serve the sandbox on `port` (settings.port by default; 0 for any free one), then start the bot."""
    state_path = saved_state_path(settings.database_url)
    saved_clock, saved_messages = load_state(state_path)
    clock = clock or ManualClock(datetime.now(UTC))
    if saved_clock is not None and saved_clock >= clock.now():
        # Time never runs backwards for the bot: a run that moved the clock ahead resumes from there.
        clock.set(saved_clock + timedelta(seconds=1))
    workspace = populate(Workspace(now=clock.now))
    workspace.messages.extend(saved_messages)
    page = PageApi(workspace, clock)
    if state_path is not None:
        page.subscribers.append(_saver(state_path, workspace, clock))
    app = build_slack_api(workspace)
    add_routes(app, page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, settings.port if port is None else port).start()
    bound = runner.addresses[0][1]
    base = f"http://127.0.0.1:{bound}"
    workspace.api_base_url = f"{base}/api/"
    signing_secret = secrets.token_hex(16)  # made up at each start: only this process signs for the bot
    mailbox = None
    smtp = settings.smtp
    if smtp is None:  # no mail server of the operator's: invites go to the sandbox's own, shown on the page
        mailbox = Mailbox(clock.now, on_arrival=page.changed)
        smtp = SmtpSettings(hostname="127.0.0.1", port=await mailbox.start(), username=None, password=None, use_tls=False, from_address=SENDER)
        page.mailbox = mailbox
    bot_settings = replace(settings, mode="sandbox", bot_token=workspace.bot_token, signing_secret=signing_secret,
                           slack_api_url=workspace.api_base_url, encryption_key=encryption_key(settings), smtp=smtp)
    # Connected calendars against local stand-ins of Google and Microsoft, whose consent pages send the
    # browser back to the bot's own address: so the bot's port is chosen first.
    calendars = await start_standins()
    seed_calendars(calendars, workspace, now=clock.now())
    bot_port = free_port()
    bot_settings = replace(bot_settings, calendars=calendars.settings(f"http://127.0.0.1:{bot_port}"))
    try:
        runtime = await build_runtime(bot_settings, clock)
    except BaseException:
        await runner.cleanup()
        await calendars.stop()
        if mailbox is not None:
            await mailbox.stop()
        raise
    bot_port = await runtime.serve_http(host="127.0.0.1", port=bot_port)
    requests = SlackRequests(workspace=workspace, bot_url=f"http://127.0.0.1:{bot_port}/slack/events", signing_secret=signing_secret,
                             response_base_url=f"{base}/response")
    page.attach(runtime, requests)
    sandbox = Sandbox(workspace=workspace, clock=clock, page=page, runtime=runtime, requests=requests, runner=runner, state_path=state_path, mailbox=mailbox,
                      calendars=calendars, url=f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{bound}/")
    if demo:
        sandbox.demo = await seed_demo(runtime.services.sessions, team_id=workspace.team_id, now=clock.now())
    if scheduler:
        runtime.start_scheduler()
    return sandbox
