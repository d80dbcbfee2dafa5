"""The org chart's words: the form to paste the CSV into, and what an import did or why it was refused."""

from __future__ import annotations

import json
from typing import Any

from domain.org_chart import COLUMNS, MAX_FILE_BYTES, OPTIONAL_COLUMNS, OrgFileProblem, OrgImport, OrgRefusal
from domain.org_chart import OrgRefusalReason as Why
from domain.refusals import Refusal
from prompts.blocks import context, excerpt, message, plain, section
from prompts.limits import TEXT_BOX

ORG_CALLBACK = "org_chart_import"
ORG_BLOCK = "org_csv"
SHOWN_REFUSALS = 40  # a message holds 50 blocks and 3,000 characters a section; the rest are counted
HEADER_LINE = ",".join((*COLUMNS, *OPTIONAL_COLUMNS))
EMPTY = "Paste the CSV, starting with its header line."

REASONS = {
    Why.MISSING_COLUMN: "the header has no `{detail}` column",
    Why.NO_LINES: "there are no people under the header",
    Why.TOO_MANY_LINES: "the file has more than {detail} lines; split it by region or business unit",
    Why.MISSING_EMAIL: "no email",
    Why.MALFORMED_EMAIL: "`{detail}` is not an email address",
    Why.MALFORMED_MANAGER_EMAIL: "the manager's `{detail}` is not an email address",
    Why.DUPLICATE_EMAIL: "`{detail}` is already on line {first}",
    Why.UNKNOWN_MANAGER: "the manager `{detail}` is neither in the file nor in Slack",
    Why.MANAGER_LOOP: "a manager loop: {chain}",
    Why.UNKNOWN_IN_SLACK: "no one in Slack has the email `{detail}`",
    Why.DEACTIVATED: "`{detail}` belongs to a deactivated Slack account",
    Why.BOT: "`{detail}` belongs to a bot",
    Why.SAME_SLACK_ACCOUNT: "the same Slack account as `{detail}`",
}


def refusal_text(refusal: OrgRefusal) -> str:
    """One refused line, in words: 'Line 4: `x` is not an email address'."""
    chain = " → ".join(excerpt(email, 80) for email in refusal.chain)
    first = refusal.chain[0] if refusal.chain else ""
    reason = REASONS[refusal.reason].format(detail=excerpt(refusal.detail, 80), chain=chain, first=first)
    return f"Line {refusal.line}: {reason}"


def build_org_modal(*, people: int) -> dict[str, Any]:
    """The form to paste the chart into; `people`, how many the current chart holds (0: none yet)."""
    now = f"The current chart has {people} people; importing replaces it whole." if people else "There is no org chart yet."
    blocks = [
        section(
            "Paste your org chart as CSV, one person per line, under a header line. Matching uses it to keep "
            "reporting lines apart and to read departments. Commas or semicolons both work."
        ),
        context(f"Columns: `{HEADER_LINE}` (employee_id is optional). Leave manager_email blank at the top. {now}"),
        {
            "type": "input",
            "block_id": ORG_BLOCK,
            "label": plain("Org chart (CSV)"),
            "element": {
                "type": "plain_text_input", "action_id": ORG_BLOCK, "multiline": True, "max_length": TEXT_BOX,
                "placeholder": plain(f"{HEADER_LINE}\nana@example.com,,Board,London,E1"),
            },
            "hint": plain(
                f"Up to {TEXT_BOX:,} characters (about 50 people), Slack's limit for a box. For a bigger chart, upload "
                "the .csv file in your DM with me instead (up to 1 MB): each import replaces the whole chart."
            ),
        },
    ]
    return {
        "type": "modal", "callback_id": ORG_CALLBACK, "title": plain("Org chart"), "close": plain("Cancel"),
        "submit": plain("Import"), "blocks": blocks,
    }


def build_org_report(outcome: OrgImport, *, from_file: bool = False) -> dict[str, Any]:
    """What the import did, or every line that stopped it (and that nothing was saved); `from_file`:
    the chart came as a file uploaded in the DM, so the fix is to upload it again."""
    if outcome.saved:
        lines = [
            f"*Org chart imported:* {outcome.people} people in {outcome.departments} departments, "
            f"{outcome.at_the_top} at the top of their chain. It replaces the chart you had before.",
            "Matching now never pairs anyone with someone in their own reporting line, and reads departments from it.",
        ]
        if outcome.without_department:
            lines.append(
                f"{outcome.without_department} people have no department: I'll show them as *unknown* on suggested pairs, "
                "so you can check those pairs yourself."
            )
        text = "\n".join(lines)
        return message(text.replace("*", ""), [section(text)])
    refused = {refusal.line for refusal in outcome.refusals}
    head = (
        f"*Org chart not imported:* {len(refused)} {'line was' if len(refused) == 1 else 'lines were'} refused, so nothing "
        "was saved and the chart you had stays as it was. Fix these lines, then "
        + ("upload the whole file here again." if from_file else "paste the whole file again with `/mentor admin org`.")
    )
    shown = [f"• {refusal_text(refusal)}" for refusal in outcome.refusals[:SHOWN_REFUSALS]]
    if len(outcome.refusals) > SHOWN_REFUSALS:
        shown.append(f"…and {len(outcome.refusals) - SHOWN_REFUSALS} more.")
    body = "\n".join(shown)
    blocks = [section(head), *(section(body[start : start + 2900]) for start in range(0, len(body), 2900))]
    return message((head + "\n" + body).replace("*", ""), blocks)


