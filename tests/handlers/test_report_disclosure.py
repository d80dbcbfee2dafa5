"""The disclosure gate attacked through the real app (issue 14, findings 1, 2 and 4): an admin who
takes the report, the CSV, the chart and the peer post before and after one more person answers
learns nothing about that person's answer; a programme stored with k=2 shows nothing over fewer than 5."""

import csv
import re
from datetime import datetime
from io import StringIO

from sqlmodel import select

from bot.sweep.steps import sweep
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import MentoringSession, Outbox, Pair, Programme, Reflection
from tests.factories import make_pair, make_programme
from tests.factories_history import at, held, make_reflection, make_session
from tests.handlers.test_report import wait_for_responses

FIRST_TAKE = at("2026-03-25T10:00:00")
NEWCOMER_MENTOR, NEWCOMER = "U0M4", "U0E4"


async def seed_six_who_answered(bot, **programme_fields) -> None:
    """Three pairs, six people who answered safety and who led; a fourth pair held a session whose
    mentee has not reflected yet (so the newcomer's answer is the only thing that changes later)."""
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=at("2026-03-01T09:00:00"), peer_channel_id="C0MENTORS", **programme_fields)
        for index, (safety, led) in enumerate((((5, 4), ("mentor", "mentor")), ((4, 4), ("mentor", "balanced")), ((4, 4), ("balanced", "mentor")))):
            pair = await make_pair(session, programme=programme, now=at("2026-03-01T09:00:00"), mentor_id=f"U0M{index + 1}", mentee_id=f"U0E{index + 1}")
            await held(session, pair, f"2026-03-1{index}T10:00:00", led=led, safety=safety)
        newcomers = await make_pair(session, programme=programme, now=at("2026-03-01T09:00:00"), mentor_id=NEWCOMER_MENTOR, mentee_id=NEWCOMER)
        await make_session(session, pair=newcomers, starts_at=at("2026-03-20T10:00:00"))


async def newcomer_answers(bot, *, safety: int = 1, led: str = "mentee") -> None:
    async with bot.services.sessions.begin() as session:
        pair = (await session.exec(select(Pair).where(Pair.mentee_id == NEWCOMER))).one()
        meeting = (await session.exec(select(MentoringSession).where(MentoringSession.pair_id == pair.id))).one()
        asked = (await session.exec(select(Reflection).where(Reflection.session_id == meeting.id, Reflection.author_id == NEWCOMER))).first()
        if asked is None:
            await make_reflection(session, meeting=meeting, author_id=NEWCOMER, led_by=led, safety=safety, new_insight=True)
        else:  # the sweep has asked already: the newcomer answers that prompt
            asked.led_by, asked.safety, asked.new_insight, asked.completed_at = led, safety, True, at("2026-03-24T10:00:00")
            session.add(asked)


def field(text: str, name: str) -> str:
    found = re.search(rf"\*{name}\*\\n([^'\"]*)", text)
    return found.group(1) if found else ""


async def take_everything(slack: SlackRequests, workspace: Workspace) -> dict[str, object]:
    """What an admin can read: the report's figures, the chart (as drawn) and the CSV."""
    responses_before = len(workspace.responses)
    uploads_before = len(workspace.calls_to("files.completeUploadExternal"))
    await slack.command("U0ADMIN", "admin report")
    reply = (await wait_for_responses(workspace, responses_before + 1))[-1]
    chart = (await workspace.wait_for_calls("files.completeUploadExternal", uploads_before + 1))[-1]
    await slack.command("U0ADMIN", "admin export")
    export = (await workspace.wait_for_calls("files.completeUploadExternal", uploads_before + 2))[-1]
    await wait_for_responses(workspace, responses_before + 2)  # the export's own reply, so a later command's is the next
    text = str(reply["blocks"])
    return {
        "safety": field(text, "Psychological safety"),
        "who led": field(text, "Who led"),
        "chart": workspace.files[chart.args["files"][0]["id"]]["content"],
        "csv": workspace.files[export.args["files"][0]["id"]]["content"].decode(),
    }


