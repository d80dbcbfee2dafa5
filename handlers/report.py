"""`/mentor admin report`, `/mentor admin export` and `/mentor admin peers`."""

from __future__ import annotations

import asyncio
import logging
import re

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import arguments, subcommand
from bot.flows.admin_report import ReportRefusal, admin_report
from bot.flows.admin_rollup import admin_rollup
from bot.flows.charts import render_chart
from bot.flows.export import build_csv
from bot.flows.peer_channel import PeerChannelChosen, PeerChoice, choose_peer_channel
from bot.services import Services, services_of
from bot.uploads import upload_to_dm
from domain.health import HealthReport
from domain.rollup import RollupRefused
from prompts import check_ins as check_in_words
from prompts import report as words
from prompts import report_rollup as rollup_words

logger = logging.getLogger(__name__)

CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$|^([CG][A-Z0-9]{6,})$")


async def load_admin_report(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, command: str = "report"
) -> tuple[HealthReport | None, str | None]:
    """The current programme's report for an admin; otherwise None and what to tell them."""
    report = await admin_report(services, client, team_id=team_id, user_id=user_id)
    if isinstance(report, ReportRefusal):
        return None, _refusal(report, command)
    return report, None


def _refusal(refusal: ReportRefusal, command: str) -> str:
    return words.NO_PROGRAMME if refusal is ReportRefusal.NO_PROGRAMME else words.refusal(command)


async def send_chart(client: AsyncWebClient, report: HealthReport, user_id: str) -> None:
    png = await asyncio.to_thread(render_chart, report)
    await upload_to_dm(client, user_id=user_id, content=png, filename=words.chart_filename(report), title=words.chart_title(report), comment=words.chart_comment(report))


async def send_export(client: AsyncWebClient, report: HealthReport, user_id: str) -> None:
    await upload_to_dm(
        client, user_id=user_id, content=build_csv(report), filename=words.export_filename(report), title=words.export_filename(report), comment=words.export_comment(report)
    )


async def handle_admin_report_command(ack: AsyncAck, command: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict) -> None:
    await ack()
    user_id = command["user_id"]
    report, refusal = await load_admin_report(services_of(context), client, team_id=command["team_id"], user_id=user_id, command="report")
    if report is None:
        await respond(response_type="ephemeral", **words.plain_message(refusal or words.REFUSAL))
        return
    await respond(response_type="ephemeral", **words.build_report_message(report))
    try:
        await send_chart(client, report, user_id)
    except SlackApiError:
        logger.exception("could not upload the health chart")
        await respond(response_type="ephemeral", **words.plain_message(words.UPLOAD_FAILED))


async def load_rollup(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> tuple[dict, HealthReport | None]:
    """The roll-up's reply for this person, and the report whose chart follows it (when only one programme is theirs)."""
    rollup = await admin_rollup(services, client, team_id=team_id, user_id=user_id)
    if isinstance(rollup, RollupRefused):
        return rollup_words.refusal_message(no_programme=rollup.no_programme, ask=rollup.ask), None
    return rollup_words.build_rollup_message(rollup), rollup.reports[0] if rollup.total is None else None


async def handle_admin_rollup_command(ack: AsyncAck, command: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict) -> None:
    await ack()
    user_id = command["user_id"]
    reply, single = await load_rollup(services_of(context), client, team_id=command["team_id"], user_id=user_id)
    await respond(response_type="ephemeral", **reply)
    if single is not None:
        try:
            await send_chart(client, single, user_id)
        except SlackApiError:
            logger.exception("could not upload the health chart")
            await respond(response_type="ephemeral", **words.plain_message(words.UPLOAD_FAILED))


async def handle_admin_export_command(ack: AsyncAck, command: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict) -> None:
    await ack()
    user_id = command["user_id"]
    report, refusal = await load_admin_report(services_of(context), client, team_id=command["team_id"], user_id=user_id, command="export")
    if report is None:
        await respond(response_type="ephemeral", **words.plain_message(refusal or words.refusal("export")))
        return
    try:
        await send_export(client, report, user_id)
    except SlackApiError:
        logger.exception("could not upload the CSV export")
        await respond(response_type="ephemeral", **words.plain_message(words.UPLOAD_FAILED))
        return
    await respond(response_type="ephemeral", **words.export_sent())


async def handle_admin_peers_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()  # first: whether the person is an admin can mean asking Slack (users.info), and the channel is checked with Slack
    given = arguments(command.get("text"), "admin", "peers").strip()
    match = CHANNEL.match(given)
    if match is None and given.lower() != "off":
        await respond(response_type="ephemeral", **words.plain_message(check_in_words.PEERS_USAGE))
        return
    channel_id = match.group(1) or match.group(2) if match is not None else None
    chosen = await choose_peer_channel(services_of(context), client, team_id=command["team_id"], user_id=command["user_id"], channel_id=channel_id)
    await respond(response_type="ephemeral", **words.plain_message(_peers_reply(chosen, channel_id or "")))


def _peers_reply(chosen: PeerChannelChosen, channel_id: str) -> str:
    match chosen.choice:
        case PeerChoice.NO_PROGRAMME:
            return words.NO_PROGRAMME
        case PeerChoice.NOT_ADMIN:
            return words.refusal("peers")
        case PeerChoice.OFF:
            return check_in_words.PEERS_OFF
        case PeerChoice.NOT_FOUND:
            return check_in_words.peers_not_found(channel_id)
        case PeerChoice.ARCHIVED:
            return check_in_words.peers_archived(channel_id)
        case PeerChoice.NOT_CHECKED:
            return check_in_words.PEERS_NOT_CHECKED
    return check_in_words.peers_set(channel_id, replaced=chosen.replaced)


def register(app: AsyncApp) -> None:
    # Before `admin report`, whose matcher `admin report all` also meets: Bolt runs the first listener that matches.
    app.command("/mentor", matchers=[subcommand("admin", "report", "all")])(handle_admin_rollup_command)
    app.command("/mentor", matchers=[subcommand("admin", "report")])(handle_admin_report_command)
    app.command("/mentor", matchers=[subcommand("admin", "export")])(handle_admin_export_command)
    app.command("/mentor", matchers=[subcommand("admin", "peers")])(handle_admin_peers_command)
