"""Importing the org chart: read the CSV (pasted in the form, or a file uploaded in the DM), find each
person in Slack by email, and replace the chart in one transaction, or (when any line is refused) save
nothing and say every refused line. Both ways in run the same `import_chart`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import SlackUser, lookup_by_email
from bot.rules.org_chart import decode_csv, file_problem, managers_outside, read_org_csv, slack_refusals
from bot.services import Services
from bot.uploads import DownloadRefused, download_private
from domain.org_chart import MAX_FILE_BYTES, OrgFileProblem, OrgImport, OrgLine, OrgRefusal, UploadedFile
from domain.org_chart import OrgRefusalReason as Why
from store import events, org_chart
from store.org_chart import NewEntry

logger = logging.getLogger(__name__)

LOOKUPS_AT_ONCE = 8  # users.lookupByEmail calls in flight: a 5,000-line chart in minutes, not an hour


async def _find_in_slack(client: AsyncWebClient, emails: set[str]) -> tuple[dict[str, str], dict[str, Why]]:
    """Each address's Slack user id, for those who can take part; the others' reason (deactivated, a bot).

    A few lookups at a time (Slack's rate limit answers 429 past it, which the client waits out); one
    that fails for good cancels the rest, and the import stops before anything is written."""
    gate = asyncio.Semaphore(LOOKUPS_AT_ONCE)

    async def lookup(email: str) -> tuple[str, SlackUser | None]:
        async with gate:
            return email, await lookup_by_email(client, email)

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(lookup(email)) for email in sorted(emails)]
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None  # Slack's own error, as a lookup one at a time would raise it
    user_ids: dict[str, str] = {}
    unusable: dict[str, Why] = {}
    for email, user in (task.result() for task in tasks):
        if user is None:
            continue
        if user.deleted:
            unusable[email] = Why.DEACTIVATED
        elif user.is_bot:
            unusable[email] = Why.BOT
        else:
            user_ids[email] = user.id
    return user_ids, unusable


def _same_account(lines: list[OrgLine], user_ids: dict[str, str]) -> list[OrgRefusal]:
    """Two addresses that Slack resolves to one account (an alias): one person can sit once in a chart."""
    first: dict[str, str] = {}
    refusals = []
    for line in lines:
        user_id = user_ids.get(line.email)
        if user_id is None:
            continue
        if user_id in first:
            refusals.append(OrgRefusal(line.line, Why.SAME_SLACK_ACCOUNT, first[user_id]))
        else:
            first[user_id] = line.email
    return refusals


async def import_chart(services: Services, client: AsyncWebClient, *, team_id: str, text: str, view_id: str = "") -> OrgImport | None:
    """The import's outcome; None when this form was submitted already (imported and reported then)."""
    read = read_org_csv(text)
    if not read.lines:
        return OrgImport(refusals=tuple(read.refusals))
    # Asked before the transaction: a chart's worth of Slack calls must not hold the chart's lock.
    user_ids, unusable = await _find_in_slack(client, {line.email for line in read.lines} | managers_outside(read.lines))
    refusals = [*read.refusals, *slack_refusals(read.lines, user_ids=user_ids, unusable=unusable), *_same_account(read.lines, user_ids)]
    if refusals:
        logger.info("org chart refused: %d of %d lines", len({refusal.line for refusal in refusals}), len(read.lines) + len(read.refusals))
        return OrgImport(refusals=tuple(sorted(refusals, key=lambda refusal: refusal.line)))
    entries = [
        NewEntry(
            user_id=user_ids[line.email], email=line.email, manager_id=user_ids.get(line.manager_email, ""),
            department=line.department, location=line.location, employee_id=line.employee_id,
        )
        for line in read.lines
    ]
    async with services.sessions.begin() as session:
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=services.clock.now()):
            return None
        await org_chart.replace_chart(session, team_id=team_id, entries=entries, now=services.clock.now())
    logger.info("org chart imported: %d people", len(entries))
    departments = {line.department.casefold() for line in read.lines if line.department}
    return OrgImport(
        people=len(entries), departments=len(departments),
        without_department=sum(1 for line in read.lines if not line.department),
        at_the_top=sum(1 for entry in entries if not entry.manager_id),
    )


def uploaded_file(file: dict) -> UploadedFile:
    """Slack's description of a file (`files.info`'s `file`, or one in a message event) as the import reads it."""
    return UploadedFile(
        id=str(file.get("id", "")), name=str(file.get("name") or file.get("title") or ""), filetype=str(file.get("filetype") or ""),
        mimetype=str(file.get("mimetype") or ""), size=int(file.get("size") or 0),
        url=str(file.get("url_private_download") or file.get("url_private") or ""),
    )


async def file_details(client: AsyncWebClient, file_id: str) -> UploadedFile | None:
    """What `files.info` says of a file shared in the DM now (its event may carry only the id), or None."""
    try:
        response = await client.files_info(file=file_id)
    except SlackApiError:
        logger.exception("files.info failed for %s", file_id)
        return None
    return uploaded_file(response["file"])


async def import_chart_file(
    services: Services, client: AsyncWebClient, *, team_id: str, file: UploadedFile, on_reading: Callable[[], Awaitable[object]] | None = None,
) -> OrgImport | OrgFileProblem | None:
    """Import a CSV uploaded in the DM: the file's problem when it is not read at all; else the same
    import as the form's (None: this file was imported already, its event delivered twice).
    `on_reading` is awaited once the file is to be read (a big chart takes a while to find in Slack)."""
    problem = file_problem(file)
    if problem is not None:
        return problem
    if on_reading is not None:
        await on_reading()
    try:
        content = await download_private(client, file.url, limit=MAX_FILE_BYTES)
    except DownloadRefused as refused:
        logger.warning("could not fetch file %s: %s", file.id, refused)
        return OrgFileProblem.TOO_BIG if str(refused) == "too big" else OrgFileProblem.UNREADABLE
    except (TimeoutError, OSError):
        logger.exception("could not fetch file %s", file.id)
        return OrgFileProblem.UNREADABLE
    text = decode_csv(content)
    if text is None:
        return OrgFileProblem.NOT_TEXT
    return await import_chart(services, client, team_id=team_id, text=text, view_id=f"file:{file.id}")


async def chart_size(services: Services, *, team_id: str) -> int:
    """How many people the workspace's chart holds now (the form says so before it is replaced)."""
    async with services.sessions.begin() as session:
        return await org_chart.chart_size(session, team_id=team_id)
