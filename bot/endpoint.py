"""What may reach Bolt at /slack/events: a request Slack signed, carrying a payload shaped as Slack shapes it.

Pure rules over the raw request (bytes, headers, `now`), so the signature is checked on the exact bytes
before anything parses them, and a malformed or foreign body is refused with a reason (never the body).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

# Slack's own window: a request signed more than five minutes from now is a replay (or a clock adrift).
STALE_SECONDS = 5 * 60
INTERACTION_TYPES = {
    "block_actions", "block_suggestion", "view_submission", "view_closed", "shortcut", "message_action",
}
EVENT_ENVELOPES = {"event_callback", "url_verification", "app_rate_limited"}


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str  # a few fixed words for the log: never anything from the request


def sign(secret: str, timestamp: str, raw: bytes) -> bytes:
    """Slack's `v0` signature of the exact bytes (slack_sdk's verifier decodes them first, and so raises
    on a body that is not UTF-8)."""
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return b"v0=" + digest.encode()


def check_signature(secret: str, raw: bytes, headers: Mapping[str, str], now: float) -> Refusal | None:
    """None when Slack signed these exact bytes within the last five minutes; else why not: 401, or 400
    for a timestamp that is not a number, or a signed body Slack never sends (compressed)."""
    timestamp, signature = headers.get("X-Slack-Request-Timestamp"), headers.get("X-Slack-Signature")
    if not timestamp or not signature:
        return Refusal(401, "unsigned")
    if not timestamp.isascii() or not timestamp.isdigit():
        return Refusal(400, "timestamp not a number")
    if abs(now - int(timestamp)) > STALE_SECONDS:
        return Refusal(401, "stale timestamp")
    if not hmac.compare_digest(sign(secret, timestamp, raw), signature.encode()):
        return Refusal(401, "bad signature")
    if headers.get("Content-Encoding", "identity").strip().lower() not in ("", "identity"):
        return Refusal(400, "encoded body")
    return None


def parse(text: str, content_type: str | None) -> dict[str, Any] | Refusal:
    """The body as Bolt will read it (JSON, a form's `payload` JSON, or a slash command's form), or a refusal."""
    try:
        if content_type == "application/json" or text.startswith("{"):
            body = json.loads(text)
        else:
            form = dict(parse_qsl(text, keep_blank_values=True))
            body = json.loads(form["payload"]) if "payload" in form else form
    except (ValueError, RecursionError):
        return Refusal(400, "unparseable body")
    if not isinstance(body, dict):
        return Refusal(400, "body not an object")
    return body


def _is_object_with(value: object, *keys: str) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(key), str) and value.get(key) for key in keys)


def shape_refusal(body: dict[str, Any]) -> Refusal | None:
    """None for a payload shaped as Slack sends it (an event envelope, an interaction, a slash command,
    the SSL check); else why it is foreign or incomplete."""
    kind = body.get("type")
    if "command" in body or "ssl_check" in body:
        if body.get("ssl_check") or (str(body.get("command", "")).startswith("/") and body.get("user_id") and body.get("team_id")):
            return None
        return Refusal(400, "incomplete command")
    if kind in EVENT_ENVELOPES:
        if kind == "event_callback" and not (_is_object_with(body.get("event"), "type") and isinstance(body.get("event_id"), str)):
            return Refusal(400, "incomplete event")
        return None
    if kind in INTERACTION_TYPES:
        if not _is_object_with(body.get("user"), "id"):
            return Refusal(400, "interaction without a user")
        if kind == "block_actions":
            actions = body.get("actions")
            if not (isinstance(actions, list) and actions and all(_is_object_with(action, "action_id") for action in actions)):
                return Refusal(400, "block_actions without actions")
        if kind in ("view_submission", "view_closed") and not isinstance(body.get("view"), dict):
            return Refusal(400, "view payload without a view")
        if kind in ("shortcut", "message_action") and not isinstance(body.get("callback_id"), str):
            return Refusal(400, "shortcut without a callback id")
        if kind == "block_suggestion" and not isinstance(body.get("action_id"), str):
            return Refusal(400, "suggestion without an action id")
        return None
    return Refusal(400, "not a Slack payload")
