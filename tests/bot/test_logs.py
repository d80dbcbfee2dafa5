import json
import logging

from bot.logs import JsonFormatter, configure_logging, redact, request_id


def test_tokens_and_encrypted_values_are_redacted():
    line = "posting with xoxb-1234-5678-abcd and xapp-1-A0-99 stored fernet:gAAAAAB-x_y="
    assert redact(line) == "posting with [redacted] and [redacted] stored [redacted]"


def test_each_line_is_json_with_the_request_id_and_extras():
    token = request_id.set("Ev123")
    try:
        record = logging.makeLogRecord({"name": "flipside", "levelname": "INFO", "levelno": 20, "msg": "sent %s", "args": ("xoxb-1-2",), "outbox_id": 7})
        entry = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert entry["request_id"] == "Ev123"
    assert entry["message"] == "sent [redacted]"
    assert entry["outbox_id"] == 7


def test_slack_libraries_never_log_payloads_even_at_debug():
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, {name: logging.getLogger(name).level for name in ("slack_bolt", "slack_sdk", "sqlalchemy.engine", "sqlalchemy.pool")})
    configure_logging(logging.DEBUG)
    try:
        assert logging.getLogger("slack_bolt").getEffectiveLevel() == logging.INFO
        assert logging.getLogger("slack_sdk").getEffectiveLevel() == logging.INFO
        assert logging.getLogger("sqlalchemy.engine").getEffectiveLevel() == logging.WARNING
        assert logging.getLogger("flipside").getEffectiveLevel() == logging.DEBUG
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)
