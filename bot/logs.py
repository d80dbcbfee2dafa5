"""Structured logs: one JSON object per line, each carrying the request id, never a token.

Private text never reaches a log line: our code logs ids and counts only, and the Slack libraries'
DEBUG output (which includes whole payloads) is held at INFO whatever LOG_LEVEL says.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Slack tokens (bot, user, app, refresh, config) and our own encrypted values.
SECRET_PATTERNS = re.compile(r"(xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|fernet:[A-Za-z0-9_=-]+)")
PAYLOAD_LOGGERS = ("slack_bolt", "slack_sdk", "flipside.bolt", "aiohttp.access")
# SQLAlchemy logs every statement with its parameters at INFO: hold it at WARNING.
QUIET_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool")
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def redact(text: str) -> str:
    return SECRET_PATTERNS.sub("[redacted]", text)


def new_request_id(hint: str | None = None) -> str:
    """Slack's own id for the request when it has one (event id, trigger id), else a fresh one."""
    return hint or uuid.uuid4().hex[:16]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": request_id.get(),
            "message": redact(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


def configure_logging(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