# --- an org chart uploaded as a file in the DM -----------------------------------------------------

FILE_PROBLEMS = {
    OrgFileProblem.NOT_CSV: (
        "I only read one kind of file here: an org chart as a `.csv` (for programme admins). I've left `{name}` alone."
    ),
    OrgFileProblem.TOO_BIG: (
        "*Org chart not imported:* `{name}` is {size}, and I read org charts of up to {limit}. Nothing was saved. "
        "Split it by region or business unit, or leave out columns the import doesn't use."
    ),
    OrgFileProblem.NOT_TEXT: (
        "*Org chart not imported:* `{name}` isn't a text CSV (it may be a spreadsheet saved as .csv by name only). "
        "Nothing was saved. Save it from your spreadsheet as *CSV UTF-8* and upload it again."
    ),
    OrgFileProblem.UNREADABLE: (
        "*Org chart not imported:* Slack wouldn't let me read `{name}`. Nothing was saved. Try uploading it again "
        "in a minute; if it keeps happening, ask whoever installed Flipside to reinstall it (it needs the `files:read` scope)."
    ),
}


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(size, 1) / 1000:.0f} KB"


def build_file_problem(problem: OrgFileProblem, *, name: str, size: int = 0) -> dict[str, Any]:
    """Why an uploaded file was not read as an org chart: one line for a file of another kind, a reason otherwise."""
    text = FILE_PROBLEMS[problem].format(name=excerpt(name or "the file", 80), size=_size(size), limit=_size(MAX_FILE_BYTES))
    return message(text.replace("*", ""), [section(text)])


def build_upload_not_admin() -> dict[str, Any]:
    """A CSV uploaded by someone who does not run a programme: thanked, and told who imports org charts."""
    text = (
        "Thanks for the file. Importing an org chart is for the programme's admins, so I haven't read it. "
        "If it's meant for matching, please send it to your programme admin."
    )
    return message(text, [section(text)])


def build_upload_received(*, name: str) -> dict[str, Any]:
    """Said at once on an upload: finding everyone in Slack takes a while for a big chart."""
    text = f"Reading `{excerpt(name or 'the file', 80)}` as your org chart and finding each person in Slack. I'll tell you how it went."
    return message(text, [context(text)])


def unknown_department_warning(user_ids: tuple[str, ...]) -> str:
    """A suggested pair's warning when a department is blank: "never the same department" went unchecked."""
    if not user_ids:
        return ""
    who = " and ".join(f"<@{user_id}>" for user_id in user_ids)
    return f"\n:warning: Department unknown for {who}: check they don't work in the same department."


# --- a manual pair within one reporting line ----------------------------------------------------------

REPORTING_LINE_CALLBACK = "admin_pair_reporting_line"


def reporting_line_text(refusal: Refusal) -> str:
    """`reporting_line`: who is above whom, by the org chart."""
    return (
        f"<@{refusal.user_id}> is above <@{refusal.detail}> in the same reporting line, by the org chart. "
        "Reverse mentoring works on candour, which rarely survives a pair with someone's own manager in it."
    )


def pairing_refusal_text(refusal: Refusal) -> str:
    """The words for the pairing refusals that belong to the org chart (`prompts.admin.refusal_text` asks)."""
    if refusal.code == "reporting_line":
        return reporting_line_text(refusal) + " Pair them yourself with `/mentor admin pair` to confirm it."
    return "I couldn't do that."


def build_reporting_line_modal(refusal: Refusal, *, mentor_id: str, mentee_id: str) -> dict[str, Any]:
    """Asks the admin to confirm a pair within one reporting line; its Submit pairs them."""
    return {
        "type": "modal", "callback_id": REPORTING_LINE_CALLBACK, "title": plain("Same reporting line"),
        "close": plain("Don't pair them"), "submit": plain("Pair them anyway"),
        "private_metadata": json.dumps({"mentor": mentor_id, "mentee": mentee_id}),
        "blocks": [
            section(f":warning: {reporting_line_text(refusal)}"),
            section(f"Pair <@{mentor_id}> (reverse-mentor) with <@{mentee_id}> (mentee) all the same?"),
        ],
    }


def read_reporting_line_metadata(metadata: str) -> tuple[str, str]:
    data = json.loads(metadata or "{}")
    return str(data.get("mentor", "")), str(data.get("mentee", ""))
