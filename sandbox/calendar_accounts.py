"""What the Google and Microsoft stand-ins share: people's calendar accounts (busy blocks, events), the
OAuth codes and tokens they issued, the faults a test queues, and a transcript of every call.

The providers' own shapes live in sandbox/google_calendar.py and sandbox/microsoft_calendar.py; this is
the state behind them, and the one-click consent page both serve at their authorize URL.
"""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web

ACCESS_SECONDS = 3599  # what both providers say in expires_in


@dataclass
class Busy:
    """A busy block on someone's calendar: a span, or a whole day in their zone."""

    start: datetime
    end: datetime
    all_day: bool = False


@dataclass
class Account:
    address: str
    tz: str = "UTC"
    busy: list[Busy] = field(default_factory=list)
    events: dict[str, dict] = field(default_factory=dict)  # id -> the event as last written
    cancelled: dict[str, dict] = field(default_factory=dict)  # id -> the event when it was cancelled

    def add_busy(self, start: datetime, end: datetime) -> None:
        self.busy.append(Busy(start.astimezone(UTC), end.astimezone(UTC)))

    def add_all_day(self, day: date) -> None:
        zone = ZoneInfo(self.tz)
        start = datetime.combine(day, time(0), tzinfo=zone)
        self.busy.append(Busy(start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC), all_day=True))


@dataclass
class Fault:
    """An answer to serve instead of the real one: a status, its body, and Retry-After for a 429."""

    status: int
    error: str = ""
    retry_after: int | None = None


@dataclass
class Call:
    method: str
    path: str
    account: str  # whose token made it ("" for the token endpoint)
    body: dict


@dataclass
class CalendarAccounts:
    """One provider's world. `faults[operation]` is served in turn to the next calls of that operation
    ("token", "freebusy", "insert", "update", "cancel"); `expire(address)` makes a live access token
    answer 401 as an expired one does; `revoke(address)` makes its refresh token `invalid_grant`."""

    client_id: str
    client_secret: str
    accounts: dict[str, Account] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)  # code -> address
    access: dict[str, str] = field(default_factory=dict)  # access token -> address
    refresh: dict[str, str] = field(default_factory=dict)  # refresh token -> address
    revoked: set[str] = field(default_factory=set)  # refresh tokens revoked or rotated away
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    rotate_refresh_tokens: bool = False  # Microsoft rotates them on every refresh; Google does not

    def account(self, address: str, tz: str = "UTC") -> Account:
        if address not in self.accounts:
            self.accounts[address] = Account(address, tz)
        return self.accounts[address]

    def fault(self, operation: str) -> Fault | None:
        queued = self.faults.get(operation)
        return queued.pop(0) if queued else None

    def issue(self, address: str, *, with_refresh: bool = True) -> dict:
        access = "at-" + secrets.token_urlsafe(12)
        self.access[access] = address
        answer = {"access_token": access, "expires_in": ACCESS_SECONDS, "token_type": "Bearer"}
        if with_refresh:
            refresh = "rt-" + secrets.token_urlsafe(12)
            self.refresh[refresh] = address
            answer["refresh_token"] = refresh
        return answer

    def expire(self, address: str) -> None:
        """Every access token of this account now answers 401 (it expired early, or was invalidated)."""
        for token in [token for token, owner in self.access.items() if owner == address]:
            del self.access[token]

    def revoke(self, address: str) -> None:
        """The person removed the app's access: access tokens die and refresh tokens answer invalid_grant."""
        self.expire(address)
        for token in [token for token, owner in self.refresh.items() if owner == address]:
            del self.refresh[token]
            self.revoked.add(token)

    def bearer(self, request: web.Request) -> str | None:
        """The account whose live access token authorises this request, or None."""
        header = request.headers.get("Authorization", "")
        return self.access.get(header.removeprefix("Bearer ").strip()) if header.startswith("Bearer ") else None

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]


def consent_page(request: web.Request, accounts: CalendarAccounts, *, provider: str) -> web.Response:
    """The one-click consent page at the authorize URL: Allow sends the browser back with a code."""
    query = request.query
    if query.get("client_id") != accounts.client_id or not query.get("redirect_uri"):
        return web.Response(status=400, text="invalid_client: unknown client_id or no redirect_uri")
    address = query.get("login_hint") or next(iter(accounts.accounts), "someone@example.com")
    accounts.account(address)
    code = "code-" + secrets.token_urlsafe(12)
    accounts.codes[code] = address
    allow = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
    deny = query["redirect_uri"] + "?" + urlencode({"error": "access_denied", "state": query.get("state", "")})
    body = (
        f"<!doctype html><title>{provider} (sandbox)</title><body style='font-family:sans-serif;max-width:32em;margin:3em auto'>"
        f"<h1>{html.escape(provider)} (sandbox)</h1><p>Flipside would like to see when <b>{html.escape(address)}</b> is busy "
        f"and add mentoring sessions to that calendar.</p><p>Scopes: {html.escape(query.get('scope', ''))}</p>"
        f"<p><a id='allow' href='{html.escape(allow)}'>Allow</a> &nbsp; <a id='deny' href='{html.escape(deny)}'>Cancel</a></p></body>"
    )
    return web.Response(text=body, content_type="text/html")


def token_answer(form: dict[str, str], accounts: CalendarAccounts) -> web.Response:
    """The OAuth 2 token endpoint (RFC 6749 section 5), as both providers answer it."""
    accounts.calls.append(Call("token", "/token", "", {key: value for key, value in form.items() if key != "client_secret"}))
    fault = accounts.fault("token")
    if fault is not None:
        return web.json_response({"error": fault.error or "server_error"}, status=fault.status)
    if form.get("client_id") != accounts.client_id or form.get("client_secret") != accounts.client_secret:
        return web.json_response({"error": "invalid_client", "error_description": "The OAuth client was not found."}, status=401)
    grant = form.get("grant_type")
    if grant == "authorization_code":
        address = accounts.codes.pop(form.get("code", ""), None)
        if address is None:
            return web.json_response({"error": "invalid_grant", "error_description": "Malformed auth code."}, status=400)
        return web.json_response(accounts.issue(address))
    if grant == "refresh_token":
        token = form.get("refresh_token", "")
        address = accounts.refresh.get(token)
        if address is None:
            return web.json_response({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, status=400)
        if accounts.rotate_refresh_tokens:
            del accounts.refresh[token]
            accounts.revoked.add(token)
        return web.json_response(accounts.issue(address, with_refresh=accounts.rotate_refresh_tokens))
    return web.json_response({"error": "unsupported_grant_type"}, status=400)


def faulted(fault: Fault, body: dict) -> web.Response:
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
    return web.json_response(body, status=fault.status, headers=headers)


def busy_between(account: Account, start: datetime, end: datetime) -> list[Busy]:
    return [block for block in account.busy if block.start < end and start < block.end]
