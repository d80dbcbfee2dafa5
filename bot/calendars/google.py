"""Google Calendar: OAuth over aiohttp (bot/calendars/tokens.py), the Calendar API v3 through
google-api-python-client with its bundled discovery document (no discovery fetch at run time).

The client library is synchronous (httplib2), so every API call runs in `asyncio.to_thread`: the event
loop never waits on Google. The access token is handed in as google-auth `Credentials` without a
refresh token, and the authorised transport is told not to refresh on 401: refreshing is ours, once,
under the sweep's control (bot/sweep/calendar_events.py), so a 401 comes back as `TokenInvalid`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlencode

import aiohttp
import httplib2
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build_from_document
from googleapiclient.discovery_cache import get_static_doc
from googleapiclient.errors import HttpError

from bot.calendar_config import ProviderSettings
from bot.calendars.provider import CalendarError, EventDraft, EventGone, Tokens, Unavailable, busy_block
from bot.calendars.tokens import error_for, token_request
from bot.http import SharedHttp
from domain.busy import BusyBlock

SCOPES = ("https://www.googleapis.com/auth/calendar.freebusy", "https://www.googleapis.com/auth/calendar.events")
TIMEOUT_SECONDS = 30
PRIMARY = "primary"


@cache
def _discovery() -> str:
    document = get_static_doc("calendar", "v3")
    assert document is not None, "google-api-python-client ships calendar v3's discovery document"
    return document


def _event_body(draft: EventDraft) -> dict[str, Any]:
    body: dict[str, Any] = {
        "summary": draft.summary, "description": draft.description, "location": draft.location,
        "start": {"dateTime": draft.starts_at.isoformat(), "timeZone": draft.tz},
        "end": {"dateTime": draft.ends_at.isoformat(), "timeZone": draft.tz},
        "attendees": [{"email": draft.attendee_email, "displayName": draft.attendee_name}] if draft.attendee_email else [],
    }
    return body


class GoogleCalendar:
    name = "google"
    scopes = SCOPES

    def __init__(self, settings: ProviderSettings, http: SharedHttp) -> None:
        self.settings = settings
        self.http = http

    def authorize_url(self, *, state: str, redirect_uri: str, login_hint: str) -> str:
        query = {
            "client_id": self.settings.client_id, "redirect_uri": redirect_uri, "response_type": "code", "scope": " ".join(SCOPES),
            "access_type": "offline", "prompt": "consent", "include_granted_scopes": "true", "state": state,
        }
        if login_hint:
            query["login_hint"] = login_hint
        return self.settings.url("GOOGLE_OAUTH_URL") + "?" + urlencode(query)

    async def exchange_code(self, *, code: str, redirect_uri: str, now: datetime) -> Tokens:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "client_id": self.settings.client_id, "client_secret": self.settings.client_secret}
        return await token_request(self.http.session, self.settings.url("GOOGLE_TOKEN_URL"), form, prefix="google", now=now)

    async def refresh(self, *, refresh_token: str, now: datetime) -> Tokens:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token,
                "client_id": self.settings.client_id, "client_secret": self.settings.client_secret}
        return await token_request(self.http.session, self.settings.url("GOOGLE_TOKEN_URL"), form, prefix="google", now=now)

    async def revoke(self, *, tokens: Tokens) -> None:
        """Google's revoke endpoint: revoking the refresh token ends the access tokens made from it too."""
        try:
            async with self.http.session.post(self.settings.url("GOOGLE_REVOKE_URL"), data={"token": tokens.refresh_token or tokens.access_token}):
                pass
        except (TimeoutError, aiohttp.ClientError) as error:
            raise Unavailable(f"google_revoke_{type(error).__name__}") from error

    async def account(self, *, access_token: str) -> str:
        return ""  # free/busy and events go to the calendar called "primary": no address is needed

    def _service(self, access_token: str) -> Any:
        transport = AuthorizedHttp(Credentials(token=access_token), http=httplib2.Http(timeout=TIMEOUT_SECONDS), refresh_status_codes=())
        return build_from_document(_discovery(), http=transport, client_options={"api_endpoint": self.settings.url("GOOGLE_CALENDAR_API_URL")})

    async def _run(self, access_token: str, call: Callable[[Any], Any]) -> Any:
        def blocking() -> Any:
            return call(self._service(access_token)).execute(num_retries=0)

        try:
            return await asyncio.to_thread(blocking)
        except HttpError as error:
            status = error.resp.status
            if status in (404, 410):
                raise EventGone(f"google_{status}") from error
            raise error_for(status, retry_after_header=error.resp.get("retry-after"), code=_reason(error), prefix="google") from error
        except (httplib2.HttpLib2Error, OSError) as error:
            raise Unavailable(f"google_{type(error).__name__}") from error

    async def busy(self, *, access_token: str, account: str, start: datetime, end: datetime, tz: str) -> list[BusyBlock]:
        body = {"timeMin": start.isoformat(), "timeMax": end.isoformat(), "items": [{"id": PRIMARY}]}
        answer = await self._run(access_token, lambda service: service.freebusy().query(body=body))
        calendar = (answer.get("calendars") or {}).get(PRIMARY) or {}
        if calendar.get("errors"):
            raise CalendarError("google_freebusy_" + str(calendar["errors"][0].get("reason", "error"))[:40])
        return [busy_block(span["start"], span["end"], tz=tz) for span in calendar.get("busy", [])]

    async def create_event(self, *, access_token: str, draft: EventDraft) -> str:
        event = await self._run(access_token, lambda service: service.events().insert(
            calendarId=PRIMARY, body=_event_body(draft), sendUpdates="all"))
        return str(event["id"])

    async def update_event(self, *, access_token: str, event_id: str, draft: EventDraft) -> None:
        await self._run(access_token, lambda service: service.events().patch(
            calendarId=PRIMARY, eventId=event_id, body=_event_body(draft), sendUpdates="all"))

    async def cancel_event(self, *, access_token: str, event_id: str) -> None:
        await self._run(access_token, lambda service: service.events().delete(calendarId=PRIMARY, eventId=event_id, sendUpdates="all"))


def _reason(error: HttpError) -> str:
    try:
        return str(json.loads(error.content)["error"]["errors"][0]["reason"])[:40]
    except (ValueError, KeyError, IndexError, TypeError):
        return ""
