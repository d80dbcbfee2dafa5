"""Structured logs: one JSON object per line, each carrying the request id, never a token.

Private text never reaches a log line: our code logs ids and counts only, the Slack libraries'
DEBUG output (which includes whole payloads) is held at INFO whatever LOG_LEVEL says, and whatever a
library logs at any level reaches the handler as its message template only (`WithholdLibraryText`):
Bolt writes whole request bodies into INFO and WARNING lines, and an exception's text can quote input.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import traceback
import uuid
from datetime import UTC, datetime

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Slack tokens (bot, user, app, refresh, config) and our own encrypted values.
SECRET_PATTERNS = re.compile(r"(xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|fernet:[A-Za-z0-9_=-]+)")
PAYLOAD_LOGGERS = ("slack_bolt", "slack_sdk", "flipside.bolt", "aiohttp.access")
# SQLAlchemy logs every statement with its parameters at INFO, the drivers theirs at DEBUG: hold them at WARNING.
QUIET_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "asyncpg")
# Loggers whose messages we write (ids and counts only); every other logger is a library's.
OWN_LOGGERS = ("bot", "handlers", "store", "prompts", "sandbox", "__main__")
# A library line is cut at the first character that usually opens quoted data, and kept this short.
_DATA_OPENS = re.compile(r"[({\[:=]")
LIBRARY_MESSAGE_CHARS = 120
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def redact(text: str) -> str:
    return SECRET_PATTERNS.sub("[redacted]", text)


def new_request_id(hint: str | None = None) -> str:
    """Slack's own id for the request when it has one (event id, trigger id), else a fresh one."""
    return hint or uuid.uuid4().hex[:16]


def _is_own(name: str) -> bool:
    return any(name == own or name.startswith(own + ".") for own in OWN_LOGGERS)


class WithholdLibraryText(logging.Filter):
    """On the handler, so it sees every record whatever logger it came from: a library's record keeps
    its template without the arguments (the data), cut before anything that looks like quoted data,
    and its exception as types and frames only. Our own records pass as they are (ids and counts)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _is_own(record.name):
            return True
        template = str(record.msg)
        cut = _DATA_OPENS.search(template)
        record.msg = (template[: cut.start()] if cut else template).strip()[:LIBRARY_MESSAGE_CHARS] or "(withheld)"
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = exception_without_text(record.exc_info[1])
            record.exc_info = None
        return True


def exception_without_text(error: BaseException) -> str:
    """A traceback with each exception's type and frames, but not its message (which may quote input)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    lines = []
    for link in reversed(chain):  # the cause first, as Python prints it
        lines.extend(traceback.format_tb(link.__traceback__))
        lines.append(f"{type(link).__qualname__}\n")
    return "".join(lines).rstrip()


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
        if record.exc_info and record.exc_info[1] is not None:
            entry["exception"] = redact(exception_without_text(record.exc_info[1]))
        elif record.exc_text:
            entry["exception"] = redact(record.exc_text)
        return json.dumps(entry, default=str)


def configure_logging(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(WithholdLibraryText())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
