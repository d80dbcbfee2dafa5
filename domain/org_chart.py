"""The org chart as an import reads it: each line of the CSV, and why a line is refused.

The reasons are codes; `prompts.org_chart` words them for the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

COLUMNS = ("email", "manager_email", "department", "location")  # required, in any order
OPTIONAL_COLUMNS = ("employee_id",)
MAX_LINES = 20_000  # a file bigger than this is refused whole, before any line is read
MAX_FILE_BYTES = 1_000_000  # an uploaded CSV bigger than this is refused before it is downloaded


class OrgRefusalReason(StrEnum):
    MISSING_COLUMN = "missing_column"  # the header lacks a required column (detail: its name)
    NO_LINES = "no_lines"  # a header and nothing under it, or nothing at all
    TOO_MANY_LINES = "too_many_lines"
    MISSING_EMAIL = "missing_email"
    MALFORMED_EMAIL = "malformed_email"  # detail: the address as written
    MALFORMED_MANAGER_EMAIL = "malformed_manager_email"
    DUPLICATE_EMAIL = "duplicate_email"  # detail: the address; chain: the line it first appeared on
    UNKNOWN_MANAGER = "unknown_manager"  # the manager is neither in the file nor in Slack
    MANAGER_LOOP = "manager_loop"  # chain: the addresses round the loop, back to the first
    UNKNOWN_IN_SLACK = "unknown_in_slack"  # no Slack account has this address
    DEACTIVATED = "deactivated"  # the Slack account with this address is deactivated
    BOT = "bot"
    SAME_SLACK_ACCOUNT = "same_slack_account"  # two addresses of one Slack account (detail: the other address)


class OrgFileProblem(StrEnum):
    """Why an org chart uploaded as a file in the DM was not read at all (no line of it was looked at)."""

    NOT_CSV = "not_csv"  # another kind of file: a hint, not an error
    TOO_BIG = "too_big"  # over MAX_FILE_BYTES
    NOT_TEXT = "not_text"  # bytes that are not text in UTF-8, UTF-16 or Windows-1252
    UNREADABLE = "unreadable"  # Slack would not give the file's details or bytes


@dataclass(frozen=True)
class UploadedFile:
    """An uploaded file as Slack's `files.info` describes it (the fields the import reads)."""

    id: str
    name: str = ""
    filetype: str = ""
    mimetype: str = ""
    size: int = 0
    url: str = ""  # url_private_download, else url_private: fetched with the bot token


@dataclass(frozen=True)
class OrgLine:
    """One person's line of the CSV, addresses lower-cased; `line` is its line number in the file."""

    line: int
    email: str
    manager_email: str = ""
    department: str = ""
    location: str = ""
    employee_id: str = ""


@dataclass(frozen=True)
class OrgRefusal:
    line: int
    reason: OrgRefusalReason
    detail: str = ""
    chain: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrgPlace:
    """Where someone sits, as matching reads it: their manager's Slack id and their department."""

    user_id: str
    manager_id: str = ""
    department: str = ""


@dataclass(frozen=True)
class OrgImport:
    """What an import did: every refused line (and then nothing was saved), or what the chart now holds."""

    refusals: tuple[OrgRefusal, ...] = ()
    people: int = 0
    departments: int = 0
    without_department: int = 0
    at_the_top: int = 0  # people with no manager in the chart

    @property
    def saved(self) -> bool:
        return not self.refusals
