"""1. Command latency against the floor: the bot vs a bare Bolt app, over real signed HTTP.

Each client is one person who sends a request and waits for its answer before sending the next: the
HTTP acknowledgement and, from the bot, the reply (the post to the command's response_url, or the
`chat.postEphemeral` that answers a click) as the local Web API receives it. The bare app only
acknowledges, so it has no reply. The 20 clients are 20 different people of the benchmark's workspace,
each in their own pair (Bolt and the store see 20 people, not one person twenty times). A command
answered in the HTTP response itself (as the bot did before it acknowledged first) has its reply
time equal to its ack time.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import aiohttp

from benchmarks.common import SECRET, bench_workspace, bot_env, figure, percentiles, seed
from sandbox.processes import free_port, start_process, start_web_api, stop_process
from sandbox.slack_requests import BotResponse, SlackRequests
from sandbox.workspace import Call, Member, Workspace

PAIRS, SESSIONS_PER_PAIR, PROGRAMMES = 10_000, 10, 100
REQUESTS = 400
CLIENTS = (1, 20)
SCENARIOS = ("/mentor help", "/mentor sessions", "button click")
ACK_RATIO_GOAL, REPLY_GOAL_MS = 1.5, 300.0
REPLY_WITHIN = 30.0  # seconds: a reply later than this counts as lost and stops the benchmark


@dataclass
class Replies:
    """Futures for the replies the clients wait on, resolved as the local Web API receives them."""

    by_response_url: dict[str, asyncio.Future[None]] = field(default_factory=dict)
    by_user: dict[str, asyncio.Future[None]] = field(default_factory=dict)

    def expect_response(self, url_id: str) -> asyncio.Future[None]:
        return self.by_response_url.setdefault(url_id, asyncio.get_running_loop().create_future())

    def expect_ephemeral(self, user_id: str) -> asyncio.Future[None]:
        self.by_user[user_id] = asyncio.get_running_loop().create_future()
        return self.by_user[user_id]

    def on_response(self, kind: str, data: dict) -> None:
        if kind == "response":
            future = self.by_response_url.pop(data.get("url_id", ""), None)
            if future is not None and not future.done():
                future.set_result(None)

    def on_call(self, call: Call) -> None:
        if call.method == "chat.postEphemeral":
            future = self.by_user.pop(str(call.args.get("user")), None)
            if future is not None and not future.done():
                future.set_result(None)


class TimedWorkspace(Workspace):
    """The benchmark's workspace, telling `Replies` of each Web API call as it arrives."""

    def __init__(self, replies: Replies, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.replies = replies
        self.listeners.append(replies.on_response)

    def record(self, call: Call) -> None:
        super().record(call)
        self.replies.on_call(call)


@dataclass
class Timings:
    ack: list[float] = field(default_factory=list)
    reply: list[float] = field(default_factory=list)


Request = Callable[[], Awaitable[tuple[BotResponse, asyncio.Future[None] | None]]]


def client_user(client: int) -> tuple[str, int]:
    """The mentor of the benchmark workspace's `client`-th pair, and that pair's next booked session.

    The seed gives the first programme (this workspace's) every PROGRAMMES-th pair; pair index i has
    mentor U(2i+1) and sessions 10i+1..10i+10, the last of them booked two weeks ahead."""
    index = client * PROGRAMMES
    return f"U{2 * index + 1:08d}", index * SESSIONS_PER_PAIR + SESSIONS_PER_PAIR


def scenario(requests: SlackRequests, replies: Replies, name: str, user: str, session_id: int, *, wait_reply: bool) -> Request:
    async def command(text: str) -> tuple[BotResponse, asyncio.Future[None] | None]:
        body = requests.command_body(user, text)
        url_id = requests.response_url_id(body)
        future = replies.expect_response(url_id) if wait_reply else None
        return await requests.post(body, "application/x-www-form-urlencoded"), future

    async def click() -> tuple[BotResponse, asyncio.Future[None] | None]:
        button = {"type": "button", "action_id": "session_confirm", "block_id": "b", "value": str(session_id)}
        future = replies.expect_ephemeral(user) if wait_reply else None
        return await requests.block_action(user, button, message={"ts": "1.000001", "text": "", "blocks": []}), future

    if name == "/mentor help":
        return lambda: command("help")
    if name == "/mentor sessions":
        return lambda: command("sessions")
    return click


def request_of(requests: SlackRequests, replies: Replies, name: str, wait_reply: bool, client: int) -> Request:
    user, session_id = client_user(client)
    return scenario(requests, replies, name, user, session_id, wait_reply=wait_reply)


async def measure(make_request: Callable[[int], Request], count: int, concurrency: int) -> Timings:
    """`count` requests from `concurrency` clients, each waiting for its answer before the next."""
    timings = Timings()
    queue = iter(range(count))

    async def client(number: int) -> None:
        send = make_request(number)
        for _ in queue:
            started = time.perf_counter()
            response, reply = await send()
            timings.ack.append(time.perf_counter() - started)
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}: {response.text[:200]}")
            if reply is not None:
                if response.text:  # answered in the ack itself: the reply is the ack
                    reply.cancel()
                else:
                    await asyncio.wait_for(reply, REPLY_WITHIN)
                timings.reply.append(time.perf_counter() - started)

    await asyncio.gather(*(client(number) for number in range(concurrency)))
    return timings


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (all its threads): what a request costs, whatever
    else the machine is doing, where wall-clock times on a shared machine are inflated by the others."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def _row(samples: dict[str, float]) -> str:
    return f"p50 {samples['p50']:.1f} p95 {samples['p95']:.1f} p99 {samples['p99']:.1f}"


