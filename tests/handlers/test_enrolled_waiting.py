"""Someone enrolled but not yet paired is told so: enrolled, as what, and that the admin will pair them."""

from __future__ import annotations

from bot.clock import ManualClock
from bot.runtime import Runtime
from domain.roles import Role
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import enrolments
from tests.factories import TEAM, make_programme
from tests.handlers.pairing_support import text_of


async def _enrol(bot: Runtime, clock: ManualClock, user_id: str, role: Role) -> None:
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now(), name="Spring <b>cohort</b>")
        await enrolments.enrol(session, team_id=TEAM, programme_id=programme.id, user_id=user_id, role=role, now=clock.now())


async def test_an_enrolled_reverse_mentor_not_yet_paired_sees_that_on_home(slack: SlackRequests, workspace: Workspace, bot, clock):
    await _enrol(bot, clock, "U0OTHER", Role.MENTOR)

    await slack.app_home_opened("U0OTHER")
    await workspace.wait_until(lambda: "U0OTHER" in workspace.home_views)

    text = text_of(workspace.home_views["U0OTHER"]["blocks"])
    assert "You're enrolled in *Spring &lt;b&gt;cohort&lt;/b&gt;* as a *reverse-mentor*." in text
    assert "Your programme admin will pair you with a mentee" in text


async def test_an_enrolled_mentee_not_yet_paired_is_told_so_in_the_reply_to_mentor(slack: SlackRequests, bot, clock):
    await _enrol(bot, clock, "U0OTHER", Role.MENTEE)

    body = await slack.command_reply("U0OTHER", "")

    text = text_of(body["blocks"])
    assert "You're enrolled in *Spring &lt;b&gt;cohort&lt;/b&gt;* as a *mentee*." in text
    assert "Your programme admin will pair you with a reverse-mentor" in text


async def test_someone_neither_enrolled_nor_paired_still_sees_the_welcome(slack: SlackRequests, workspace: Workspace, bot, clock):
    await _enrol(bot, clock, "U0MENTOR", Role.MENTOR)

    await slack.app_home_opened("U0OTHER")
    await workspace.wait_until(lambda: "U0OTHER" in workspace.home_views)

    text = text_of(workspace.home_views["U0OTHER"]["blocks"])
    assert "Welcome to Flipside" in text and "enrolled" not in text
