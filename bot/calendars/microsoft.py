"""Microsoft 365 calendars through the Microsoft Graph REST API (v1.0), over the bot's shared aiohttp
connections.

REST rather than msgraph-sdk: the bot needs five Graph calls (me, getSchedule, create, update and cancel
an event), all plain JSON; aiohttp is already how the bot speaks HTTP, natively async and sharing one
connection pool, whereas msgraph-sdk brings Kiota, azure-identity and its own httpx stack, and its own
token handling, which would fight ours (tokens refreshed once, under the sweep, stored encrypted).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from bot.calendar_config import ProviderSettings
from bot.calendars.provider import CalendarError, EventDraft, EventGone, Tokens, busy_block
from bot.calendars.tokens import call_json, token_request
from bot.http import SharedHttp
from domain.busy import BusyBlock

SCOPES = ("offline_access", "User.Read", "Calendars.ReadWrite")
BUSY_STATUSES = frozenset({"busy", "oof", "tentative"})  # not "free" nor "workingElsewhere"


def _graph_time(moment: datetime) -> dict[str, str]:
    return {"dateTime": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"}


def _event_body(draft: EventDraft) -> dict[str, Any]:
    return {
        "subject": draft.summary, "body": {"contentType": "text", "content": draft.description},
        "start": _graph_time(draft.starts_at), "end": _graph_time(draft.ends_at), "location": {"displayName": draft.location},
        "attendees": [{"emailAddress": {"address": draft.attendee_email, "name": draft.attendee_name}, "type": "required"}]
        if draft.attendee_email else [],
    }


class MicrosoftCalendar:
    name = "microsoft"
    scopes = SCOPES

    def __init__(self, settings: ProviderSettings, http: SharedHttp) -> None:
        self.settings = settings
        self.http = http
        self.login = settings.url("MICROSOFT_LOGIN_URL").rstrip("/")
        self.graph = settings.url("MICROSOFT_GRAPH_URL").rstrip("/")

    def authorize_url(self, *, state: str, redirect_uri: str, login_hint: str) -> str:
        query = {"client_id": self.settings.client_id, "redirect_uri": redirect_uri, "response_type": "code", "response_mode": "query",
                 "scope": " ".join(SCOPES), "state": state}
        if login_hint:
            query["login_hint"] = login_hint
        return f"{self.login}/authorize?" + urlencode(query)

    async def _token(self, form: dict[str, str], now: datetime) -> Tokens:
        form = {**form, "client_id": self.settings.client_id, "client_secret": self.settings.client_secret, "scope": " ".join(SCOPES)}
        return await token_request(self.http.session, f"{self.login}/token", form, prefix="microsoft", now=now)

    async def exchange_code(self, *, code: str, redirect_uri: str, now: datetime) -> Tokens:
        return await self._token({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}, now)

    async def refresh(self, *, refresh_token: str, now: datetime) -> Tokens:
        return await self._token({"grant_type": "refresh_token", "refresh_token": refresh_token}, now)

    async def revoke(self, *, tokens: Tokens) -> None:
        """The identity platform has no endpoint that revokes one app's refresh token: the bot forgets it
        (the caller deletes the connection), and the person can remove the app at myapps.microsoft.com."""

    async def _graph(self, method: str, path: str, access_token: str, body: dict[str, Any] | None = None,
                     headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        status, answer = await call_json(
            self.http.session, method, self.graph + path, prefix="microsoft", json=body,
            headers={"Authorization": f"Bearer {access_token}", **(headers or {})},
        )
        if status in (404, 410):
            raise EventGone(f"microsoft_{status}")
        if status >= 400:
            code = str((answer.get("error") or {}).get("code", ""))[:40]
            raise CalendarError(f"microsoft_{status}_{code}")
        return status, answer

    async def account(self, *, access_token: str) -> str:
        _, me = await self._graph("GET", "/me", access_token)
        return str(me.get("mail") or me.get("userPrincipalName") or "")

    async def busy(self, *, access_token: str, account: str, start: datetime, end: datetime, tz: str) -> list[BusyBlock]:
        body = {"schedules": [account], "startTime": _graph_time(start), "endTime": _graph_time(end), "availabilityViewInterval": 30}
        _, answer = await self._graph("POST", "/me/calendar/getSchedule", access_token, body, headers={"Prefer": 'outlook.timezone="UTC"'})
        blocks = []
        for schedule in answer.get("value", []):
            if schedule.get("error"):
                raise CalendarError("microsoft_schedule_" + str(schedule["error"].get("responseCode", "error"))[:40])
            for item in schedule.get("scheduleItems", []):
                if item.get("status") in BUSY_STATUSES:
                    blocks.append(busy_block(item["start"]["dateTime"], item["end"]["dateTime"], tz=tz,
                                             zone_of_naive=_iana(item["start"].get("timeZone", "UTC"))))
        return blocks

    async def create_event(self, *, access_token: str, draft: EventDraft) -> str:
        _, event = await self._graph("POST", "/me/events", access_token, _event_body(draft))
        return str(event["id"])

    async def update_event(self, *, access_token: str, event_id: str, draft: EventDraft) -> None:
        await self._graph("PATCH", f"/me/events/{quote(event_id, safe='')}", access_token, _event_body(draft))

    async def cancel_event(self, *, access_token: str, event_id: str) -> None:
        """`cancel` rather than DELETE: the attendee is sent the cancellation, as with Google's sendUpdates."""
        await self._graph("POST", f"/me/events/{quote(event_id, safe='')}/cancel", access_token, {"comment": ""})


def _iana(zone: str) -> str:
    return "UTC" if zone in ("UTC", "Coordinated Universal Time", "tzone://Microsoft/Utc") else zone
