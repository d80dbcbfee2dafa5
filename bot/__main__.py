"""`python -m bot [socket|http|sandbox]`: run Flipside."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Mapping
from dataclasses import replace

from dotenv import load_dotenv

from bot.clock import SystemClock
from bot.config import MODES, VARIABLES, Settings, SettingsError, load_settings
from bot.logs import configure_logging

logger = logging.getLogger("flipside")


def build_parser() -> argparse.ArgumentParser:
    width = max(len(name) for name in VARIABLES) + 2
    variables = "\n".join(f"  {name:<{width}}{meaning}" for name, meaning in VARIABLES.items())
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Flipside: a Slack app that runs reverse-mentoring programmes.",
        epilog=(
            "modes:\n"
            "  socket   Socket Mode: needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN; no public URL.\n"
            "  http     Serves /slack/events on PORT: needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET;\n"
            "           or, for many workspaces, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and\n"
            "           SLACK_SIGNING_SECRET (the OAuth install at /slack/install).\n"
            "  sandbox  An offline Slack stand-in in your browser, on SQLite; needs nothing. It serves the page\n"
            "           on PORT (default 3000) and keeps its data in flipside-sandbox.db (or DATABASE_URL).\n"
            "With no mode: socket if SLACK_APP_TOKEN is set, else http if SLACK_SIGNING_SECRET (or\n"
            "SLACK_CLIENT_ID) is set, else sandbox.\n\n"
            "environment (also read from a .env file in the working directory):\n" + variables
        ),
    )
    parser.add_argument("mode", nargs="?", choices=MODES, help="how to connect to Slack (see below)")
    sandbox = parser.add_argument_group("sandbox mode")
    sandbox.add_argument("--port", type=int, metavar="N", help="serve the sandbox page on this port (default: PORT, else 3000)")
    sandbox.add_argument("--reset", action="store_true", help="delete the sandbox's SQLite file first and start afresh")
    sandbox.add_argument("--demo", action="store_true", help="seed a programme already under way (pairs at every stage)")
    return parser


async def run(settings: Settings) -> int:
    from bot.runtime import WrongKey, build_runtime, freeze_start_up_objects

    try:
        runtime = await build_runtime(settings, SystemClock())
    except WrongKey as error:
        print(f"flipside: {error}", file=sys.stderr)  # noqa: T201
        return 2
    freeze_start_up_objects()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    socket_handler = None
    try:
        runtime.start_scheduler()
        if settings.mode == "socket":
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            socket_handler = AsyncSocketModeHandler(runtime.app, settings.app_token)
            await socket_handler.connect_async()
            logger.info("connected to Slack in Socket Mode")
        else:
            port = await runtime.serve_http()
            logger.info("listening on http://0.0.0.0:%s/slack/events", port)
        await stop.wait()
        logger.info("shutting down")
    finally:
        if socket_handler is not None:
            await socket_handler.close_async()
        await runtime.stop()
    return 0


async def run_sandbox(settings: Settings, environ: Mapping[str, str], *, port: int | None, reset: bool, demo: bool) -> int:
    """The bot and the offline Slack stand-in together, until Ctrl-C."""
    from sandbox.server import DEFAULT_DATABASE_URL, reset_database, start_sandbox

    if not environ.get("DATABASE_URL", "").strip():
        settings = replace(settings, database_url=DEFAULT_DATABASE_URL)
    if reset:
        try:
            path = reset_database(settings.database_url)
        except ValueError as error:
            print(f"flipside: {error}", file=sys.stderr)  # noqa: T201
            return 2
        logger.info("deleted %s: starting afresh", path)
    from bot.runtime import WrongKey

    try:
        sandbox = await start_sandbox(settings, port=settings.port if port is None else port, demo=demo)
    except WrongKey as error:
        print(f"flipside: {error}", file=sys.stderr)  # noqa: T201
        print("flipside: the sandbox keeps its key beside its database (.key); --reset starts afresh.", file=sys.stderr)  # noqa: T201
        return 2
    except OSError as error:
        print(f"flipside: cannot serve the sandbox: {error}. Try another port with --port.", file=sys.stderr)  # noqa: T201
        return 2
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        if sandbox.demo is not None:
            print(f"flipside: {sandbox.demo.message}", flush=True)  # noqa: T201
        print(f"flipside: the sandbox is ready. Open {sandbox.url} in your browser (Ctrl-C stops it).", flush=True)  # noqa: T201
        await stop.wait()
        logger.info("shutting down")
    finally:
        await sandbox.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    load_dotenv(os.path.join(os.getcwd(), ".env"), override=False)
    try:
        settings = load_settings(os.environ, args.mode)
    except SettingsError as error:
        for problem in error.problems:
            print(f"flipside: {problem}", file=sys.stderr)  # noqa: T201
        print("flipside: see `python -m bot --help` and .env.example.", file=sys.stderr)  # noqa: T201
        return 2
    if settings.mode != "sandbox" and (args.reset or args.demo or args.port is not None):
        print("flipside: --port, --reset and --demo are for sandbox mode only.", file=sys.stderr)  # noqa: T201
        return 2
    configure_logging(settings.log_level_number)
    if settings.mode == "sandbox":
        return asyncio.run(run_sandbox(settings, os.environ, port=args.port, reset=args.reset, demo=args.demo))
    return asyncio.run(run(settings))


if __name__ == "__main__":
    sys.exit(main())
