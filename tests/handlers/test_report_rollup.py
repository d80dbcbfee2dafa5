"""`/mentor admin report all`: the roll-up across the running programmes someone administers (every
running programme for a Slack workspace admin or owner), each figure through the disclosure gate, and
the differencing attack on its total."""

from __future__ import annotations

import re

from sqlmodel import select

from domain.statuses import ProgrammeStatus
from prompts import report as report_words
from prompts import report_rollup as words
from prompts.admin_home import ADMIN_ROLLUP
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import Programme, ProgrammeAdmin, ReleasedFigure
from tests.factories import make_pair, make_programme
from tests.factories_history import at, held, make_session
from tests.handlers.test_admin_home import button

MADE = at("2026-03-01T09:00:00")
TAKEN = at("2026-03-25T10:00:00")


async def seed_programmes(bot, *, small_k: int = 5) -> dict[str, int]:
    """Three running programmes. The board pilot (U0ADMIN's): three pairs, six people who answered
    safety (4.2 on average) and who led. The regional pilot (U0ADMIN's too): one pair, both answering
    safety 1, below any k. Sales mentoring (U0OTHER's only): one pair, one session held."""
    async with bot.services.sessions.begin() as session:
        board = await make_programme(session, now=MADE, name="Board pilot")
        for index, safety in enumerate(((5, 4), (4, 4), (4, 4))):
            pair = await make_pair(session, programme=board, now=MADE, mentor_id=f"U0BM{index}", mentee_id=f"U0BE{index}")
            await held(session, pair, f"2026-03-1{index}T10:00:00", led=("mentor", "balanced"), safety=safety)
        await make_session(session, pair=pair, starts_at=at("2026-04-02T10:00:00"), status="booked")
        regional = await make_programme(session, now=MADE, name="Regional pilot", k_anonymity=small_k)
        pair = await make_pair(session, programme=regional, now=MADE, mentor_id="U0RM", mentee_id="U0RE")
        await held(session, pair, "2026-03-12T10:00:00", led=("mentee", "mentee"), safety=(1, 1))
        await make_session(session, pair=pair, starts_at=at("2026-03-19T10:00:00"), status="cancelled", cancelled_by="U0RE")
        sales = await make_programme(session, now=MADE, name="Sales mentoring", admin_id="U0OTHER")
        pair = await make_pair(session, programme=sales, now=MADE, mentor_id="U0SM", mentee_id="U0SE")
        await held(session, pair, "2026-03-13T10:00:00")
        return {"board": board.id, "regional": regional.id, "sales": sales.id}


def rows(reply: dict) -> dict[str, dict[str, str]]:
    """Each row of the roll-up by its title (the programme's name, or the total): field name -> value."""
    found = {}
    for block in reply["blocks"]:
        if block["type"] == "section" and "fields" in block:
            title = block["text"]["text"].split("\n")[0].strip("*")
            found[title] = dict(field["text"].strip("*").split("*\n", 1) for field in block["fields"])
    return found


def people_and_average(value: str) -> tuple[float, int] | None:
    found = re.match(r"([\d.]+) out of 5 \((\d+) people\)", value)
    return (float(found.group(1)), int(found.group(2))) if found else None


async def test_an_admin_of_two_programmes_sees_both_and_their_total_but_not_a_programme_they_do_not_run(bot, slack: SlackRequests, clock):
    await seed_programmes(bot)
    clock.set(TAKEN)
    reply = await slack.command_reply("U0ADMIN", "admin report all")
    shown = rows(reply)
    assert list(shown) == ["All programmes together", "Board pilot", "Regional pilot"]  # not Sales mentoring, U0OTHER's
    assert "Sales mentoring" not in str(reply)
    assert shown["Board pilot"]["Sessions"] == "3 held, 1 booked ahead"
    assert shown["Regional pilot"]["Sessions"] == "1 held, 0 booked ahead"
    assert shown["All programmes together"]["Sessions"] == "4 held, 1 booked ahead"
    assert shown["All programmes together"]["Cancelled"].startswith("1 (0 at short notice); by reverse-mentors 0, by mentees 1")
    assert shown["All programmes together"]["Pairs"] == "4 active, 0 paused, 0 ended"
    assert shown["Board pilot"]["Psychological safety"] == "4.2 out of 5 (6 people)"


async def test_a_programme_below_k_cannot_be_recovered_by_subtracting_the_other_rows_from_the_total(bot, slack: SlackRequests, clock):
    await seed_programmes(bot)
    clock.set(TAKEN)
    shown = rows(await slack.command_reply("U0ADMIN", "admin report all"))
    assert shown["Regional pilot"]["Psychological safety"] == report_words.NOT_ENOUGH
    assert shown["Regional pilot"]["Who led"] == report_words.NOT_ENOUGH_PEOPLE
    # The attack: total x people - board x people = the regional pair's answers. The regional pair's two
    # answers of 1 would make the total "3.4 out of 5 (8 people)" and give 8 x 3.4 - 6 x 4.2 = 2 = 1 + 1.
    total, board = people_and_average(shown["All programmes together"]["Psychological safety"]), people_and_average(shown["Board pilot"]["Psychological safety"])
    assert total is not None and board is not None
    recovered_people = total[1] - board[1]
    assert recovered_people == 0 and total == board
    # Who led: the regional pair's session led by the mentee is in no share of the total either.
    assert shown["All programmes together"]["Who led"] == shown["Board pilot"]["Who led"]


