"""Why an enrolment or a pairing was refused: what the pairing flow returns and the admin is told."""

from __future__ import annotations

from dataclasses import dataclass

from domain.roles import Role


@dataclass(frozen=True)
class Refusal:
    code: str  # same_person, unknown, bot, deactivated, not_enrolled, other_role, swapped, busy, bad_line, unknown_email
    user_id: str | None = None
    role: Role | None = None  # the role someone is in (other_role) or was wanted in (not_enrolled)
    detail: str = ""
