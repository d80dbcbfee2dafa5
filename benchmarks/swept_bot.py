"""The bot in a process of its own, built as `python -m bot http` builds it, sweeping when told, not on a timer.

The memory benchmark reads this process's resident memory from outside (/proc/<pid>/status) after
thousands of requests and sweeps. The scheduler sweeps once a second at most, so 10,000 sweeps would
take hours: here `POST /bench/sweeps?count=N` on the control port runs N sweeps back to back in the
bot's own event loop (the same `Runtime.sweep_now` the scheduler calls) and answers how long they
took and what they sent. The clock stands still at the seeded data's time (benchmarks.common.NOW), as
it did when the benchmark ran the bot in its own process: the first sweep plans over the whole store,
the later ones are ticks that find nothing due (planning comes round every four hours of clock time).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import time

from aiohttp import web

from benchmarks.common import NOW
from bot.clock import ManualClock
from bot.config import load_settings
from bot.logs import configure_logging
from bot.runtime import Runtime, build_runtime, freeze_start_up_objects


def control_app(runtime: Runtime) -> web.Application:
    """The benchmark's handle on the process: sweeps on request, one at a time."""
    lock = asyncio.Lock()

    async def sweeps(request: web.Request) -> web.Response:
        count = int(request.query["count"])
        sent = 0
        async with lock:
            started = time.perf_counter()
            for _ in range(count):
                report = await runtime.sweep_now()
                sent += report.counts.get("outbox_sent", 0)
            seconds = time.perf_counter() - started
        return web.json_response({"sweeps": count, "seconds": seconds, "sent": sent})

    app = web.Application()
    app.router.add_post("/bench/sweeps", sweeps)
    return app


async def main(control_port: int) -> None:
    settings = load_settings(os.environ, "http")
    configure_logging(settings.log_level_number)
    runtime = await build_runtime(settings, ManualClock(NOW))
    freeze_start_up_objects()  # as `python -m bot` does
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    control = web.AppRunner(control_app(runtime), access_log=None)
    try:
        await control.setup()
        await web.TCPSite(control, "127.0.0.1", control_port).start()
        await runtime.serve_http(host="127.0.0.1")  # last: /healthz answering says the process is ready
        await stop.wait()
    finally:
        await control.cleanup()
        await runtime.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.swept_bot")
    parser.add_argument("--control-port", type=int, required=True)
    asyncio.run(main(parser.parse_args().control_port))
