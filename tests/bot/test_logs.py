import io
import json
import logging
from collections.abc import Callable

from bot.logs import PAYLOAD_LOGGERS, QUIET_LOGGERS, JsonFormatter, configure_logging, redact, request_id


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


MARKER = "MARKER-what-I-wrote-about-my-manager"


def _lines_written(emit: Callable[[], None]) -> str:
    """What the real configure_logging writes (at DEBUG) while `emit` logs."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, {name: logging.getLogger(name).level for name in (*PAYLOAD_LOGGERS, *QUIET_LOGGERS)})
    configure_logging(logging.DEBUG)
    stream = io.StringIO()
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    try:
        emit()
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)
    return stream.getvalue()


def test_a_library_line_keeps_its_template_but_not_the_data_it_quotes():
    def emit() -> None:
        logging.getLogger("slack_bolt.RequestVerification").info(f"Invalid request signature detected (body: {MARKER})")
        logging.getLogger("flipside.bolt").warning("Unhandled request (%s)", {"text": MARKER})
        logging.getLogger("some.library").error("failed: %s", MARKER)

    written = _lines_written(emit)
    assert MARKER not in written
    assert [json.loads(line)["message"] for line in written.splitlines()] == ["Invalid request signature detected", "Unhandled request", "failed"]


def test_an_exception_is_logged_by_type_and_frames_without_its_message():
    def emit() -> None:
        try:
            {}[MARKER]
        except KeyError as error:
            logging.getLogger("bot.app").error("unhandled %s while handling a request", type(error).__name__, exc_info=error)
            logging.getLogger("slack_bolt.App").exception("Error")

    written = _lines_written(emit)
    assert MARKER not in written
    entries = [json.loads(line) for line in written.splitlines()]
    assert [entry["message"] for entry in entries] == ["unhandled KeyError while handling a request", "Error"]
    assert all(entry["exception"].endswith("KeyError") and "test_logs.py" in entry["exception"] for entry in entries)