async def run(tmp_dir: str) -> dict[str, dict[str, float]]:
    print("1. Command latency: bot vs bare Bolt app (ms; each client waits for its answer before the next request)", flush=True)  # noqa: T201
    started_load = _load()
    database_url = f"sqlite+aiosqlite:///{tmp_dir}/latency.db"
    await seed(database_url, pairs=PAIRS, sessions_per_pair=SESSIONS_PER_PAIR, programmes=PROGRAMMES, now=datetime.now(UTC))
    replies = Replies()
    template = bench_workspace(people=4)
    workspace = TimedWorkspace(replies, team_id=template.team_id)
    for member in template.members.values():
        workspace.add_member(member)
    for client in range(max(CLIENTS)):
        user, _ = client_user(client)
        partner = f"U{int(user[1:]) + 1:08d}"
        for member in (user, partner):
            workspace.add_member(Member(id=member, name=f"person{member}", real_name=f"Person {member}", tz="Europe/London"))
    api_runner, api_url = await start_web_api(workspace)
    results: dict[str, dict[str, float]] = {}
    bot_port, bare_port = free_port(), free_port()
    env = bot_env(port=bot_port, api_url=api_url, database_url=database_url, token=workspace.bot_token)
    # The sweep has its own benchmark; here it would land in the middle of the measurements (its first
    # run in a new process plans over the whole store), so the bot process sweeps once a day.
    env["SWEEP_SECONDS"] = "86400"
    bot, _ = await start_process(["-m", "bot", "http"], env, f"http://127.0.0.1:{bot_port}/healthz")
    bare, _ = await start_process(["-m", "benchmarks.bare_app", str(bare_port)], env, f"http://127.0.0.1:{bare_port}/healthz")
    try:
        for label, port, process in (("bare", bare_port, bare), ("bot", bot_port, bot)):
            requests = SlackRequests(workspace=workspace, bot_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SECRET, response_base_url=api_url + "../response")
            requests._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))
            try:
                for name in SCENARIOS:
                    make_request = partial(request_of, requests, replies, name, label == "bot")
                    await measure(make_request, 20, 1)  # warm up
                    for concurrency in CLIENTS:
                        cpu_before = cpu_seconds(process.pid)
                        timings = await measure(make_request, REQUESTS, concurrency)
                        results[f"{label} {name} c{concurrency} cpu"] = {"ms": (cpu_seconds(process.pid) - cpu_before) / REQUESTS * 1000}
                        results[f"{label} {name} c{concurrency} ack"] = percentiles(timings.ack)
                        if timings.reply:
                            results[f"{label} {name} c{concurrency} reply"] = percentiles(timings.reply)
            finally:
                await requests.close()
    finally:
        await stop_process(bot)
        await stop_process(bare)
        await api_runner.cleanup()
    print(f"  load average (1, 5, 15 min) at the start {started_load}, at the end {_load()}: other work on this machine inflates the times", flush=True)  # noqa: T201
    for name in SCENARIOS:
        for concurrency in CLIENTS:
            key = f"{name} c{concurrency}"
            bot_ack, bare_ack, bot_reply = results[f"bot {key} ack"], results[f"bare {key} ack"], results[f"bot {key} reply"]
            ratio = bot_ack["p99"] / bare_ack["p99"]
            print(f"  {name} at {concurrency} client(s)", flush=True)  # noqa: T201
            figure("  bot, time to the ack", _row(bot_ack), f"p99 <= {ACK_RATIO_GOAL}x bare", ratio <= ACK_RATIO_GOAL)
            figure("  bare Bolt app, time to the ack", _row(bare_ack), "the floor", None)
            figure("  ack p99, bot / bare", f"{ratio:.2f}x", f"<= {ACK_RATIO_GOAL}x", ratio <= ACK_RATIO_GOAL)
            figure("  bot, time to the reply", _row(bot_reply), f"p99 < {REPLY_GOAL_MS:.0f} ms", bot_reply["p99"] < REPLY_GOAL_MS)
            bot_cpu, bare_cpu = results[f"bot {key} cpu"]["ms"], results[f"bare {key} cpu"]["ms"]
            figure("  CPU per request, bot / bare", f"{bot_cpu:.1f} / {bare_cpu:.1f} ms ({bot_cpu / bare_cpu:.1f}x)", "reported", None)
    return results
