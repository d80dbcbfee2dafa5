"""The app factory: one `AsyncApp` per process, with every handler module registered on it."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_bolt.listener_matcher.async_builtins import AsyncBuiltinListenerMatcher
from slack_bolt.listener_matcher.async_listener_matcher import (
    AsyncCustomListenerMatcher,
    AsyncListenerMatcher,
)
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.payload_utils import to_action, to_command, to_event, to_options, to_shortcut, to_view
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

import handlers
from bot import logs
from bot.clients import create_client
from bot.http import PooledRespond
from bot.oauth import oauth_options
from bot.services import Services
from bot.slack_errors import SLACK_FAILURES, as_slack_client, error_code
from prompts import errors
from store import events

logger = logging.getLogger(__name__)


class KeptAck(AsyncAck):
    """Bolt's `ack`, except that an answer once given stays given.

    When a listener fails after acknowledging, Bolt's asyncio runner resets `ack.response` to None once
    the error handler has run; if its 10 ms poll for the ack had not looked yet, the request then goes
    unanswered for 3 seconds and Slack shows the person an error. Handlers acknowledge first, so this
    race is real for any failure in their later work."""

    @property  # type: ignore[override]
    def response(self) -> BoltResponse | None:
        return self._response

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        if value is not None or getattr(self, "_response", None) is None:
            self._response = value


def create_app(services: Services, client: AsyncWebClient | None = None) -> AsyncApp:
    settings = services.settings
    options: dict[str, object] = {}
    if settings.oauth:
        options = oauth_options(services)
    app = AsyncApp(
        name="flipside",
        client=client or create_client(services),
        signing_secret=settings.signing_secret,
        # Socket Mode has no HTTP requests to verify; every other mode verifies each request.
        request_verification_enabled=settings.mode != "socket",
        logger=logging.getLogger("flipside.bolt"),
        **options,  # type: ignore[arg-type]
    )

    @app.middleware
    async def provide_services(body: dict, context: AsyncBoltContext, next: Callable[[], Awaitable[None]]) -> None:  # noqa: A002
        context["services"] = services
        context["client"] = as_slack_client(context.client)  # Slack's failures in any shape raise SlackApiError
        if context.ack.response is None:
            context["ack"] = KeptAck()
        if context.response_url:
            context["respond"] = PooledRespond(response_url=context.response_url, http=services.http)
        logs.request_id.set(logs.new_request_id(body.get("event_id") or body.get("trigger_id")))
        await next()

    @app.middleware
    async def handle_each_event_once(body: dict, context: AsyncBoltContext, next: Callable[[], Awaitable[None]]) -> BoltResponse | None:  # noqa: A002
        # Slack retries an event whose ack it missed (X-Slack-Retry-Num), with the same event_id.
        # Deduplicate by id rather than dropping retries: a retry may be the first delivery we see. The
        # id counts as handled only once its listener finished (`_finish_events`): after a crash, the retry is the work.
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            now = services.clock.now()
            async with services.sessions.begin() as session:
                claimed = await events.claim_event(session, team_id=body.get("team_id") or "", event_id=event_id, now=now)
            if not claimed:
                logger.info("event %s already handled or in hand; acknowledging the retry", event_id)
                return BoltResponse(status=200, body="")
            context["event_claim"] = EventClaim(team_id=body.get("team_id") or "", event_id=event_id, claimed_at=now)
        await next()
        return None

    @app.error
    async def handle_unexpected_error(error: Exception, body: dict, ack: AsyncAck, respond: AsyncRespond) -> BoltResponse | None:
        # Never a 500 (Slack would show its own vague failure) and never a traceback to the person:
        # log it with the request id, and tell someone who typed a command that nothing changed:
        # in the ack, or through response_url when the command was acknowledged before it failed.
        logger.error("unhandled %s while handling a request", type(error).__name__, exc_info=error)
        command = isinstance(body, dict) and bool(body.get("command"))
        if ack.response is not None:  # acknowledged already: Slack has had its answer
            if command and body.get("response_url"):
                await respond(**errors.build_error_reply())
            elif isinstance(body, dict) and body.get("type") == "block_actions" and body.get("response_url"):
                # A click in a message, taken and saved, whose later step failed (often Slack itself
                # refusing the reply): tell the person who clicked, beside that message.
                try:
                    await respond(**errors.build_could_not_finish_reply())
                except SLACK_FAILURES as telling:
                    logger.warning("could not tell the person either: %s", error_code(telling))
            return None
        if command:
            return BoltResponse(status=200, body=json.dumps(errors.build_error_reply()), headers={"content-type": "application/json"})
        return BoltResponse(status=400, body="")

    handlers.register_all(app)
    _cheap_matchers(app)
    _finish_events(app, services)
    return app


@dataclass(frozen=True)
class EventClaim:
    """An event delivery this process took on (store.events.claim_event), to be finished or released."""

    team_id: str
    event_id: str
    claimed_at: datetime


def _finish_events(app: AsyncApp, services: Services) -> None:
    """Each listener, once it returns, records its event as handled; if it raises, gives the event back,
    so Slack's retry is handled rather than dropped. Bolt runs a listener after the ack, out of reach of
    the middleware, so the listener itself is wrapped (its argument names kept, plus `context`)."""
    for listener in app._async_listeners:  # noqa: SLF001 - Bolt has no public hook after a listener
        listener.ack_function = _finishing(listener.ack_function, wants_context="context" in listener.arg_names, services=services)
        if "context" not in listener.arg_names:
            listener.arg_names = [*listener.arg_names, "context"]


def _finishing(function: Callable[..., Awaitable[BoltResponse | None]], *, wants_context: bool, services: Services) -> Callable[..., Awaitable[BoltResponse | None]]:
    async def run(**kwargs: Any) -> BoltResponse | None:
        context = kwargs["context"] if wants_context else kwargs.pop("context")
        claim: EventClaim | None = context.get("event_claim")
        try:
            result = await function(**kwargs)
        except BaseException:
            if claim is not None:
                async with services.sessions.begin() as session:
                    await events.release_event(session, event_id=claim.event_id, claimed_at=claim.claimed_at)
            raise
        if claim is not None:
            async with services.sessions.begin() as session:
                await events.finish_event(session, team_id=claim.team_id, event_id=claim.event_id, claimed_at=claim.claimed_at)
        return result

    return run


# What a listener matcher may ask for that is read straight off the request body.
_BODY_ARGUMENTS: dict[str, Callable[[dict], object]] = {
    "body": lambda body: body,
    "command": to_command,
    "action": to_action,
    "view": to_view,
    "event": to_event,
    "options": to_options,
    "shortcut": to_shortcut,
}


class _BodyMatcher(AsyncListenerMatcher):
    """A Bolt listener matcher called with just the arguments it takes."""

    def __init__(self, func: Callable[..., Awaitable[bool]], arg_names: Sequence[str]) -> None:
        self.func = func
        self.arg_names = tuple(arg_names)

    async def async_matches(self, req: AsyncBoltRequest, resp: BoltResponse) -> bool:
        return await self.func(**{name: _BODY_ARGUMENTS[name](req.body) for name in self.arg_names})


def _cheap_matchers(app: AsyncApp) -> None:
    """Bolt tries each listener in turn, and for each matcher of each one it builds every argument a
    listener could take (thirty-odd, payload parsed eight ways): with ~70 listeners that was a quarter
    of the bot's CPU per `/mentor help`, all before the ack. The same matchers, handed only what they
    read from the body, decide the same way for a fraction of that."""
    for listener in app._async_listeners:  # noqa: SLF001 - Bolt has no public hook for this
        listener.matchers = [
            _BodyMatcher(matcher.func, matcher.arg_names)
            if isinstance(matcher, AsyncBuiltinListenerMatcher | AsyncCustomListenerMatcher) and set(matcher.arg_names) <= _BODY_ARGUMENTS.keys()
            else matcher
            for matcher in listener.matchers
        ]
