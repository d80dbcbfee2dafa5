"""A stand-in for Google's OAuth and Calendar API v3, in their documented shapes, on one local port.

Paths as Google serves them, under one host: the authorize page (`/o/oauth2/v2/auth`), the token and
revoke endpoints (`/token`, `/revoke`), and the Calendar API under `/calendar/v3/` (`freeBusy`, and
`calendars/{id}/events` to insert, patch and delete). Errors as Google answers them: 401 UNAUTHENTICATED
for a bad or expired token, `invalid_grant` for a revoked refresh token, and any queued fault (a 429
with Retry-After, a 503) in Google's error body.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from aiohttp import web

from sandbox.calendar_accounts import (
    CalendarAccounts,
    Call,
    Fault,
    busy_between,
    consent_page,
    faulted,
    token_answer,
)

AUTHORIZE_PATH = "/o/oauth2/v2/auth"
STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 410: "GONE",
                429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}


def _error(status: int, message: str) -> dict:
    return {"error": {"code": status, "message": message, "errors": [{"domain": "global", "reason": message, "message": message}],
                      "status": STATUS_NAMES.get(status, "UNKNOWN")}}


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_google_app(accounts: CalendarAccounts) -> web.Application:
    async def authorize(request: web.Request) -> web.Response:
        return consent_page(request, accounts, provider="Google")

    async def token(request: web.Request) -> web.Response:
        return token_answer(dict(await request.post()), accounts)

    async def revoke(request: web.Request) -> web.Response:
        value = request.query.get("token") or (await request.post()).get("token", "")
        accounts.calls.append(Call("revoke", "/revoke", "", {}))
        address = accounts.refresh.get(str(value)) or accounts.access.get(str(value))
        if address is None:
            return web.json_response({"error": "invalid_token", "error_description": "Token expired or revoked"}, status=400)
        accounts.revoke(address)
        return web.json_response({})

    def authorised(request: web.Request, operation: str, body: dict) -> tuple[str | None, web.Response | None]:
        address = accounts.bearer(request)
        accounts.calls.append(Call(operation, request.path, address or "", body))
        if address is None:
            return None, web.json_response(_error(401, "Request had invalid authentication credentials."), status=401)
        fault: Fault | None = accounts.fault(operation)
        if fault is not None:
            return None, faulted(fault, _error(fault.status, fault.error or ("rateLimitExceeded" if fault.status == 429 else "backendError")))
        return address, None

    async def free_busy(request: web.Request) -> web.Response:
        body = await request.json()
        address, refused = authorised(request, "freebusy", body)
        if refused is not None:
            return refused
        assert address is not None
        start, end = _time(body["timeMin"]), _time(body["timeMax"])
        calendars = {}
        for item in body.get("items", []):
            owner = accounts.account(address if item["id"] == "primary" else item["id"])
            calendars[item["id"]] = {"busy": [{"start": _rfc3339(max(block.start, start)), "end": _rfc3339(min(block.end, end))}
                                              for block in busy_between(owner, start, end)]}
        return web.json_response({"kind": "calendar#freeBusy", "timeMin": body["timeMin"], "timeMax": body["timeMax"], "calendars": calendars})

    async def insert(request: web.Request) -> web.Response:
        body = await request.json()
        address, refused = authorised(request, "insert", body)
        if refused is not None:
            return refused
        assert address is not None
        event = {**body, "kind": "calendar#event", "id": secrets.token_hex(13), "status": "confirmed",
                 "organizer": {"email": address, "self": True}, "sendUpdates": request.query.get("sendUpdates", "")}
        accounts.account(address).events[event["id"]] = event
        return web.json_response(event)

    async def patch(request: web.Request) -> web.Response:
        body = await request.json()
        address, refused = authorised(request, "update", body)
        if refused is not None:
            return refused
        assert address is not None
        events = accounts.account(address).events
        event_id = request.match_info["event_id"]
        if event_id not in events:
            return web.json_response(_error(404, "Not Found"), status=404)
        events[event_id] = {**events[event_id], **body, "sequence": events[event_id].get("sequence", 0) + 1}
        return web.json_response(events[event_id])

    async def delete(request: web.Request) -> web.Response:
        address, refused = authorised(request, "cancel", {"sendUpdates": request.query.get("sendUpdates", "")})
        if refused is not None:
            return refused
        assert address is not None
        account = accounts.account(address)
        event_id = request.match_info["event_id"]
        if event_id in account.cancelled:
            return web.json_response(_error(410, "Resource has been deleted"), status=410)
        if event_id not in account.events:
            return web.json_response(_error(404, "Not Found"), status=404)
        account.cancelled[event_id] = account.events.pop(event_id)
        return web.Response(status=204)

    app = web.Application()
    app.router.add_get(AUTHORIZE_PATH, authorize)
    app.router.add_post("/token", token)
    app.router.add_post("/revoke", revoke)
    app.router.add_post("/calendar/v3/freeBusy", free_busy)
    app.router.add_post("/calendar/v3/calendars/{calendar_id}/events", insert)
    app.router.add_patch("/calendar/v3/calendars/{calendar_id}/events/{event_id}", patch)
    app.router.add_delete("/calendar/v3/calendars/{calendar_id}/events/{event_id}", delete)
    return app
