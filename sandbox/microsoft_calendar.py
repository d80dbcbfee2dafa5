"""A stand-in for the Microsoft identity platform (v2.0) and Microsoft Graph v1.0's calendar, in their
documented shapes, on one local port.

Paths as Microsoft serves them, under one host: `/common/oauth2/v2.0/authorize` and `/token` (refresh
tokens rotate on every refresh, as Microsoft's do), and Graph under `/v1.0/`: `me`,
`me/calendar/getSchedule`, `me/events` (POST), `me/events/{id}` (PATCH) and `me/events/{id}/cancel`.
Errors as Graph answers them: 401 InvalidAuthenticationToken, `invalid_grant` for a revoked refresh
token, and any queued fault (a 429 TooManyRequests with Retry-After, a 503) in Graph's error body.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from aiohttp import web

from sandbox.calendar_accounts import (
    CalendarAccounts,
    Call,
    busy_between,
    consent_page,
    faulted,
    token_answer,
)

LOGIN_PATH = "/common/oauth2/v2.0"
GRAPH_PATH = "/v1.0"
CODES = {401: "InvalidAuthenticationToken", 404: "ErrorItemNotFound", 429: "TooManyRequests", 500: "generalException",
         503: "serviceNotAvailable"}


def _error(status: int, message: str) -> dict:
    return {"error": {"code": CODES.get(status, "generalException"), "message": message,
                      "innerError": {"date": "2026-03-04T10:00:00", "request-id": secrets.token_hex(8)}}}


def _zone(name: str) -> ZoneInfo:
    return ZoneInfo("UTC" if name in ("UTC", "Coordinated Universal Time") else name)


def _read(value: dict) -> datetime:
    return datetime.fromisoformat(value["dateTime"][:19]).replace(tzinfo=_zone(value.get("timeZone", "UTC"))).astimezone(UTC)


def _written(moment: datetime, zone: str) -> dict:
    return {"dateTime": moment.astimezone(_zone(zone)).strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": zone}


def build_microsoft_app(accounts: CalendarAccounts) -> web.Application:
    accounts.rotate_refresh_tokens = True

    async def authorize(request: web.Request) -> web.Response:
        return consent_page(request, accounts, provider="Microsoft")

    async def token(request: web.Request) -> web.Response:
        return token_answer(dict(await request.post()), accounts)

    def authorised(request: web.Request, operation: str, body: dict) -> tuple[str | None, web.Response | None]:
        address = accounts.bearer(request)
        accounts.calls.append(Call(operation, request.path, address or "", body))
        if address is None:
            return None, web.json_response(_error(401, "Access token has expired or is not yet valid."), status=401)
        fault = accounts.fault(operation)
        if fault is not None:
            return None, faulted(fault, _error(fault.status, fault.error or "The service is busy."))
        return address, None

    async def me(request: web.Request) -> web.Response:
        address, refused = authorised(request, "me", {})
        if refused is not None:
            return refused
        return web.json_response({"id": secrets.token_hex(8), "mail": address, "userPrincipalName": address})

    async def get_schedule(request: web.Request) -> web.Response:
        body = await request.json()
        address, refused = authorised(request, "freebusy", body)
        if refused is not None:
            return refused
        start, end = _read(body["startTime"]), _read(body["endTime"])
        prefer = request.headers.get("Prefer", "")
        zone = prefer.split('outlook.timezone="', 1)[1].split('"', 1)[0] if 'outlook.timezone="' in prefer else "UTC"
        value = []
        for schedule in body.get("schedules", []):
            blocks = busy_between(accounts.account(schedule), start, end)
            value.append({"scheduleId": schedule, "availabilityView": "", "scheduleItems": [
                {"isPrivate": False, "status": "oof" if block.all_day else "busy", "start": _written(block.start, zone),
                 "end": _written(block.end, zone)} for block in blocks]})
        return web.json_response({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)",
                                  "value": value})

    async def create(request: web.Request) -> web.Response:
        body = await request.json()
        address, refused = authorised(request, "insert", body)
        if refused is not None:
            return refused
        assert address is not None
        event = {**body, "id": "AAMk" + secrets.token_urlsafe(24), "isCancelled": False,
                 "organizer": {"emailAddress": {"address": address}}}
        accounts.account(address).events[event["id"]] = event
        return web.json_response(event, status=201)

    async def update(request: web.Request) -> web.Response:
        body = await request.json()
        address, refused = authorised(request, "update", body)
        if refused is not None:
            return refused
        assert address is not None
        events = accounts.account(address).events
        event_id = request.match_info["event_id"]
        if event_id not in events:
            return web.json_response(_error(404, "The specified object was not found in the store."), status=404)
        events[event_id] = {**events[event_id], **body}
        return web.json_response(events[event_id])

    async def cancel(request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else {}
        address, refused = authorised(request, "cancel", body)
        if refused is not None:
            return refused
        assert address is not None
        account = accounts.account(address)
        event_id = request.match_info["event_id"]
        if event_id not in account.events:
            return web.json_response(_error(404, "The specified object was not found in the store."), status=404)
        account.cancelled[event_id] = {**account.events.pop(event_id), "isCancelled": True}
        return web.Response(status=202)

    app = web.Application()
    app.router.add_get(f"{LOGIN_PATH}/authorize", authorize)
    app.router.add_post(f"{LOGIN_PATH}/token", token)
    app.router.add_get(f"{GRAPH_PATH}/me", me)
    app.router.add_post(f"{GRAPH_PATH}/me/calendar/getSchedule", get_schedule)
    app.router.add_post(f"{GRAPH_PATH}/me/events", create)
    app.router.add_patch(f"{GRAPH_PATH}/me/events/{{event_id}}", update)
    app.router.add_post(f"{GRAPH_PATH}/me/events/{{event_id}}/cancel", cancel)
    return app
