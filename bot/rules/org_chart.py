"""Reading an org chart from CSV: the lines that can be kept, and each line refused with its reason.

Pure: Slack's answers come in as plain mappings (`slack_refusals`), so every check is tested without
a network. An import keeps nothing when any line is refused, so this reports every refused line at
once rather than stopping at the first.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from domain.org_chart import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_LINES,
    OPTIONAL_COLUMNS,
    OrgFileProblem,
    OrgLine,
    OrgRefusal,
    UploadedFile,
)
from domain.org_chart import OrgRefusalReason as Why

EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
DELIMITERS = (",", ";", "\t")


@dataclass
class OrgFile:
    lines: list[OrgLine] = field(default_factory=list)
    refusals: list[OrgRefusal] = field(default_factory=list)


def _column_name(heading: str) -> str:
    """'Manager e-mail', 'manager_email' and 'MANAGER EMAIL' are one column."""
    return re.sub(r"[\s_\-]+", "_", heading.strip().lower()).replace("e_mail", "email")


def _delimiter(header: str) -> str:
    """The delimiter the header uses most, outside quotes (spreadsheets in many locales write ';')."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    return max(DELIMITERS, key=unquoted.count)


def read_org_csv(text: str) -> OrgFile:
    """Every line of the file as an `OrgLine`, or refused; line numbers count from the header as 1."""
    text = text.lstrip("\ufeff")
    header_line = text.split("\n", 1)[0]
    if not header_line.strip():
        return OrgFile(refusals=[OrgRefusal(1, Why.NO_LINES)])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    columns = [_column_name(heading) for heading in next(reader)]
    missing = [name for name in COLUMNS if name not in columns]
    if missing:
        return OrgFile(refusals=[OrgRefusal(1, Why.MISSING_COLUMN, name) for name in missing])
    where = {name: columns.index(name) for name in (*COLUMNS, *OPTIONAL_COLUMNS) if name in columns}
    found = OrgFile()
    first_line: dict[str, int] = {}
    for fields in reader:
        number = reader.line_num
        if not any(value.strip() for value in fields):
            continue
        if len(found.lines) + len(found.refusals) >= MAX_LINES:
            return OrgFile(refusals=[OrgRefusal(number, Why.TOO_MANY_LINES, str(MAX_LINES))])
        values = {name: (fields[index].strip() if index < len(fields) else "") for name, index in where.items()}
        refusal = _line_refusal(number, values, first_line)
        if refusal is not None:
            found.refusals.append(refusal)
            continue
        email = values["email"].lower()
        first_line[email] = number
        found.lines.append(OrgLine(
            number, email, values["manager_email"].lower(), values["department"], values["location"], values.get("employee_id", "")
        ))
    if not found.lines and not found.refusals:
        return OrgFile(refusals=[OrgRefusal(1, Why.NO_LINES)])
    found.refusals += loop_refusals(found.lines)
    found.refusals.sort(key=lambda refusal: refusal.line)
    return found


def _line_refusal(number: int, values: Mapping[str, str], first_line: Mapping[str, int]) -> OrgRefusal | None:
    email, manager = values["email"], values["manager_email"]
    if not email:
        return OrgRefusal(number, Why.MISSING_EMAIL)
    if not EMAIL.match(email):
        return OrgRefusal(number, Why.MALFORMED_EMAIL, email)
    if manager and not EMAIL.match(manager):
        return OrgRefusal(number, Why.MALFORMED_MANAGER_EMAIL, manager)
    if email.lower() in first_line:
        return OrgRefusal(number, Why.DUPLICATE_EMAIL, email.lower(), (str(first_line[email.lower()]),))
    return None


def loop_refusals(lines: Iterable[OrgLine]) -> list[OrgRefusal]:
    """Each line whose manager chain comes back round to it, naming the loop from that line's person."""
    manager_of = {line.email: line.manager_email for line in lines if line.manager_email}
    line_of = {line.email: line.line for line in lines}
    in_a_loop: dict[str, tuple[str, ...]] = {}
    settled: set[str] = set()  # people whose chain is known to end (or to reach a loop they are not in)
    for start in manager_of:
        if start in settled or start in in_a_loop:
            continue
        path: list[str] = []
        seen: dict[str, int] = {}
        person = start
        while person in manager_of and person not in seen and person not in settled and person not in in_a_loop:
            seen[person] = len(path)
            path.append(person)
            person = manager_of[person]
        if person in seen:  # this walk closed a loop: everyone from `person` on is in it
            loop = path[seen[person]:]
            for index, member in enumerate(loop):
                in_a_loop[member] = (*loop[index:], *loop[:index], member)
        settled.update(member for member in path if member not in in_a_loop)
    return [OrgRefusal(line_of[member], Why.MANAGER_LOOP, member, chain) for member, chain in in_a_loop.items()]


def managers_outside(lines: Iterable[OrgLine]) -> set[str]:
    """Managers named who have no line of their own: they must be found in Slack instead."""
    lines = list(lines)
    inside = {line.email for line in lines}
    return {line.manager_email for line in lines if line.manager_email and line.manager_email not in inside}


def slack_refusals(lines: Iterable[OrgLine], *, user_ids: Mapping[str, str], unusable: Mapping[str, Why]) -> list[OrgRefusal]:
    """What Slack's answers refuse: `user_ids` holds each address Slack knows and who may take part,
    `unusable` each address of a deactivated account or a bot; any other address Slack does not know."""
    refusals = []
    for line in lines:
        if line.email in unusable:
            refusals.append(OrgRefusal(line.line, unusable[line.email], line.email))
        elif line.email not in user_ids:
            refusals.append(OrgRefusal(line.line, Why.UNKNOWN_IN_SLACK, line.email))
        elif line.manager_email and line.manager_email not in user_ids:
            refusals.append(OrgRefusal(line.line, Why.UNKNOWN_MANAGER, line.manager_email))
    return refusals


# --- an org chart uploaded as a file in the DM ----------------------------------------------------

CSV_TYPES = frozenset({"text/csv", "application/csv", "text/comma-separated-values", "application/vnd.ms-excel"})


def is_csv(file: UploadedFile) -> bool:
    """Slack's `filetype` says csv, or the name ends in .csv (a CSV from Excel may come as 'text' or ms-excel)."""
    return file.filetype.lower() == "csv" or file.name.lower().endswith(".csv") or (
        file.mimetype.lower() in CSV_TYPES and not file.name.lower().endswith((".xls", ".xlsx"))
    )


def file_problem(file: UploadedFile) -> OrgFileProblem | None:
    """Why this file is not read as an org chart before a byte of it is fetched, or None to fetch it."""
    if not is_csv(file):
        return OrgFileProblem.NOT_CSV
    if file.size > MAX_FILE_BYTES:
        return OrgFileProblem.TOO_BIG
    if not file.url:
        return OrgFileProblem.UNREADABLE
    return None


def decode_csv(content: bytes) -> str | None:
    """The file's text: UTF-8 (with or without a BOM), UTF-16 with its BOM (Excel's 'Unicode text'),
    else Windows-1252 (Excel's CSV on Windows); None for bytes that are none of these (a zip, an image)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in content:
        return None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return None
