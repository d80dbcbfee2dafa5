"""'Did it work?' in `/mentor admin report`, its chart and the admin Home: the measures' change with its interval
and alpha, only over at least k people; below k, 'not enough people yet' and no number; the CSV stays counts (issue 18)."""

import csv
import re
from io import StringIO

from bot.flows.charts import change_data
from bot.flows.disclosure import released_report
from bot.flows.export import CSV_COLUMNS
from prompts.measure_report import NOT_YET
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.reports import load_history
from tests.bot.flows.test_measure_disclosure import cohort
from tests.factories import TEAM
from tests.handlers.pairing_support import text_of
from tests.handlers.test_report import PNG_SIGNATURE, wait_for_responses


def did_it_work(blocks: list[dict]) -> str:
    text = text_of(blocks)
    return text[text.index("*Did it work?*") :]


async def report_text(slack: SlackRequests, workspace: Workspace) -> str:
    await slack.command("U0ADMIN", "admin report")
    reply = (await wait_for_responses(workspace))[-1]
    await workspace.wait_for_calls("files.completeUploadExternal")  # the chart, before the bot stops
    return did_it_work(reply["blocks"])


async def test_below_k_people_the_section_says_not_enough_people_yet_and_shows_no_number(bot, slack: SlackRequests, workspace: Workspace):
    async with bot.services.sessions.begin() as session:
        await cohort(session, 4)

    section = await report_text(slack, workspace)

    lines = [line for line in section.split("\n") if line.startswith(("Reverse-mentors", "Mentees"))]
    assert len(lines) == 6  # three scales, each for both sides (inclusion asks each side its own statements)
    assert all(NOT_YET in line for line in lines)
    assert not re.search(r"[+-]\d|\d\.\d|\d+ people", "\n".join(lines))


async def test_at_k_people_the_report_shows_each_scales_change_with_its_interval_and_alpha(bot, slack: SlackRequests, workspace: Workspace):
    async with bot.services.sessions.begin() as session:
        await cohort(session, 6)

    section = await report_text(slack, workspace)

    assert "*Psychological safety in the pair*" in section
    assert re.search(r"Reverse-mentors \(alpha [\d.]+|answers too alike", section)
    assert re.search(r"start to close: \+2\.5 \(95% interval \+[\d.]+ to \+[\d.]+, d = [\d.]+; 6 people\)", section)
    assert "start to mid-point: not enough people yet" in section


async def test_the_chart_draws_the_released_change_and_the_csv_stays_counts_and_flags(bot, slack: SlackRequests, workspace: Workspace, clock):
    async with bot.services.sessions.begin() as session:
        programme = await cohort(session, 6)
        drawn = change_data(await released_report(session, await load_history(session, team_id=TEAM, programme=programme), clock.now()))
    await slack.command("U0ADMIN", "admin report")
    chart = (await workspace.wait_for_calls("files.completeUploadExternal"))[-1]
    await slack.command("U0ADMIN", "admin export")
    exported = (await workspace.wait_for_calls("files.completeUploadExternal", 2))[-1]

    assert len(drawn) == 6 and all(row["low"] < row["mean"] < row["high"] for row in drawn)
    assert workspace.files[chart.args["files"][0]["id"]]["content"].startswith(PNG_SIGNATURE)
    rows = list(csv.DictReader(StringIO(workspace.files[exported.args["files"][0]["id"]]["content"].decode())))
    assert list(rows[0]) == [name for name, _ in CSV_COLUMNS]


async def test_the_admin_home_shows_the_section_too(bot, slack: SlackRequests, workspace: Workspace):
    async with bot.services.sessions.begin() as session:
        await cohort(session, 6)

    await slack.app_home_opened("U0ADMIN")
    await workspace.wait_for_calls("views.publish")

    home = workspace.calls_to("views.publish")[-1].args["view"]
    assert "start to close: +2.5" in did_it_work(home["blocks"])
