"""Several programmes in one workspace: each reply says which one it is about, `/mentor programme`
switches, admins act only on their own, and a person in two pairs works in the one they chose."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.sweep.programme_close import FINAL_REPORT_AFTER_DAYS, final_reports
from domain.roles import Role
from prompts.programmes import CHOOSE_ACTION
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import enrolments, programmes
from store.models import MentoringSession, Outbox
from tests.factories import TEAM, make_pair, make_programme
from tests.handlers.admin_helpers import command_reply, text_of

PRIYA, TOM, LEO = "U0MENTOR", "U0MENTEE", "U0OTHER"


async def _two_programmes(db, clock, *, emea_admin: str = "U0ADMIN"):
    async with db.begin() as session:
        board = await make_programme(session, now=clock.now(), name="Board pilot", cadence_days=30)
        emea = await make_programme(session, now=clock.now(), name="EMEA cohort", cadence_days=14, admin_id=emea_admin)
    return board, emea


def _about(reply: dict) -> str | None:
    """The programme line a reply starts with, if any."""
    first = (reply.get("blocks") or [{}])[0]
    return text_of({"blocks": [first]}) if first.get("type") == "context" and "one of your" in str(first) else None


async def test_with_one_programme_it_is_picked_silently(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        programme = await make_programme(session, now=clock.now(), name="Board pilot")
    reply = await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentor <@U0OTHER|leo>")
    assert _about(reply) is None
    async with db() as session:
        assert await enrolments.get_enrolment(session, team_id=TEAM, programme_id=programme.id, user_id=LEO) is not None


async def test_an_admin_of_two_is_told_which_each_reply_is_about_and_acts_on_the_one_chosen(slack: SlackRequests, workspace: Workspace, db, clock):
    board, emea = await _two_programmes(db, clock)
    reply = await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentor <@U0OTHER|leo>")
    assert "About *EMEA cohort* (one of your 2 programmes)" in _about(reply)
    chosen = await command_reply(slack, workspace, "U0ADMIN", "programme  board PILOT ")
    assert "now about *Board pilot*" in text_of(chosen)
    reply = await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentee <@U0MENTEE|tom>")
    assert "About *Board pilot*" in _about(reply)
    async with db() as session:
        assert await enrolments.get_enrolment(session, team_id=TEAM, programme_id=emea.id, user_id=LEO) is not None
        assert await enrolments.get_enrolment(session, team_id=TEAM, programme_id=board.id, user_id=TOM) is not None
        assert await enrolments.get_enrolment(session, team_id=TEAM, programme_id=emea.id, user_id=TOM) is None


async def test_an_admin_of_one_programme_can_neither_choose_nor_act_on_another(slack: SlackRequests, workspace: Workspace, db, clock):
    board, emea = await _two_programmes(db, clock, emea_admin=LEO)
    refused = await command_reply(slack, workspace, "U0ADMIN", "programme EMEA cohort")
    assert "None of your programmes is called" in text_of(refused) and "*Board pilot*" in text_of(refused)
    reply = await command_reply(slack, workspace, "U0ADMIN", "admin enrol mentor <@U0MENTOR|priya>")
    assert _about(reply) is None  # only one of the two is theirs
    async with db() as session:
        assert await enrolments.get_enrolment(session, team_id=TEAM, programme_id=board.id, user_id=PRIYA) is not None
        assert await enrolments.get_enrolment(session, team_id=TEAM, programme_id=emea.id, user_id=PRIYA) is None
        assert await programmes.chosen_programme_id(session, team_id=TEAM, user_id="U0ADMIN") is None


async def _priya_in_two_pairs(db, clock):
    board, emea = await _two_programmes(db, clock)
    async with db.begin() as session:
        board_pair = await make_pair(session, programme=board, now=clock.now(), mentor_id=PRIYA, mentee_id=TOM)
        emea_pair = await make_pair(session, programme=emea, now=clock.now(), mentor_id=PRIYA, mentee_id=LEO)
    return board, emea, board_pair, emea_pair


async def test_someone_in_two_pairs_switches_with_a_button_and_books_in_that_pair(slack: SlackRequests, workspace: Workspace, db, clock):
    board, _, board_pair, _ = await _priya_in_two_pairs(db, clock)
    listing = await command_reply(slack, workspace, PRIYA, "programme")
    assert "Your commands are about *EMEA cohort*" in text_of(listing)
    [switch] = [element for block in listing["blocks"] if block["type"] == "actions" for element in block["elements"]]
    assert (switch["action_id"], switch["value"]) == (f"{CHOOSE_ACTION}_0", str(board.id))

    await slack.block_action(PRIYA, {**switch, "type": "button"}, message={"ts": "1.1", "text": listing["text"], "blocks": listing["blocks"]})
    await workspace.wait_until(lambda: any("now about *Board pilot*" in text_of(reply) for reply in workspace.responses))

    reply = await command_reply(slack, workspace, PRIYA, "schedule next tuesday 6:30pm")  # 9:00 for Tom in New York
    assert "About *Board pilot*" in _about(reply)
    async with db() as session:
        [booked] = (await session.exec(select(MentoringSession))).all()
        reminders = (await session.exec(select(Outbox).where(Outbox.kind == "reminder"))).all()
    assert booked.pair_id == board_pair.id
    # Priya is in two programmes: her reminders name this one; Tom, in one, gets no such line.
    assert {row.recipient_id for row in reminders} == {PRIYA, TOM}
    assert all(("Programme:* Board pilot" in row.payload) == (row.recipient_id == PRIYA) for row in reminders)


async def test_a_forged_switch_to_a_programme_not_theirs_changes_nothing(slack: SlackRequests, workspace: Workspace, db, clock):
    board, emea = await _two_programmes(db, clock, emea_admin=LEO)
    async with db.begin() as session:
        await enrolments.enrol(session, team_id=TEAM, programme_id=board.id, user_id=TOM, role=Role.MENTEE, now=clock.now())
    forged = {"action_id": CHOOSE_ACTION, "value": str(emea.id), "type": "button"}
    await slack.block_action(TOM, forged, message={"ts": "1.1", "text": "Your programmes", "blocks": []})
    await workspace.wait_until(lambda: any("not one of yours" in text_of(reply) for reply in workspace.responses))
    async with db() as session:
        assert await programmes.chosen_programme_id(session, team_id=TEAM, user_id=TOM) is None


async def test_the_home_of_someone_in_two_says_which_it_shows_and_offers_the_other(slack: SlackRequests, workspace: Workspace, db, clock):
    board, _, _, _ = await _priya_in_two_pairs(db, clock)
    await slack.app_home_opened(PRIYA)
    await slack.app_home_opened(TOM)
    await workspace.wait_for_calls("views.publish", 2)
    priya, tom = workspace.home_views[PRIYA]["blocks"], workspace.home_views[TOM]["blocks"]
    assert "About *EMEA cohort* (one of your 2 programmes)" in text_of({"blocks": priya[:1]})
    assert "<@U0OTHER>" in text_of({"blocks": priya[:4]})  # the EMEA pair: Priya mentors Léo there
    assert [(element["text"]["text"], element["value"]) for element in priya[1]["elements"]] == [("Switch to Board pilot", str(board.id))]
    assert "one of your" not in str(tom)


async def test_closing_one_programme_leaves_the_other_running(bot, clock):
    now = clock.now()
    async with bot.services.sessions.begin() as session:
        ended = await make_programme(session, now=now - timedelta(days=200), name="Board pilot", ends_on=(now - timedelta(days=FINAL_REPORT_AFTER_DAYS + 1)).date())
        running = await make_programme(session, now=now, name="EMEA cohort")
    await final_reports(bot.services, now)
    async with bot.services.sessions() as session:
        assert [programme.id for programme in await programmes.running(session, team_id=TEAM)] == [running.id]
        assert (await programmes.get_programme(session, team_id=TEAM, programme_id=ended.id)).status == "closed"

