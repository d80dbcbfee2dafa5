"""Hostile input at the endpoint: random and malicious text to commands and DMs, malformed payloads.

Never a 500 or a traceback to the person, always a reply, and the store unchanged by nonsense.
"""

import json
import string
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect, text

from bot.runtime import Runtime
from sandbox.slack_requests import SlackRequests
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


async def test_oversized_request_is_refused_with_413(slack: SlackRequests):
    response = await slack.post("text=" + "x" * (1024 * 1024 + 1), "application/x-www-form-urlencoded")
    assert response.status == 413
