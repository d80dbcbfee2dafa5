"""A person deactivated in Slack mid-programme (`user_change`): their pair is paused so nothing more goes
to either side, their partner gets a kind note and the programme's admins what they can do, once;
nothing at all for someone in no pair; reactivated, only the mark is cleared."""

from datetime import timedelta

from sqlmodel import select

from bot.runtime import Runtime
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import people
from store.models import Pair
from tests.factories import TEAM, make_charter, make_pair, make_programme
from tests.handlers.admin_helpers import dms_to


async def _paired(db, clock) -> Pair:
    async with db.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now())
        await make_charter(session, pair=pair, now=clock.now())
        return pair


async def _status(db, pair_id: int) -> tuple[str, object]:
    async with db() as session:
        pair = (await session.exec(select(Pair).where(Pair.id == pair_id))).one()
        return pair.status, pair.paused_until


async def test_a_deactivated_mentee_pauses_the_pair_and_the_partner_and_admin_are_told(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock)
    response = await slack.set_deactivated("U0MENTEE")
    assert response.status == 200
    await workspace.wait_for_calls("chat.postMessage", 2)
    assert await _status(db, pair.id) == ("paused", None)
    [to_partner] = dms_to(workspace, "U0MENTOR")
    assert "Your mentee <@U0MENTEE> is no longer in this workspace, so I've put your pair on hold" in to_partner
    assert "Your programme admin will be in touch" in to_partner
    [to_admin] = dms_to(workspace, "U0ADMIN")
    assert "<@U0MENTEE> (mentee) has been deactivated in Slack, so I've paused their pair with <@U0MENTOR>" in to_admin
    assert "`/mentor admin end @someone` naming <@U0MENTOR>" in to_admin
    assert "`/mentor admin pair @mentor @mentee`" in to_admin
    assert not dms_to(workspace, "U0MENTEE")  # Slack would refuse a DM to them anyway


async def test_a_second_user_change_for_the_same_person_tells_no_one_again(slack: SlackRequests, workspace: Workspace, db, clock):
    await _paired(db, clock)
    await slack.set_deactivated("U0MENTEE")
    await workspace.wait_for_calls("chat.postMessage", 2)
    await slack.set_deactivated("U0MENTEE")  # e.g. an admin edits the deactivated account's profile
    await slack.direct_message("U0OTHER", "help")  # events are handled in turn: once this is answered, the second was too
    await workspace.wait_until(lambda: bool(dms_to(workspace, "U0OTHER")))
    assert len(dms_to(workspace, "U0MENTOR")) == 1
    assert len(dms_to(workspace, "U0ADMIN")) == 1


async def test_someone_in_no_pair_who_is_deactivated_changes_nothing_and_tells_no_one(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock)
    await slack.set_deactivated("U0OTHER")
    await slack.direct_message("U0OWNER", "help")
    await workspace.wait_until(lambda: bool(dms_to(workspace, "U0OWNER")))
    assert {call.args["channel"] for call in workspace.calls_to("chat.postMessage")} <= {"U0OWNER", workspace.dm_channel("U0OWNER")}
    assert await _status(db, pair.id) == ("active", None)
    async with db() as session:
        assert await people.get_person(session, team_id=TEAM, user_id="U0OTHER") is None


async def test_nothing_more_goes_to_either_side_once_the_pair_is_paused(bot: Runtime, slack: SlackRequests, workspace: Workspace, db, clock):
    await _paired(db, clock)
    await slack.set_deactivated("U0MENTOR")
    await workspace.wait_for_calls("chat.postMessage", 2)
    told = len(workspace.calls_to("chat.postMessage"))
    for _ in range(8):  # two months with no session booked: an active pair would be nudged up the ladder
        clock.advance(timedelta(days=7))
        await bot.sweep_now()
    later = workspace.calls_to("chat.postMessage")[told:]
    assert [call for call in later if call.args["channel"] == "U0MENTEE"] == []
    # A programme-wide survey may still try the person who left: Slack refuses (account_inactive), and
    # that is settled at once, never tried again.
    tries = [call.args["metadata"]["event_payload"]["key"] for call in later if call.args["channel"] == "U0MENTOR"]
    assert len(tries) == len(set(tries))


async def test_an_active_pair_left_alone_is_nudged_in_the_same_two_months(bot: Runtime, slack: SlackRequests, workspace: Workspace, db, clock):
    # The control for the test above: without the departure, the same sweeps do send.
    await _paired(db, clock)
    for _ in range(8):
        clock.advance(timedelta(days=7))
        await bot.sweep_now()
    assert workspace.calls_to("chat.postMessage")


async def test_reactivated_the_mark_is_cleared_but_the_pair_waits_for_the_admin(slack: SlackRequests, workspace: Workspace, db, clock):
    pair = await _paired(db, clock)
    await slack.set_deactivated("U0MENTEE")
    await workspace.wait_for_calls("chat.postMessage", 2)
    await slack.set_deactivated("U0MENTEE", False)

    async def cleared() -> bool:
        async with db() as session:
            person = await people.get_person(session, team_id=TEAM, user_id="U0MENTEE")
            return person is not None and person.left_at is None

    for _ in range(50):
        if await cleared():
            break
        await workspace.wait_until(lambda: False, within=0.05)
    assert await cleared()
    assert await _status(db, pair.id) == ("paused", None)
    assert len(workspace.calls_to("chat.postMessage")) == 2
    # Deactivated again later: a new departure, told again.
    await slack.set_deactivated("U0MENTEE")
    await workspace.wait_for_calls("chat.postMessage", 4)
    assert len(dms_to(workspace, "U0MENTOR")) == 2


async def test_with_several_programmes_the_partner_and_admin_are_told_which_pair_and_how_to_reach_it(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        board = await make_programme(session, now=clock.now(), name="Board pilot")
        emea = await make_programme(session, now=clock.now(), name="EMEA cohort")  # Amara runs both; EMEA is the newest
        board_pair = await make_pair(session, programme=board, now=clock.now())  # Priya mentors Tom here
        await make_pair(session, programme=emea, now=clock.now(), mentor_id="U0MENTOR", mentee_id="U0OTHER")  # and Léo there
    await slack.set_deactivated("U0MENTEE")
    await workspace.wait_for_calls("chat.postMessage", 2)
    assert (await _status(db, board_pair.id))[0] == "paused"
    [to_partner] = dms_to(workspace, "U0MENTOR")
    assert "I've put your pair in *Board pilot* on hold" in to_partner
    [to_admin] = dms_to(workspace, "U0ADMIN")
    assert "A pair in Board pilot is on hold" in to_admin
    assert "`/mentor programme Board pilot`" in to_admin  # the commands below act on the programme chosen


async def test_with_one_programme_nobody_is_told_its_name(slack: SlackRequests, workspace: Workspace, db, clock):
    await _paired(db, clock)
    await slack.set_deactivated("U0MENTEE")
    await workspace.wait_for_calls("chat.postMessage", 2)
    assert "Spring cohort" not in " ".join(dms_to(workspace, "U0MENTOR") + dms_to(workspace, "U0ADMIN"))
    assert "/mentor programme" not in " ".join(dms_to(workspace, "U0ADMIN"))
