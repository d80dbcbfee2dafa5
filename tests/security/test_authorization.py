"""Admin actions are for admins; a person's private reflection is for that person.

A participant of the same workspace (U0MENTOR: enrolled, paired, no admin rights) tries every admin
command, admin button and admin modal: each is refused with a clear reply and changes nothing.
Then everyone who could look (the partner, the programme admin, a workspace owner, a bystander)
goes down every path that shows anything of a pair, and no one sees a reflection not meant for them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from bot.runtime import Runtime
from prompts import admin as admin_prompts
from prompts import admin_home as admin_home_prompts
from prompts import admin_safety
from prompts import org_chart as org_prompts
from prompts import pair_changes as pair_change_prompts
from prompts import privacy as privacy_prompts
from prompts import programme_templates as template_prompts
from sandbox.slack_requests import BotResponse, SlackRequests
from sandbox.workspace import Workspace
from tests.conftest import START
from tests.factories import make_pair, make_person, make_programme
from tests.factories_sessions import make_reflection, make_session
from tests.security.conftest import ADMIN, MENTEE, MENTOR, TEAM_A, TeamA
from tests.security.support import fill, row_counts, said, settle, team_rows, uploaded

PARTICIPANT = MENTOR
REFUSED = re.compile(r"only (?:the )?programme(?:'s)? admins", re.IGNORECASE)
A_MESSAGE = {"ts": "1772618400.000001", "text": "", "blocks": []}

ADMIN_COMMANDS = [
    "admin", "admin setup", "admin setup new", "admin enrol", "admin enrol bulk", "admin enrol mentor <@U0MENTOR3>",
    "admin enrol mentee <@U0MENTEE3>", "admin pair", "admin pair <@U0MENTOR3> <@U0MENTEE3>", "admin match",
    "admin pause <@U0MENTEE>", "admin pause <@U0MENTEE> until 2026-05-01", "admin resume <@U0MENTOR2>",
    "admin end <@U0MENTEE>", "admin unpair <@U0MENTEE>", "admin reopen <@U0MENTEE>", "admin report", "admin report all", "admin export", "admin peers <#C0PEERS>",
    "admin peers off", "admin org", "admin template", "admin template save Mine", "admin template delete Reverse mentoring pilot",
    "admin setup new Reverse mentoring pilot",
]
# action id -> the value A's admin would have had on it
ADMIN_ACTIONS: dict[str, Any] = {
    admin_home_prompts.ADMIN_HOME_PREVIOUS: "0",
    admin_home_prompts.ADMIN_HOME_NEXT: "1",
    admin_home_prompts.ADMIN_EXPORT: None,
    admin_home_prompts.ADMIN_ROLLUP: None,
    admin_home_prompts.ADMIN_SETUP_OPEN: None,
    admin_home_prompts.ADMIN_ENROL_OPEN: None,
    admin_home_prompts.ADMIN_PAIR_OPEN: None,
    admin_home_prompts.ADMIN_ORG_OPEN: None,
    pair_change_prompts.RESUME_ACTION: lambda ids: str(ids.paused_pair_id),
    admin_prompts.MATCH_REMOVE_ACTION: "U0MENTOR3:U0MENTEE3",
    admin_prompts.MATCH_MANUAL_ACTION: None,
    template_prompts.START_FROM_ACTION: None,  # chosen in the admin's own set-up form (below)
}
IN_MATCH_MODAL = {admin_prompts.MATCH_REMOVE_ACTION, admin_prompts.MATCH_MANUAL_ACTION}
# callback id -> the command that opens it for the admin
ADMIN_VIEWS = {
    admin_prompts.SETUP_CALLBACK: "admin setup",
    admin_prompts.ENROL_CALLBACK: "admin enrol",
    admin_prompts.BULK_CALLBACK: "admin enrol bulk",
    admin_prompts.PAIR_CALLBACK: "admin pair",
    admin_prompts.MATCH_CALLBACK: "admin match",
    org_prompts.ORG_CALLBACK: "admin org",
    org_prompts.REPORTING_LINE_CALLBACK: "admin pair <@U0MENTOR4> <@U0MENTEE3>",
    admin_safety.END_CALLBACK: "admin end <@U0MENTEE>",
}


async def _unchanged_after(bot: Runtime, workspace: Workspace, act) -> str:
    """Run `act`, wait for the bot, check the store did not move; return everything the bot said meanwhile."""
    await settle()
    since, responses_since = len(workspace.calls), len(workspace.responses)
    rows, counts = await team_rows(bot, TEAM_A), await row_counts(bot)
    replies: list[BotResponse] = list(await act())
    await settle()
    for reply in replies:
        assert reply.status < 500 and "Traceback" not in reply.text, reply.text
    assert await team_rows(bot, TEAM_A) == rows
    assert await row_counts(bot) == counts
    return said(workspace, since=since, responses=replies, response_urls_since=responses_since)


async def _admin_view(slack: SlackRequests, workspace: Workspace, command: str) -> dict[str, Any]:
    await slack.command(ADMIN, command)
    await settle()
    return workspace.modal_stacks[ADMIN][-1]


@pytest.mark.parametrize("text", ADMIN_COMMANDS)
async def test_an_admin_command_is_refused_to_a_participant(bot: Runtime, slack: SlackRequests, workspace: Workspace, team_a: TeamA, text: str):
    async def act():
        return [await slack.command(PARTICIPANT, text)]

    assert REFUSED.search(await _unchanged_after(bot, workspace, act))
    assert workspace.modal_stacks.get(PARTICIPANT) in (None, [])


@pytest.mark.parametrize("action_id", list(ADMIN_ACTIONS))
async def test_an_admin_button_is_refused_to_a_participant(bot: Runtime, slack: SlackRequests, workspace: Workspace, team_a: TeamA, action_id: str):
    value = ADMIN_ACTIONS[action_id]
    action: dict[str, Any] = {"action_id": action_id, "block_id": "b", "type": "button"}
    if value is not None:
        action["value"] = value(team_a) if callable(value) else value
    if action_id in IN_MATCH_MODAL:
        view = await _admin_view(slack, workspace, "admin match")
        where: dict[str, Any] = {"view": view}
    elif action_id == template_prompts.START_FROM_ACTION:
        view = await _admin_view(slack, workspace, "admin setup new")
        action.update(type="static_select", selected_option={"text": {"type": "plain_text", "text": "Pilot"}, "value": "t:Reverse mentoring pilot"})
        where = {"view": view}
    elif action_id == pair_change_prompts.RESUME_ACTION:
        where = {"message": A_MESSAGE}
    else:
        where = {"view": {"id": "V0HOME", "type": "home", "blocks": []}}

    async def act():
        return [await slack.block_action(PARTICIPANT, action, **where)]

    assert REFUSED.search(await _unchanged_after(bot, workspace, act))
    assert workspace.modal_stacks.get(PARTICIPANT) in (None, [])


@pytest.mark.parametrize("callback_id", list(ADMIN_VIEWS))
async def test_an_admin_form_submitted_by_a_participant_is_refused(bot: Runtime, slack: SlackRequests, workspace: Workspace, team_a: TeamA, callback_id: str):
    view = await _admin_view(slack, workspace, ADMIN_VIEWS[callback_id])
    assert view["callback_id"] == callback_id

    typed = "<@U0MENTOR3> <@U0MENTEE3>" if callback_id == admin_prompts.BULK_CALLBACK else None
    chosen = {"mentors": {"selected_users": ["U0MENTOR3"]}, "mentees": {"selected_users": ["U0MENTEE3"]}, "mentor": {"selected_user": "U0MENTOR3"}, "mentee": {"selected_user": "U0MENTEE3"}}

    async def act():
        return [await slack.view_submission(PARTICIPANT, view, fill(view, typed=typed, chosen=chosen))]

    assert REFUSED.search(await _unchanged_after(bot, workspace, act))


# --- private reflections, on every path that shows anything ----------------------------------------

UNSHARED = "UNSHARED-MENTEE-THOUGHT"  # the mentee's, kept private; the mentor has reflected too
EARLY = "EARLY-MENTOR-THOUGHT"  # the mentor's, shared, but the mentee has not reflected on that session


async def _seed_private_reflections(bot: Runtime) -> None:
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=40), admin_id=ADMIN)
        for user_id in (MENTOR, MENTEE, ADMIN):
            await make_person(session, user_id=user_id, now=START)
        pair = await make_pair(session, programme=programme, now=START - timedelta(days=40))
        first = await make_session(session, pair=pair, starts_at=START - timedelta(days=10), status="held")
        second = await make_session(session, pair=pair, starts_at=START - timedelta(days=2), status="held")
        await make_reflection(session, mentoring_session=first, author_id=MENTEE, safety=1, learning=UNSHARED, new_insight=True, shared=False)
        await make_reflection(session, mentoring_session=first, author_id=MENTOR, safety=4, learning="Mentor on the first", new_insight=True, shared=True)
        await make_reflection(session, mentoring_session=second, author_id=MENTOR, safety=2, learning=EARLY, new_insight=True, shared=True)


LOOKING = ["", "help", "reflections", "reflect", "actions", "goals", "charter", "topics", "privacy", "admin report", "admin report all", "admin export"]


async def _everything_shown_to(slack: SlackRequests, workspace: Workspace, user_id: str) -> str:
    await settle()
    since, responses_since, files_before = len(workspace.calls), len(workspace.responses), set(workspace.files)
    replies = [await slack.command(user_id, text) for text in LOOKING]
    replies.append(await slack.app_home_opened(user_id))
    buttons = ((admin_home_prompts.ADMIN_HOME_NEXT, "1"), (admin_home_prompts.ADMIN_HOME_PREVIOUS, "0"), (admin_home_prompts.ADMIN_EXPORT, None), (admin_home_prompts.ADMIN_ROLLUP, None),
               (privacy_prompts.EXPORT_ACTION, None))
    for action_id, value in buttons:
        action = {"action_id": action_id, "block_id": "b", "type": "button", **({"value": value} if value else {})}
        replies.append(await slack.block_action(user_id, action, view={"id": "V0HOME", "type": "home", "blocks": []}))
    await settle()
    return said(workspace, since=since, responses=replies, response_urls_since=responses_since) + "\n".join(uploaded(workspace, since=files_before))


@pytest.mark.parametrize(
    ("viewer", "hidden"),
    [
        (MENTOR, [UNSHARED]),
        (MENTEE, [EARLY]),
        (ADMIN, [UNSHARED, EARLY, "Mentor on the first"]),
        ("U0OWNER", [UNSHARED, EARLY, "Mentor on the first"]),
        ("U0OTHER", [UNSHARED, EARLY, "Mentor on the first"]),
    ],
    ids=["partner-of-unshared", "partner-before-reflecting", "programme-admin", "workspace-owner", "bystander"],
)
async def test_no_path_shows_a_private_reflection_to_anyone_else(bot: Runtime, slack: SlackRequests, workspace: Workspace, viewer: str, hidden: list[str]):
    await _seed_private_reflections(bot)
    shown = await _everything_shown_to(slack, workspace, viewer)
    for text in hidden:
        assert text not in shown


async def test_the_author_does_see_their_own_reflection_so_the_paths_would_show_a_leak(bot: Runtime, slack: SlackRequests, workspace: Workspace):
    await _seed_private_reflections(bot)
    assert UNSHARED in await _everything_shown_to(slack, workspace, MENTEE)
    assert EARLY in await _everything_shown_to(slack, workspace, MENTOR)


async def test_a_personal_export_holds_ones_own_reflections_only(bot: Runtime, slack: SlackRequests, workspace: Workspace):
    await _seed_private_reflections(bot)
    files_before = set(workspace.files)
    await slack.block_action(MENTOR, {"action_id": privacy_prompts.EXPORT_ACTION, "block_id": "b", "type": "button"}, message=A_MESSAGE)
    await settle()
    exported = "\n".join(uploaded(workspace, since=files_before))
    assert EARLY in exported
    assert UNSHARED not in exported


async def test_the_admin_paths_do_run_for_the_admin(bot: Runtime, slack: SlackRequests, workspace: Workspace):
    """The control for the admin: report, export and admin Home are really produced, just without reflections."""
    await _seed_private_reflections(bot)
    files_before = set(workspace.files)
    shown = await _everything_shown_to(slack, workspace, ADMIN)
    assert "views.publish" in {call.method for call in workspace.calls}
    assert any(str(stored.get("name", "")).endswith(".csv") for file_id, stored in workspace.files.items() if file_id not in files_before)
    assert "Spring cohort" in shown
