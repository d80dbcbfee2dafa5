"""The sandbox page's HTTP routes: the page itself, and each JSON request answered by `PageApi`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web

from sandbox.page import PageApi, PageError

STATIC = Path(__file__).with_name("static")


def add_routes(app: web.Application, page: PageApi) -> None:
    """Serve the page and its JSON API on `app`; each request that names a person answers with their state."""

    async def index(_request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def get_people(_request: web.Request) -> web.Response:
        return web.json_response({"people": page.people(), "team": page.workspace.team_name})

    async def get_state(request: web.Request) -> web.Response:
        return await _answer(state_after(request))

    async def state_after(request: web.Request) -> dict[str, Any]:
        user_id = page.person(request.query.get("user"))
        since = request.query.get("since")
        if since is not None and since.lstrip("-").isdigit():
            await page.wait_for_change(int(since))
        return page.state(user_id)

    async def post_send(request: web.Request) -> web.Response:
        body = await _body(request)
        return await _answer(then_state(body, page.send(body.get("user"), str(body.get("text", "")))))

    async def post_open(request: web.Request) -> web.Response:
        body = await _body(request)
        return await _answer(then_state(body, page.open_tab(body.get("user"), str(body.get("tab", "")), arriving=body.get("arriving") is True)))

    async def post_action(request: web.Request) -> web.Response:
        body = await _body(request)
        work = page.action(body.get("user"), str(body.get("source", "")), body.get("action") or {}, ts=body.get("ts"), values=body.get("values"))
        return await _answer(then_state(body, work))

    async def post_submit(request: web.Request) -> web.Response:
        body = await _body(request)
        return await _answer(then_state(body, page.submit(body.get("user"), body.get("values") or {})))

    async def post_close(request: web.Request) -> web.Response:
        body = await _body(request)
        return await _answer(then_state(body, page.close_modal(body.get("user"))))

    async def post_clock(request: web.Request) -> web.Response:
        body = await _body(request)

        async def move() -> dict[str, Any]:
            to = _local_time(str(body["to_local"]), str(body.get("tz") or "UTC")) if body.get("to_local") else None
            return await page.move_clock(by=body.get("by"), to=to)

        return await _answer(then_state(body, move()))

    async def then_state(body: dict[str, Any], work: Any) -> dict[str, Any]:
        result = await work
        state = page.state(body.get("user")) if body.get("user") else {"clock": {"now": page.clock.now().isoformat()}}
        return {**state, "result": result}

    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC, show_index=False)
    app.router.add_get("/sandbox/api/people", get_people)
    app.router.add_get("/sandbox/api/state", get_state)
    app.router.add_post("/sandbox/api/send", post_send)
    app.router.add_post("/sandbox/api/open", post_open)
    app.router.add_post("/sandbox/api/action", post_action)
    app.router.add_post("/sandbox/api/submit", post_submit)
    app.router.add_post("/sandbox/api/close", post_close)
    app.router.add_post("/sandbox/api/clock", post_clock)


def _local_time(text: str, tz: str) -> datetime:
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise PageError(f"Unknown time zone {tz!r}.") from error
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise PageError(f"{text!r} is not a date and time (YYYY-MM-DDTHH:MM).") from error
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except json.JSONDecodeError:
        body = None
    return body if isinstance(body, dict) else {}


async def _answer(work: Any) -> web.Response:
    try:
        return web.json_response(await work)
    except PageError as error:
        return web.json_response({"error": str(error)}, status=400)
