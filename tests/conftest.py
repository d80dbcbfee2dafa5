"""Fixtures: a local Slack Web API, the real bot over real HTTP, a fixed clock, a fresh database.

The database is a new SQLite file per test by default. Set FLIPSIDE_TEST_DATABASE_URL to a
PostgreSQL URL (postgresql+asyncpg://user@host:port/db) to run every test against a fresh database
created on that server instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import make_url

from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from sandbox.processes import start_web_api
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Channel, Member, Workspace

SIGNING_SECRET = "test-signing-secret"
ENCRYPTION_KEY = "dGVzdC1rZXktZm9yLWZsaXBzaWRlLXRlc3RzLW9ubHk="  # a valid Fernet key, for tests only
# A Wednesday in term time: 10:00 in London.
START = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
POSTGRES_URL_VARIABLE = "FLIPSIDE_TEST_DATABASE_URL"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def workspace(clock: ManualClock) -> Workspace:
    workspace = Workspace(now=clock.now)
    for member in (
        Member(id="U0ADMIN", name="amara", real_name="Amara Okafor", tz="Europe/London", title="Head of Inclusion", email="amara@example.com", department="People"),
        Member(id="U0MENTOR", name="priya", real_name="Priya Nair", tz="Asia/Kolkata", title="Graduate Analyst", email="priya@example.com", department="Data"),
        Member(id="U0MENTEE", name="tom", real_name="Tom Becker", tz="America/New_York", title="Chief Operating Officer", email="tom@example.com", department="Operations"),
        Member(id="U0OTHER", name="leo", real_name="Léo Martin", tz="Europe/Paris", title="Designer", email="leo@example.com", department="Design"),
        Member(id="U0OWNER", name="sam", real_name="Sam Reid", tz="Europe/London", title="IT", email="sam@example.com", department="IT", is_owner=True, is_admin=True),
        Member(id="U0GONE", name="old", real_name="Former Colleague", tz="Europe/London", deleted=True),
    ):
        workspace.add_member(member)
    # The cohort's private channel for reverse-mentors, with the bot invited (`/mentor admin peers`).
    workspace.add_channel(Channel(id="C0MENTORS", name="mentors-circle", is_private=True))
    return workspace


@pytest.fixture
async def slack_api(workspace: Workspace) -> AsyncIterator[str]:
    """The Web API stand-in on a free port; yields its base URL (ending in /api/)."""
    runner, base_url = await start_web_api(workspace)
    yield base_url
    await runner.cleanup()


@asynccontextmanager
async def new_postgres_database(base_url: str, prefix: str = "flipside_test") -> AsyncIterator[str]:
    """A fresh, empty database on the server of `base_url`, dropped afterwards; yields its URL."""
    import asyncpg

    url = make_url(base_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin_dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        connection = await asyncpg.connect(admin_dsn)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()


@pytest.fixture
async def database_url(tmp_path) -> AsyncIterator[str]:
    base = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base:
        yield f"sqlite+aiosqlite:///{tmp_path / 'flipside.db'}"
        return
    async with new_postgres_database(base) as url:
        yield url


@pytest.fixture
def settings(slack_api: str, database_url: str, workspace: Workspace) -> Settings:
    return Settings(
        mode="http",
        bot_token=workspace.bot_token,
        signing_secret=SIGNING_SECRET,
        slack_api_url=slack_api,
        database_url=database_url,
        port=0,
        sweep_seconds=60,
        encryption_key=ENCRYPTION_KEY,
        setup_admins=("U0ADMIN",),  # Amara (HR) sets up the first programme; Sam (U0OWNER) may as a workspace owner
    )


@pytest.fixture
async def bot(settings: Settings, clock: ManualClock) -> AsyncIterator[Runtime]:
    """The real bot: migrated database, Bolt app, serving signed HTTP on a free local port."""
    runtime = await build_runtime(settings, clock)
    await runtime.serve_http(host="127.0.0.1", port=0)
    yield runtime
    await runtime.stop()


@pytest.fixture
async def slack(bot: Runtime, workspace: Workspace, slack_api: str) -> AsyncIterator[SlackRequests]:
    """Sends the bot signed requests as Slack would, on behalf of the workspace's people."""
    requests = SlackRequests(
        workspace=workspace,
        bot_url=f"http://127.0.0.1:{bot.port}/slack/events",
        signing_secret=SIGNING_SECRET,
        response_base_url=slack_api.removesuffix("api/") + "response",
    )
    yield requests
    await requests.close()


DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
_postgres_reachable: dict[str, str | None] = {}


async def _reason_postgres_unreachable(url: str) -> str | None:
    if url not in _postgres_reachable:
        import asyncpg

        try:
            connection = await asyncpg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False), timeout=3)
            await connection.close()
            _postgres_reachable[url] = None
        except Exception as error:  # any failure means: skip with the reason
            _postgres_reachable[url] = f"{type(error).__name__}: {error}"
    return _postgres_reachable[url]


@pytest.fixture
async def postgres_url() -> str:
    """A reachable PostgreSQL server for the tests of the scale path, or a clear skip."""
    url = os.environ.get("FLIPSIDE_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    reason = await _reason_postgres_unreachable(url)
    if reason is not None:
        pytest.skip(f"PostgreSQL not reachable at {url} ({reason}); start one or set FLIPSIDE_TEST_POSTGRES_URL")
    return url


@pytest.fixture
async def fresh_postgres(postgres_url: str) -> AsyncIterator[str]:
    """A fresh, empty database on the PostgreSQL server of the scale tests (not migrated)."""
    async with new_postgres_database(postgres_url, prefix="flipside_replicas") as url:
        yield url


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ANN001
    skipped = [report for report in terminalreporter.stats.get("skipped", []) if "PostgreSQL not reachable" in str(report.longrepr)]
    if skipped:
        terminalreporter.write_line(
            f"NOTICE: {len(skipped)} PostgreSQL test(s) skipped: no server answered. "
            "Start PostgreSQL on 127.0.0.1:5432 (trust auth, database 'test') or set FLIPSIDE_TEST_POSTGRES_URL.",
            yellow=True,
        )


@pytest.fixture
async def db(database_url: str) -> AsyncIterator:
    """A session factory on a freshly migrated database, for store and rule tests without the app."""
    from store.db import make_engine, make_session_factory, migrate

    engine = make_engine(database_url, encryption_keys=ENCRYPTION_KEY)
    await migrate(engine)
    yield make_session_factory(engine)
    await engine.dispose()
