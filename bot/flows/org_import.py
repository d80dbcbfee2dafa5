"""Importing the org chart: read the CSV, find each person in Slack by email, and replace the chart in
one transaction, or (when any line is refused) save nothing and say every refused line."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import SlackUser, lookup_by_email
from bot.rules.org_chart import managers_outside, read_org_csv, slack_refusals
from bot.services import Services
from domain.org_chart import OrgImport, OrgLine, OrgRefusal
from domain.org_chart import OrgRefusalReason as Why
from store import events, org_chart
from store.org_chart import NewEntry

logger = logging.getLogger(__name__)


async def _find_in_slack(client: AsyncWebClient, emails: set[str]) -> tuple[dict[str, str], dict[str, Why]]:
    """Each address's Slack user id, for those who can take part; the others' reason (deactivated, a bot)."""
    user_ids: dict[str, str] = {}
    unusable: dict[str, Why] = {}
    for email in sorted(emails):
        user: SlackUser | None = await lookup_by_email(client, email)
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


async def chart_size(services: Services, *, team_id: str) -> int:
    """How many people the workspace's chart holds now (the form says so before it is replaced)."""
    async with services.sessions.begin() as session:
        return await org_chart.chart_size(session, team_id=team_id)
