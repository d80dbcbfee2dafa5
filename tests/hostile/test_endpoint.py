"""Hostile input at the endpoint: random and malicious text to commands and DMs, malformed payloads.

Never a 500 or a traceback to the person, always a reply, and the store unchanged by nonsense.
"""

import hashlib
import hmac
import io
import json
import logging
import string
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect, text

from bot.logs import PAYLOAD_LOGGERS, QUIET_LOGGERS, configure_logging
from bot.runtime import Runtime
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from tests.conftest import SIGNING_SECRET
from tests.hostile.strategies import EXAMPLES, HOSTILE


async def _row_counts(bot: Runtime) -> dict[str, int]:
    async with bot.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        return {table: (await connection.execute(text(f'SELECT COUNT(*) FROM "{table}"'))).scalar_one() for table in tables if table not in ("alembic_version", "processedevent")}


@EXAMPLES
@given(words=HOSTILE)
async def test_random_command_text_gets_a_reply_and_changes_nothing(bot: Runtime, slack: SlackRequests, words: str):
    before = await _row_counts(bot)
    response = await slack.command("U0MENTOR", words)
    assert response.status == 200
    assert "Traceback" not in response.text
    body = response.json() if response.text else None
    assert body is None or body.get("text") or body.get("blocks")
    assert await _row_counts(bot) == before


@EXAMPLES
@given(words=HOSTILE)
async def test_random_direct_messages_never_fail(slack: SlackRequests, words: str):
    response = await slack.direct_message("U0MENTEE", words)
    assert response.status == 200


@EXAMPLES
@given(body=st.one_of(st.text(alphabet=string.printable, max_size=400), st.binary(max_size=200).map(lambda raw: raw.decode("latin-1"))))
async def test_malformed_signed_bodies_are_refused_without_a_server_error(slack: SlackRequests, body: str):
    for content_type in ("application/json", "application/x-www-form-urlencoded"):
        response = await slack.post(body, content_type)
        assert response.status < 500
        assert "Traceback" not in response.text


MALFORMED = [
    ("application/x-www-form-urlencoded", urlencode({"payload": "{not json"})),
    ("application/x-www-form-urlencoded", urlencode({"payload": json.dumps({"type": "block_actions"})})),
    ("application/x-www-form-urlencoded", urlencode({"payload": json.dumps({"type": "view_submission", "view": None})})),
    ("application/x-www-form-urlencoded", urlencode({"command": "/mentor"})),
    ("application/json", json.dumps({"type": "event_callback"})),
    ("application/json", json.dumps({"type": "event_callback", "event": {"type": "message"}})),
    ("application/json", json.dumps({"type": "event_callback", "event": {"type": "app_home_opened"}, "event_id": "Ev1"})),
    ("application/json", json.dumps([1, 2, 3])),
    ("application/json", "null"),
]


async def test_structurally_malformed_payloads_never_cause_a_server_error(slack: SlackRequests):
    for content_type, body in MALFORMED:
        response = await slack.post(body, content_type)
        assert response.status < 500, (body, response.status, response.text)
        if "app_home_opened" not in body:  # the one shaped as Slack shapes it: acknowledged
            assert response.status == 400, (body, response.status)


async def test_oversized_request_is_refused_with_413(slack: SlackRequests):
    response = await slack.post("text=" + "x" * (1024 * 1024 + 1), "application/x-www-form-urlencoded")
    assert response.status == 413


# --- junk at the endpoint: refused before parsing, logged as a reason, never as its text ------------

MARKER = "MARKER-my-manager-never-listens-7f3a"


@pytest.fixture
def bot_log() -> Iterator[io.StringIO]:
    """Every line the running bot writes, through the real configure_logging, at DEBUG."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, {name: logging.getLogger(name).level for name in (*PAYLOAD_LOGGERS, *QUIET_LOGGERS)})
    configure_logging(logging.DEBUG)
    stream = io.StringIO()
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    yield stream
    root.handlers[:], root.level = saved[0], saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


async def _post_bytes(slack: SlackRequests, body: bytes, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as session, session.post(slack.bot_url, data=body, headers=headers) as response:
        await response.read()
        return response.status


def _reflection_message(slack: SlackRequests) -> str:
    return slack.event_body({"type": "message", "channel_type": "im", "channel": "D0X", "user": "U0MENTEE", "text": MARKER, "ts": "1.1"})


def _junk(slack: SlackRequests) -> list[tuple[str, int, Callable[[], Awaitable[int]]]]:
    """(what, the status due, a request carrying the marker as a reflection would)."""
    message = _reflection_message(slack)
    signed = slack.sign
    json_type = {"Content-Type": "application/json"}
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    nested = '{"type": "event_callback", "text": "' + MARKER + '", "event": ' + "[" * 100_000 + "]" * 100_000 + "}"
    nested_form = urlencode({"payload": urlencode({"payload": json.dumps({"type": "block_actions", "text": MARKER})})})
    not_utf8 = MARKER.encode() + b"\xff\xfe" + message.encode()
    stale = str(int(time.time()) - 6 * 60)

    async def status(body: str, content_type: str, **kwargs: Any) -> int:
        return (await slack.post(body, content_type, **kwargs)).status

    return [
        ("late (stale, correctly signed)", 401, lambda: status(message, "application/json", timestamp=stale)),
        ("forged", 401, lambda: status(message, "application/json", headers={"X-Slack-Signature": "v0=" + "0" * 64})),
        ("unsigned", 401, lambda: _post_bytes(slack, message.encode(), json_type)),
        ("gzip header on a plain body", 400, lambda: _post_bytes(slack, message.encode(), {**json_type, **signed(message), "Content-Encoding": "gzip"})),
        ("deeply nested JSON", 400, lambda: status(nested, "application/json")),
        ("nested payload= form", 400, lambda: status(nested_form, "application/x-www-form-urlencoded")),
        ("non-numeric timestamp", 400, lambda: _post_bytes(slack, message.encode(), {**json_type, "X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=1"})),
        ("not UTF-8", 400, lambda: _post_bytes(slack, not_utf8, {**form_type, **slack_signature(slack, not_utf8)})),
        ("signed but foreign", 400, lambda: status(json.dumps({"foo": 1, "text": MARKER}), "application/json")),
        ("block_actions without actions", 400, lambda: status(urlencode({"payload": json.dumps({"type": "block_actions", "user": {"id": "U0MENTEE"}, "text": MARKER})}), "application/x-www-form-urlencoded")),
        ("event of a type no listener takes", 400, lambda: status(slack.event_body({"type": "reaction_added", "user": "U0MENTEE", "text": MARKER}), "application/json")),
        ("oversized", 413, lambda: status(urlencode({"text": MARKER}) + "x" * (1024 * 1024), "application/x-www-form-urlencoded")),
    ]


def slack_signature(slack: SlackRequests, body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    signature = hmac.new(SIGNING_SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=" + signature}


async def test_junk_is_refused_with_400_or_401_and_logged_as_one_short_line_without_its_text(slack: SlackRequests, workspace: Workspace, bot_log: io.StringIO):
    for what, due, send in _junk(slack):
        start = bot_log.tell()
        assert await send() == due, what
        written = bot_log.getvalue()[start:]
        assert MARKER not in written, (what, written[:500])
        assert "Traceback" not in written, (what, written[:500])
        assert len(written.splitlines()) <= 2 and len(written) < 1024, (what, written[:500])
    assert [call.method for call in workspace.calls if call.method != "auth.test"] == []  # Bolt's authorize: no work

