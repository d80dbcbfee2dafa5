"""Start and stop the whole bot: database, Bolt app, scheduler and (in HTTP mode) the web server."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import endpoint
from bot.app import create_app
from bot.calendar_callback import calendar_callback
from bot.calendar_config import CALLBACK_PATH
from bot.clients import ClientProvider
from bot.clock import Clock
from bot.config import Settings
from bot.services import Services
from bot.sweep.scheduler import build_scheduler
from bot.sweep.steps import SweepReport, SweepState, sweep
from bot.tokens import clients_of
from store import key_check
from store.db import make_engine, make_session_factory, migrate

logger = logging.getLogger(__name__)

# Slack's own payloads are far smaller; anything larger is refused by aiohttp with 413.
MAX_REQUEST_BYTES = 1024 * 1024


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    services: Services
    app: AsyncApp
    scheduler: AsyncIOScheduler | None = None
    runner: web.AppRunner | None = None
    port: int | None = None
    sweep_state: SweepState = field(default_factory=SweepState)
    _stopped: bool = field(default=False)

    async def sweep_now(self) -> SweepReport:
        return await sweep(self.services, self.clients, self.clock.now(), self.sweep_state)

    @property
    def clients(self) -> ClientProvider:
        """Each workspace's Web API client: the one token, or each installation's under OAuth."""
        return clients_of(self.services, self.app)

    def start_scheduler(self) -> None:
        self.scheduler = build_scheduler(self.sweep_now, seconds=self.settings.sweep_seconds)
        self.scheduler.start()
        logger.info("scheduler started: sweeping every %ss", self.settings.sweep_seconds)

    async def serve_http(self, *, host: str = "0.0.0.0", port: int | None = None) -> int:
        """Serve Bolt at /slack/events (every request's signature verified), /healthz, and in OAuth
        mode /slack/install and /slack/oauth_redirect."""
        web_app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        web_app.router.add_post("/slack/events", self._slack_events)
        web_app.router.add_get("/healthz", self._healthz)
        flow = self.app.oauth_flow
        if flow is not None:  # OAuth mode: Slack's install flow, for many workspaces (bot/oauth.py)
            web_app.router.add_get(flow.install_path, self._oauth_install)
            web_app.router.add_get(flow.redirect_uri_path, self._oauth_redirect)
        if self.settings.calendars is not None:  # the way back from Google or Microsoft (bot/calendar_callback.py)
            web_app.router.add_get(CALLBACK_PATH, self._calendar_callback)
        # No decompression: Slack sends plain bodies, and the signature is over the bytes as sent; a
        # false Content-Encoding would otherwise fail inside aiohttp, with a traceback in the log.
        self.runner = web.AppRunner(web_app, access_log=None, auto_decompress=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, host, self.settings.port if port is None else port)
        await site.start()
        self.port = self.runner.addresses[0][1]
        return self.port

    async def _slack_events(self, request: web.Request) -> web.Response:
        # The signature is checked on the raw bytes before anything parses them (bot/endpoint.py), and
        # anything refused is logged as a reason, never its body: an unsigned, forged or stale request
        # gets 401 and a malformed or foreign one 400, one WARNING line each, whatever it carries.
        raw = await request.read()
        # Wall-clock time, as Slack's timestamp is (and Bolt's own verification reads it).
        refusal = endpoint.check_signature(self.settings.signing_secret, raw, request.headers, time.time())
        if refusal is not None:
            return _refuse(refusal)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _refuse(endpoint.Refusal(400, "body not UTF-8"))
        parsed = endpoint.parse(text, request.content_type)
        if isinstance(parsed, endpoint.Refusal):
            return _refuse(parsed)
        if (refusal := endpoint.shape_refusal(parsed)) is not None:
            return _refuse(refusal)
        # Bolt still verifies the signature itself; its error handling is the last line of defence.
        try:
            bolt_request = _with_command_body(AsyncBoltRequest(body=text, query=request.query_string, headers=request.headers))  # type: ignore[arg-type]
            bolt_response = await self.app.async_dispatch(bolt_request)
        except (AttributeError, TypeError, ValueError, LookupError, RecursionError) as error:
            return _refuse(endpoint.Refusal(400, f"malformed request ({type(error).__name__})"))
        if bolt_response.status == 404:  # a well-formed payload no listener takes: foreign to this app
            return _refuse(endpoint.Refusal(400, "no listener for this payload"))
        return await to_aiohttp_response(bolt_response)

    async def _oauth_install(self, request: web.Request) -> web.Response:
        bolt_response = await self.app.oauth_flow.handle_installation(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def _oauth_redirect(self, request: web.Request) -> web.Response:
        bolt_response = await self.app.oauth_flow.handle_callback(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def _calendar_callback(self, request: web.Request) -> web.Response:
        return await calendar_callback(self.services, self.clients, request)

    async def _healthz(self, _request: web.Request) -> web.Response:
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            database = "ok"
        except Exception as error:  # a health check reports, it does not raise
            database = f"error: {type(error).__name__}"
        scheduler = "running" if self.scheduler is not None and self.scheduler.running else "stopped"
        healthy = database == "ok"
        return web.json_response({"database": database, "scheduler": scheduler}, status=200 if healthy else 503)

    async def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.runner is not None:
            await self.runner.cleanup()
        await _finish_acknowledged_work()
        await self.services.background.finish()
        await self.engine.dispose()
        await self.services.http.close()
        logger.info("stopped cleanly")


WRONG_KEY = (
    "FLIPSIDE_ENCRYPTION_KEY cannot read this database: its text was encrypted under a key that is not in it. "
    "Put the old key after the new one (FLIPSIDE_ENCRYPTION_KEY=<new>,<old>), start again, and run "
    "`python -m store.rotate_keys` before removing the old key."
)


class WrongKey(RuntimeError):
    """The database's text was encrypted under keys we do not hold: starting would write unreadable rows."""


async def build_runtime(settings: Settings, clock: Clock) -> Runtime:
    engine = make_engine(settings.database_url, encryption_keys=settings.encryption_key)
    await migrate(engine)
    if settings.encryption_key:
        async with make_session_factory(engine).begin() as session:
            readable = await key_check.keys_open_this_database(session, now=clock.now())
        if not readable:
            await engine.dispose()
            raise WrongKey(WRONG_KEY)
    services = Services(settings=settings, clock=clock, sessions=make_session_factory(engine))
    app = create_app(services)
    return Runtime(settings=settings, clock=clock, engine=engine, services=services, app=app)


def freeze_start_up_objects() -> None:
    """Once the process is up: the objects of its imports, app and listeners (hundreds of thousands)
    are there for good, so they go to the collector's permanent generation. Otherwise every full
    collection walks them all again, holding the event loop for a tenth of a second or more."""
    gc.collect()
    gc.freeze()


async def _finish_acknowledged_work(within: float = 10.0) -> None:
    """Let listeners that already acknowledged finish (their answer is still owed), for `within` seconds
    at most, before the database goes: handlers acknowledge first and work afterwards."""
    pending = [
        task for task in asyncio.all_tasks()
        if not task.done() and "run_ack_function_asynchronously" in getattr(task.get_coro(), "__qualname__", "")
    ]
    if pending:
        await asyncio.wait(pending, timeout=within)


def _refuse(refusal: endpoint.Refusal) -> web.Response:
    logger.warning("request refused with %s: %s", refusal.status, refusal.reason)
    return web.Response(status=refusal.status, text="invalid request" if refusal.status == 401 else "malformed request")


def _with_command_body(bolt_request: AsyncBoltRequest) -> AsyncBoltRequest:
    """Bolt reads any form body that contains the word "payload" as an interaction and, finding no
    `payload` field, as empty: `/mentor payload ...` (or an email with it) would go unanswered.
    A slash command's form is its body; the signature is still checked on the raw bytes."""
    if bolt_request.body or "payload" not in bolt_request.raw_body:
        return bolt_request
    form = dict(parse_qsl(bolt_request.raw_body, keep_blank_values=True))
    if "payload" in form or not form.get("command"):
        return bolt_request
    bolt_request.body = form
    bolt_request.context = build_async_context(AsyncBoltContext({}), form)
    return bolt_request
