"""An admin acts on the pairs of the programmes they run, never on another's: reopening by name, and the
Resume button and the end form, which carry a pair's id (an old message, or a forged one), all look at the
pair's programme first."""

from __future__ import annotations

import json
from datetime import timedelta

from domain.statuses import PairStatus
from prompts.pair_changes import RESUME_ACTION
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Member, Workspace
from store import programmes
from store.models import Pair
from tests.factories import TEAM, make_pair, make_programme
from tests.handlers.admin_helpers import command_reply, open_modal, text_of

BOARD_ADMIN, EMEA_ADMIN = "U0ADMIN", "U0OTHER"


async def _two_programmes(workspace: Workspace, db, clock, **emea_pair: object) -> tuple[Pair, Pair]:
    """Board pilot (U0ADMIN runs it): Priya and Tom. EMEA cohort (Léo runs it): Sam and Ana, as given."""
    for user_id, name in (("U0SAM", "Sam Okoro"), ("U0ANA", "Ana Lima")):
        workspace.add_member(Member(id=user_id, name=name.split()[0].lower(), real_name=name, tz="Europe/Berlin", email=f"{user_id.lower()}@example.com"))
    async with db.begin() as session:
        board = await make_programme(session, now=clock.now(), name="Board pilot")
        emea = await make_programme(session, now=clock.now(), name="EMEA cohort", admin_id=EMEA_ADMIN)
        board_pair = await make_pair(session, programme=board, now=clock.now())
        other = await make_pair(session, programme=emea, now=clock.now(), mentor_id="U0SAM", mentee_id="U0ANA", **emea_pair)
    return board_pair, other


async def _status(db, pair_id: int) -> str:
    async with db() as session:
        return (await session.get(Pair, pair_id)).status


async def test_reopen_names_only_an_ended_pair_in_the_admins_programme(slack: SlackRequests, workspace: Workspace, db, clock):
    _, other = await _two_programmes(workspace, db, clock, status=PairStatus.ENDED, ended_at=clock.now() - timedelta(days=1))
    reply = await command_reply(slack, workspace, BOARD_ADMIN, "admin reopen <@U0SAM|sam>")
    assert "<@U0SAM> has no ended pair" in text_of(reply)
    assert await _status(db, other.id) == PairStatus.ENDED
    reply = await command_reply(slack, workspace, EMEA_ADMIN, "admin reopen <@U0SAM|sam>")  # its own admin may
    assert "is reopened" in text_of(reply)
    assert await _status(db, other.id) == PairStatus.ACTIVE


async def test_a_resume_button_for_a_pair_in_another_programme_changes_nothing(slack: SlackRequests, workspace: Workspace, db, clock):
    _, other = await _two_programmes(workspace, db, clock, status=PairStatus.PAUSED)
    resume = {"type": "button", "action_id": RESUME_ACTION, "value": str(other.id)}
    await slack.block_action(BOARD_ADMIN, resume, message={"ts": "1.1", "text": "paused", "blocks": []})
    await workspace.wait_until(lambda: any("resume" in text_of(reply).lower() for reply in workspace.responses))
    assert await _status(db, other.id) == PairStatus.PAUSED
    assert not workspace.dm_messages("U0SAM") and not workspace.dm_messages("U0ANA")


async def test_an_end_form_for_a_pair_in_another_programme_ends_nothing(slack: SlackRequests, workspace: Workspace, db, clock):
    board_pair, other = await _two_programmes(workspace, db, clock)
    view = await open_modal(slack, workspace, BOARD_ADMIN, "admin end <@U0MENTEE|tom>")  # a form for their own pair
    forged = {**view, "private_metadata": json.dumps({**json.loads(view["private_metadata"]), "pair_id": other.id})}
    assert (await slack.view_submission(BOARD_ADMIN, forged, {})).status == 200
    await workspace.wait_until(lambda: bool(workspace.dm_messages(BOARD_ADMIN)))
    assert await _status(db, other.id) == PairStatus.ACTIVE and await _status(db, board_pair.id) == PairStatus.ACTIVE
    assert not workspace.dm_messages("U0SAM") and not workspace.dm_messages("U0ANA")


async def test_an_admin_of_two_is_told_the_person_has_no_pair_in_this_programme_not_none_at_all(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        await make_programme(session, now=clock.now(), name="Board pilot")
        emea = await make_programme(session, now=clock.now(), name="EMEA cohort")  # both run by U0ADMIN; EMEA in scope, the newest
        await make_pair(session, programme=emea, now=clock.now(), mentor_id="U0OTHER", mentee_id="U0OWNER")
    async with db.begin() as session:
        board = next(programme for programme in await programmes.running(session, team_id=TEAM) if programme.name == "Board pilot")
        await make_pair(session, programme=board, now=clock.now())
    for text in ("admin pause <@U0MENTEE|tom>", "admin end <@U0MENTEE|tom>"):
        reply = text_of(await command_reply(slack, workspace, BOARD_ADMIN, text))
        assert "About *EMEA cohort*" in reply
        assert "<@U0MENTEE> isn't in a pair in this programme" in reply and "/mentor programme" in reply