async def test_the_total_is_withheld_when_it_covers_fewer_people_than_the_strictest_k(bot, slack: SlackRequests, clock):
    await seed_programmes(bot, small_k=7)
    clock.set(TAKEN)
    reply = await slack.command_reply("U0ADMIN", "admin report all")
    shown = rows(reply)
    assert shown["Board pilot"]["Psychological safety"] == "4.2 out of 5 (6 people)"  # the board pilot's own k is 5
    assert shown["All programmes together"]["Psychological safety"] == report_words.NOT_ENOUGH  # 6 people, the strictest k is 7
    assert shown["All programmes together"]["Who led"] == report_words.NOT_ENOUGH_PEOPLE
    assert "only over at least 7 people" in str(reply)


async def test_the_roll_up_records_each_programmes_releases_as_the_single_report_does(bot, slack: SlackRequests, clock):
    ids = await seed_programmes(bot)
    clock.set(TAKEN)
    await slack.command_reply("U0ADMIN", "admin report all")
    async with bot.services.sessions.begin() as session:
        released = {(row.programme_id, row.figure) for row in (await session.exec(select(ReleasedFigure))).all() if row.released_at is not None}
    assert (ids["board"], "safety") in released
    assert (ids["regional"], "safety") not in released
    assert not [programme_id for programme_id, _ in released if programme_id == ids["sales"]]


async def test_a_workspace_owner_sees_every_running_programme(bot, slack: SlackRequests, clock):
    await seed_programmes(bot)
    clock.set(TAKEN)
    reply = await slack.command_reply("U0OWNER", "admin report all")
    shown = rows(reply)
    assert list(shown) == ["All programmes together", "Board pilot", "Regional pilot", "Sales mentoring"]
    assert shown["All programmes together"]["Sessions"] == "5 held, 1 booked ahead"
    assert "All 3 running programmes in this workspace" in str(reply)


async def test_a_closed_programme_is_left_out(bot, slack: SlackRequests, clock):
    ids = await seed_programmes(bot)
    async with bot.services.sessions.begin() as session:
        regional = (await session.exec(select(Programme).where(Programme.id == ids["regional"]))).one()
        regional.status = ProgrammeStatus.CLOSED
        session.add(regional)
    clock.set(TAKEN)
    reply = await slack.command_reply("U0OWNER", "admin report all")
    assert list(rows(reply)) == ["All programmes together", "Board pilot", "Sales mentoring"]


async def test_an_admin_of_one_programme_gets_its_report_with_a_note_about_the_roll_up(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed_programmes(bot)
    clock.set(TAKEN)
    reply = await slack.command_reply("U0OTHER", "admin report all")
    await workspace.wait_for_calls("files.completeUploadExternal")  # its chart, as the single report says
    text = str(reply["blocks"])
    assert "Sales mentoring: how the programme is going" in text
    assert words.ONE_PROGRAMME in text
    assert "Board pilot" not in text and "Regional pilot" not in text


async def test_someone_who_runs_no_programme_is_refused_and_told_whom_to_ask(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed_programmes(bot)
    clock.set(TAKEN)
    reply = await slack.command_reply("U0MENTOR", "admin report all")
    assert reply["text"] == words.refused(["U0ADMIN", "U0OTHER"])
    assert "<@U0ADMIN>, <@U0OTHER>" in reply["text"]
    assert workspace.calls_to("files.getUploadURLExternal") == []


async def test_with_no_programme_running_the_roll_up_points_to_setup(bot, slack: SlackRequests):
    reply = await slack.command_reply("U0OWNER", "admin report all")
    assert reply["text"] == report_words.NO_PROGRAMME


async def test_the_single_report_still_answers_admin_report(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed_programmes(bot)
    clock.set(TAKEN)
    reply = await slack.command_reply("U0OTHER", "admin report")
    await workspace.wait_for_calls("files.completeUploadExternal")
    assert words.ONE_PROGRAMME not in str(reply["blocks"])


async def test_all_programmes_on_the_admin_home_sends_the_roll_up_to_the_dm(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed_programmes(bot)
    async with bot.services.sessions.begin() as session:  # U0ADMIN runs the newest programme too, so their Home is the admin's
        session.add(ProgrammeAdmin(team_id="T0FLIPSIDE", programme_id=(await session.exec(select(Programme).where(Programme.name == "Sales mentoring"))).one().id, user_id="U0ADMIN"))
    clock.set(TAKEN)
    await slack.app_home_opened("U0ADMIN")
    await workspace.wait_for_calls("views.publish")
    view = workspace.home_views["U0ADMIN"]
    await slack.block_action("U0ADMIN", button(view, ADMIN_ROLLUP), view=view)
    [posted] = await workspace.wait_for_calls("chat.postMessage")
    assert posted.args["channel"] == "U0ADMIN"
    assert list(rows(posted.args)) == ["All programmes together", "Board pilot", "Regional pilot", "Sales mentoring"]