async def peer_post(bot, now: datetime) -> str:
    await sweep(bot.services, bot.clients, now)
    async with bot.services.sessions.begin() as session:
        posts = (await session.exec(select(Outbox).where(Outbox.kind == "peer_support").order_by(Outbox.id))).all()
    return re.search(r"Who led: ([^\\\"]*)", posts[-1].payload).group(1)


async def test_one_more_answer_changes_no_figure_an_admin_can_take(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed_six_who_answered(bot)
    clock.set(FIRST_TAKE)
    first = await take_everything(slack, workspace)
    first_post = await peer_post(bot, FIRST_TAKE)
    assert first["safety"].startswith("4.2 out of 5 (6 people)") and first["who led"].startswith("reverse-mentor")

    await newcomer_answers(bot, safety=1, led="mentee")
    second = await take_everything(slack, workspace)
    second_post = await peer_post(bot, at("2026-04-02T10:00:00"))

    assert second["safety"] == first["safety"]  # not "3.7 out of 5 (7 people)": 7 x 3.7 - 6 x 4.2 = the newcomer's 1
    assert second["who led"] == first["who led"]
    assert second["chart"] == first["chart"]  # March's who-led shares as released, not with the newcomer's session
    assert second["csv"] == first["csv"]
    assert second_post == first_post


async def test_the_figures_change_once_five_more_people_have_answered(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed_six_who_answered(bot)
    clock.set(FIRST_TAKE)
    first = await take_everything(slack, workspace)
    await newcomer_answers(bot, safety=1)
    async with bot.services.sessions.begin() as session:
        programme = (await session.exec(select(Programme))).one()
        for index in range(5, 7):  # four more people: with the newcomer, five new answers
            pair = await make_pair(session, programme=programme, now=at("2026-03-01T09:00:00"), mentor_id=f"U0M{index}", mentee_id=f"U0E{index}")
            await held(session, pair, f"2026-03-2{index}T10:00:00", led=("mentor", "mentor"), safety=(2, 2))
    second = await take_everything(slack, workspace)
    assert second["safety"] != first["safety"] and "(11 people)" in second["safety"]


async def test_the_csv_has_no_column_of_answers_per_pair(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed_six_who_answered(bot)
    clock.set(FIRST_TAKE)
    taken = await take_everything(slack, workspace)
    columns = next(csv.reader(StringIO(taken["csv"])))
    assert not [column for column in columns if column.startswith("led_") or "safety" in column or "insight" in column]


async def test_a_programme_stored_with_k_2_shows_nothing_over_fewer_than_5_people(bot, slack: SlackRequests, workspace: Workspace, clock):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=at("2026-03-01T09:00:00"), k_anonymity=2)
        pair = await make_pair(session, programme=programme, now=at("2026-03-01T09:00:00"))
        await held(session, pair, "2026-03-10T10:00:00", led=("mentee", "mentee"), safety=(2, 1))
        await held(session, pair, "2026-03-17T10:00:00", led=("mentor", "mentee"), safety=(2, 1))
    clock.set(FIRST_TAKE)
    taken = await take_everything(slack, workspace)
    assert taken["safety"].startswith("not enough")  # not "1.5 out of 5 (2 people)": one pair's score
    assert taken["who led"].startswith("not enough")


async def test_a_held_figure_says_as_of_when_and_what_releases_it(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed_six_who_answered(bot)
    clock.set(FIRST_TAKE)
    await take_everything(slack, workspace)
    await newcomer_answers(bot)
    responses_before = len(workspace.responses)
    await slack.command("U0ADMIN", "admin report")
    text = str((await wait_for_responses(workspace, responses_before + 1))[-1]["blocks"])
    await workspace.wait_for_calls("files.completeUploadExternal", 3)  # let the chart finish before the bot stops
    assert "psychological safety as of Wed 25 Mar 2026" in text and "who led in Mar 2026 as of Wed 25 Mar 2026" in text
    assert "Each updates once 5 more people have answered" in text
