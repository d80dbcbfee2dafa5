"""One workspace can neither see nor change anything of another, through every command, button, modal and event.

Team A (T0FLIPSIDE) runs a programme with private text in every corner. People of team B (T0OTHERTEAM)
have the same user ids, and send the bot every command, every click with A's ids in the button value,
and every modal with A's ids in private_metadata. Nothing of A may appear in anything the bot sends,
and A's rows stay exactly as they were.

The lists below are the coverage: tests/security/test_inventory.py fails when a listener is added
to the app without a probe here.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest

from bot.runtime import Runtime
from handlers.measures import ANSWER_BUTTON as MEASURE_ANSWER_BUTTON
from handlers.programmes import CHOOSE_BUTTON
from handlers.reflections import ANSWER_BUTTON, TOOK_PLACE_BUTTON
from prompts import actions as action_prompts
from prompts import admin as admin_prompts
from prompts import admin_home as admin_home_prompts
from prompts import admin_safety, booking_hours
from prompts import calendar as calendar_prompts
from prompts import calendar_connections as connect_prompts
from prompts import charter as charter_prompts
from prompts import check_ins as check_in_prompts
from prompts import goals as goal_prompts
from prompts import measures as measure_prompts
from prompts import nudges as nudge_prompts
from prompts import org_chart as org_prompts
from prompts import pair_changes as pair_change_prompts
from prompts import privacy as privacy_prompts
from prompts import profile as profile_prompts
from prompts import programme_templates as template_prompts
from prompts import programmes as programme_prompts
from prompts import reflection_conversation as reflection_prompts
from prompts import sessions as session_prompts
from prompts import suggestions as suggestion_prompts
from prompts import topics as topic_prompts
from prompts.reflection_form import REFLECTION_FORM_CALLBACK
from sandbox.slack_requests import BotResponse, SlackRequests
from sandbox.workspace import Workspace
from tests.security.conftest import ADMIN, MARKER, MENTEE, MENTOR, OTHER, TEAM_A, TEAM_B, TeamA, seed_team_b
from tests.security.support import fill, rows_of_others_pointing_at, said, settle, team_rows, uploaded

A_MESSAGE = {"ts": "1772618400.000001", "text": "", "blocks": []}  # a message of A's that a button sat on


@dataclass
class Visit:
    """What one test needs: both teams' requests, the shared transcript, and A's ids."""

    bot: Runtime
    a: SlackRequests
    b: SlackRequests
    workspace: Workspace
    ids: TeamA
    replies: list[BotResponse] = field(default_factory=list)
    since: int = 0
    responses_since: int = 0
    before: dict[str, list[tuple]] = field(default_factory=dict)
    files_before: set[str] = field(default_factory=set)

    async def start(self) -> None:
        """From here on, what the bot says is to team B, and A's rows must not move."""
        await settle()
        self.since = len(self.workspace.calls)
        self.responses_since = len(self.workspace.responses)
        self.before = await team_rows(self.bot, TEAM_A)
        self.files_before = set(self.workspace.files)
        self.replies.clear()

    async def command(self, user_id: str, text: str) -> None:
        self.replies.append(await self.b.command(user_id, text))

    async def click(self, user_id: str, action_id: str, value: str | None = None, *, option: str | None = None, where: str = "message", view: dict | None = None) -> None:
        action: dict[str, Any] = {"action_id": action_id, "block_id": "b", "type": "button"}
        if value is not None:
            action["value"] = value
        if option is not None:
            action.update(type="overflow", selected_option={"text": {"type": "plain_text", "text": option}, "value": option})
        if where == "message":
            self.replies.append(await self.b.block_action(user_id, action, message=A_MESSAGE))
        else:
            self.replies.append(await self.b.block_action(user_id, action, view=view or {"id": "V0HOME", "type": "home", "blocks": []}))

    async def event(self, event: dict[str, Any]) -> None:
        self.replies.append(await self.b.event(event))

    async def submit(self, user_id: str, view: dict[str, Any]) -> None:
        # A's modal, as A's people saw it, with whatever A wrote in it replaced: nothing of A in what B sends.
        values = json.loads(json.dumps(fill(view, user=user_id, chosen=CHOSEN.get(view["callback_id"]))).replace(MARKER, "TEAM-B"))
        self.replies.append(await self.b.view_submission(user_id, {**view, "team_id": TEAM_B}, values))


# --- the modals, opened by A's own people, then submitted from team B -------------------------------


async def _open_in_a(visit: Visit, user_id: str, open_it: Callable[[], Awaitable[BotResponse]], callback_id: str) -> dict[str, Any]:
    response = await open_it()
    assert response.status == 200, response.text
    await settle()
    view = visit.workspace.modal_stacks[user_id][-1]
    assert view["callback_id"] == callback_id, view["callback_id"]
    return view


def _a_click(visit: Visit, user_id: str, action_id: str, value: str) -> Callable[[], Awaitable[BotResponse]]:
    return lambda: visit.a.block_action(user_id, {"action_id": action_id, "value": value, "block_id": "b", "type": "button"}, message=A_MESSAGE)


def _a_command(visit: Visit, user_id: str, text: str) -> Callable[[], Awaitable[BotResponse]]:
    return lambda: visit.a.command(user_id, text)


# callback id -> (who opens it in A, how, who submits it from B)
VIEW_OPENERS: dict[str, tuple[str, Callable[[Visit], Callable[[], Awaitable[BotResponse]]], tuple[str, ...]]] = {
    check_in_prompts.CHECK_IN_SUBMIT: (MENTOR, lambda v: _a_click(v, MENTOR, check_in_prompts.CHECK_IN_OPEN, f"{check_in_prompts.MIDPOINT}:{v.ids.pair_id}"), (MENTOR,)),
    measure_prompts.MEASURE_FORM_SUBMIT: (MENTOR, lambda v: _a_click(v, MENTOR, measure_prompts.MEASURE_OPEN_FORM, f"baseline:{v.ids.pair_id}"), (MENTOR,)),
    REFLECTION_FORM_CALLBACK: (MENTOR, lambda v: _a_click(v, MENTOR, reflection_prompts.REFLECTION_OPEN_FORM_ACTION, str(v.ids.held_session_id)), (MENTOR,)),
    action_prompts.ACTION_FORM_CALLBACK: (MENTOR, lambda v: _a_click(v, MENTOR, action_prompts.ACTION_EDIT_ACTION, str(v.ids.mentor_action_id)), (MENTOR,)),
    charter_prompts.CHARTER_CALLBACK: (MENTOR, lambda v: _a_command(v, MENTOR, "charter"), (MENTOR, MENTEE)),
    goal_prompts.GOALS_CALLBACK: (MENTOR, lambda v: _a_click(v, MENTOR, goal_prompts.GOALS_EDIT_ACTION, str(v.ids.pair_id)), (MENTOR,)),
    goal_prompts.GOAL_PROGRESS_CALLBACK: (MENTOR, lambda v: _a_click(v, MENTOR, goal_prompts.GOAL_UPDATE_ACTION, str(v.ids.mentor_goal_id)), (MENTOR,)),
    topic_prompts.TOPICS_CALLBACK: (MENTOR, lambda v: _a_click(v, MENTOR, topic_prompts.TOPICS_CHOOSE_ACTION, str(v.ids.pair_id)), (MENTOR,)),
    profile_prompts.PROFILE_CALLBACK: (MENTOR, lambda v: _a_command(v, MENTOR, "profile"), (MENTOR,)),
    session_prompts.SCHEDULE_CALLBACK: (MENTOR, lambda v: _a_command(v, MENTOR, "schedule"), (MENTOR, MENTEE)),
    session_prompts.LOG_CALLBACK: (MENTOR, lambda v: _a_command(v, MENTOR, "log"), (MENTOR, MENTEE)),
    session_prompts.RESCHEDULE_CALLBACK: (MENTOR, lambda v: _a_click(v, MENTOR, session_prompts.RESCHEDULE_ACTION, str(v.ids.booked_session_id)), (MENTOR, MENTEE)),
    session_prompts.CANCEL_CALLBACK: (MENTOR, lambda v: _a_click(v, MENTOR, session_prompts.CANCEL_ACTION, str(v.ids.booked_session_id)), (MENTOR, MENTEE)),
    nudge_prompts.SETTINGS_CALLBACK: (MENTOR, lambda v: _a_command(v, MENTOR, "settings"), (MENTOR,)),
    privacy_prompts.DELETE_CALLBACK: (MENTOR, lambda v: _a_click(v, MENTOR, privacy_prompts.DELETE_ACTION, ""), (MENTOR, MENTEE)),
    admin_prompts.SETUP_CALLBACK: (ADMIN, lambda v: _a_command(v, ADMIN, "admin setup"), (OTHER, ADMIN)),
    admin_prompts.ENROL_CALLBACK: (ADMIN, lambda v: _a_command(v, ADMIN, "admin enrol"), (OTHER, ADMIN)),
    admin_prompts.BULK_CALLBACK: (ADMIN, lambda v: _a_command(v, ADMIN, "admin enrol bulk"), (OTHER, ADMIN)),
    admin_prompts.PAIR_CALLBACK: (ADMIN, lambda v: _a_command(v, ADMIN, "admin pair"), (OTHER, ADMIN)),
    admin_prompts.MATCH_CALLBACK: (ADMIN, lambda v: _a_command(v, ADMIN, "admin match"), (OTHER, ADMIN)),
    org_prompts.ORG_CALLBACK: (ADMIN, lambda v: _a_command(v, ADMIN, "admin org"), (OTHER, ADMIN)),
    org_prompts.REPORTING_LINE_CALLBACK: (ADMIN, lambda v: _a_command(v, ADMIN, "admin pair <@U0MENTOR4> <@U0MENTEE3>"), (OTHER, ADMIN)),
    admin_safety.END_CALLBACK: (ADMIN, lambda v: _a_command(v, ADMIN, "admin end <@U0MENTOR>"), (OTHER, ADMIN)),
}
COVERED_VIEWS = set(VIEW_OPENERS)
# what a form needs beyond the defaults to go through (block id -> element value)
CHOSEN = {privacy_prompts.DELETE_CALLBACK: {privacy_prompts.CONFIRM_BLOCK: {"value": privacy_prompts.CONFIRM_WORD}}}


# --- the commands, typed in team B -------------------------------------------------------------------

PARTICIPANT_COMMANDS = [
    "", "help", "what is this", "charter", "goals", "topics", "reflect", "reflections", "actions", "profile",
    "away", "away until 2026-04-01", "away off", "privacy", "schedule", "schedule next tuesday at 10am", "schedule suggest", "sessions",
    "log", "log yesterday at 3pm", "settings", "progress", "calendar", "calendar disconnect", "programme", "programme Spring cohort", "program",
]
ADMIN_COMMANDS = [
    "admin", "admin setup", "admin setup new", "admin enrol", "admin enrol bulk", "admin enrol mentor <@U0MENTOR3>",
    "admin pair", "admin pair <@U0MENTOR3> <@U0MENTEE3>", "admin match", "admin pause <@U0MENTOR>",
    "admin resume <@U0MENTOR2>", "admin end <@U0MENTOR>", "admin unpair <@U0MENTEE>", "admin reopen <@U0MENTOR>", "admin report", "admin report all", "admin export",
    "admin peers <#C0TEAMB>", "admin peers off", "admin org", "admin template", "admin template save Team B's",
    "admin template delete Reverse mentoring pilot", "admin setup new Reverse mentoring pilot",
]
COMMAND_PROBES = [(user, text) for text in PARTICIPANT_COMMANDS for user in (MENTOR, MENTEE, ADMIN)] + [
    (user, text) for text in ADMIN_COMMANDS for user in (OTHER, ADMIN)
]


# --- the buttons, clicked in team B with A's ids -------------------------------------------------------

def _agreement(ids: TeamA) -> str:
    return topic_prompts.agreement_value(ids.pair_id, [SimpleNamespace(id=item_id) for item_id in ids.item_ids])


async def _match_view_of_a(visit: Visit) -> dict[str, Any]:
    return await _open_in_a(visit, ADMIN, _a_command(visit, ADMIN, "admin match"), admin_prompts.MATCH_CALLBACK)


async def _setup_view_of_a(visit: Visit) -> dict[str, Any]:
    return await _open_in_a(visit, ADMIN, _a_command(visit, ADMIN, "admin setup new"), admin_prompts.SETUP_CALLBACK)


# action id (or pattern) -> clicks: (who, action id as sent, value) or a function for the unusual ones
ACTION_PROBES: dict[str, list[Any]] = {
    admin_home_prompts.ADMIN_HOME_PREVIOUS: [(OTHER, admin_home_prompts.ADMIN_HOME_PREVIOUS, "0"), (ADMIN, admin_home_prompts.ADMIN_HOME_PREVIOUS, "0")],
    admin_home_prompts.ADMIN_HOME_NEXT: [(OTHER, admin_home_prompts.ADMIN_HOME_NEXT, "1"), (ADMIN, admin_home_prompts.ADMIN_HOME_NEXT, "1")],
    admin_home_prompts.ADMIN_EXPORT: [(OTHER, admin_home_prompts.ADMIN_EXPORT, None), (ADMIN, admin_home_prompts.ADMIN_EXPORT, None)],
    admin_home_prompts.ADMIN_ROLLUP: [(OTHER, admin_home_prompts.ADMIN_ROLLUP, None), (ADMIN, admin_home_prompts.ADMIN_ROLLUP, None)],
    admin_home_prompts.ADMIN_SETUP_OPEN: [(OTHER, admin_home_prompts.ADMIN_SETUP_OPEN, None), (ADMIN, admin_home_prompts.ADMIN_SETUP_OPEN, None)],
    admin_home_prompts.ADMIN_ENROL_OPEN: [(OTHER, admin_home_prompts.ADMIN_ENROL_OPEN, None), (ADMIN, admin_home_prompts.ADMIN_ENROL_OPEN, None)],
    admin_home_prompts.ADMIN_PAIR_OPEN: [(OTHER, admin_home_prompts.ADMIN_PAIR_OPEN, None), (ADMIN, admin_home_prompts.ADMIN_PAIR_OPEN, None)],
    admin_home_prompts.ADMIN_ORG_OPEN: [(OTHER, admin_home_prompts.ADMIN_ORG_OPEN, None), (ADMIN, admin_home_prompts.ADMIN_ORG_OPEN, None)],
    check_in_prompts.CHECK_IN_OPEN: [
        (user, check_in_prompts.CHECK_IN_OPEN, lambda ids, kind=kind: f"{kind}:{ids.pair_id}") for user in (MENTOR, MENTEE) for kind in (check_in_prompts.MIDPOINT, check_in_prompts.CLOSING)
    ],
    MEASURE_ANSWER_BUTTON.pattern: [
        (user, f"{measure_prompts.MEASURE_ANSWER}_{answer}", lambda ids, answer=answer: f"baseline:{ids.pair_id}:safety_risk:{answer}") for user in (MENTOR, MENTEE) for answer in ("5", "skip")
    ],
    measure_prompts.MEASURE_OPEN_FORM: [(user, measure_prompts.MEASURE_OPEN_FORM, lambda ids: f"baseline:{ids.pair_id}") for user in (MENTOR, MENTEE)],
    TOOK_PLACE_BUTTON.pattern: [(MENTOR, reflection_prompts.REFLECTION_TOOK_PLACE_ACTION, lambda ids: f"{ids.held_session_id}:yes")],
    ANSWER_BUTTON.pattern: [(MENTOR, f"{reflection_prompts.REFLECTION_ANSWER_ACTION}_1_yes", lambda ids: f"{ids.held_session_id}:yes")],
    reflection_prompts.REFLECTION_OPEN_FORM_ACTION: [(user, reflection_prompts.REFLECTION_OPEN_FORM_ACTION, lambda ids: str(ids.held_session_id)) for user in (MENTOR, MENTEE)],
    action_prompts.ACTION_DONE_ACTION: [(MENTOR, action_prompts.ACTION_DONE_ACTION, lambda ids: str(ids.mentor_action_id))],
    action_prompts.ACTION_DONE_FROM_REMINDER_ACTION: [(MENTOR, action_prompts.ACTION_DONE_FROM_REMINDER_ACTION, lambda ids: str(ids.mentor_action_id))],
    action_prompts.ACTION_DROP_ACTION: [(MENTEE, action_prompts.ACTION_DROP_ACTION, lambda ids: str(ids.mentee_action_id))],
    action_prompts.ACTION_EDIT_ACTION: [(MENTOR, action_prompts.ACTION_EDIT_ACTION, lambda ids: str(ids.mentor_action_id))],
    action_prompts.ACTION_ADD_ACTION: [(MENTOR, action_prompts.ACTION_ADD_ACTION, None)],
    charter_prompts.CHARTER_OPEN_ACTION: [(MENTOR, charter_prompts.CHARTER_OPEN_ACTION, lambda ids: str(ids.pair_id))],
    charter_prompts.CHARTER_EDIT_ACTION: [(MENTEE, charter_prompts.CHARTER_EDIT_ACTION, lambda ids: str(ids.pair_id))],
    charter_prompts.CHARTER_AGREE_ACTION: [(MENTEE, charter_prompts.CHARTER_AGREE_ACTION, lambda ids: f"{ids.charter_id}:{ids.charter_version}")],
    goal_prompts.GOALS_EDIT_ACTION: [(MENTOR, goal_prompts.GOALS_EDIT_ACTION, lambda ids: str(ids.pair_id))],
    goal_prompts.GOAL_UPDATE_ACTION: [(MENTOR, goal_prompts.GOAL_UPDATE_ACTION, lambda ids: str(ids.mentor_goal_id))],
    topic_prompts.TOPICS_CHOOSE_ACTION: [(MENTOR, topic_prompts.TOPICS_CHOOSE_ACTION, lambda ids: str(ids.pair_id))],
    topic_prompts.TOPICS_MOVE_ACTION: [(MENTOR, topic_prompts.TOPICS_MOVE_ACTION, lambda ids: ("option", topic_prompts.move_value("down", ids.item_ids[0], 0)))],
    topic_prompts.TOPICS_AGREE_ACTION: [(user, topic_prompts.TOPICS_AGREE_ACTION, _agreement) for user in (MENTOR, MENTEE)],
    profile_prompts.PROFILE_OPEN_ACTION: [(MENTOR, profile_prompts.PROFILE_OPEN_ACTION, None)],
    session_prompts.CONFIRM_ACTION: [(user, session_prompts.CONFIRM_ACTION, lambda ids: str(ids.booked_session_id)) for user in (MENTOR, MENTEE)],
    session_prompts.RESCHEDULE_ACTION: [(user, session_prompts.RESCHEDULE_ACTION, lambda ids: str(ids.booked_session_id)) for user in (MENTOR, MENTEE)],
    session_prompts.CANCEL_ACTION: [(user, session_prompts.CANCEL_ACTION, lambda ids: str(ids.booked_session_id)) for user in (MENTOR, MENTEE)],
    session_prompts.SCHEDULE_OPEN_ACTION: [(user, session_prompts.SCHEDULE_OPEN_ACTION, "book") for user in (MENTOR, MENTEE)],
    calendar_prompts.ADD_TO_CALENDAR_ACTION: [
        (user, calendar_prompts.ADD_TO_CALENDAR_ACTION, lambda ids: str(ids.booked_session_id)) for user in (MENTOR, MENTEE)
    ],
    f"^{connect_prompts.CONNECT_ACTION_PREFIX}": [(MENTOR, connect_prompts.connect_action("google"), None)],  # a URL button: acknowledged only
    booking_hours.BOOK_ANYWAY_ACTION: [(user, booking_hours.BOOK_ANYWAY_ACTION, "1772685000") for user in (MENTOR, MENTEE)],
    booking_hours.DONT_BOOK_ACTION: [(user, booking_hours.DONT_BOOK_ACTION, "no") for user in (MENTOR, MENTEE)],
    suggestion_prompts.SUGGESTED_BOOK_ACTION: [(user, suggestion_prompts.SUGGESTED_BOOK_ACTION, "1772715600") for user in (MENTOR, MENTEE)],
    privacy_prompts.EXPORT_ACTION: [(user, privacy_prompts.EXPORT_ACTION, None) for user in (MENTOR, MENTEE, ADMIN)],
    privacy_prompts.DELETE_ACTION: [(user, privacy_prompts.DELETE_ACTION, None) for user in (MENTOR, MENTEE)],
    pair_change_prompts.RESUME_ACTION: [(user, pair_change_prompts.RESUME_ACTION, lambda ids: str(ids.paused_pair_id)) for user in (OTHER, ADMIN)],
    admin_prompts.MATCH_REMOVE_ACTION: [(user, "match_view", admin_prompts.MATCH_REMOVE_ACTION, "U0MENTOR3:U0MENTEE3") for user in (OTHER, ADMIN)],
    admin_prompts.MATCH_MANUAL_ACTION: [(user, "match_view", admin_prompts.MATCH_MANUAL_ACTION, None) for user in (OTHER, ADMIN)],
    CHOOSE_BUTTON.pattern: [(user, f"{programme_prompts.CHOOSE_ACTION}_0", lambda ids: str(ids.programme_id)) for user in (MENTOR, ADMIN)],
    template_prompts.START_FROM_ACTION: [(user, "setup_view", template_prompts.START_FROM_ACTION, "t:Reverse mentoring pilot") for user in (OTHER, ADMIN)],
}
COVERED_ACTIONS = set(ACTION_PROBES)


# --- events from team B --------------------------------------------------------------------------------

EVENT_PROBES: dict[str, list[dict[str, Any]]] = {
    "app_home_opened": [{"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": "home", "event_ts": "1.000001"} for user in (MENTOR, MENTEE, ADMIN, OTHER)],
    # U0MENTOR's reflection in A waits on "did it take place?": a "yes" in B must not answer it.
    "message": [{"type": "message", "channel_type": "im", "channel": "D0MENTOR", "user": MENTOR, "text": text, "ts": "2.000001", "event_ts": "2.000001"} for text in ("yes", "1")],
    "app_uninstalled": [{"type": "app_uninstalled", "event_ts": "3.000001"}],
    "tokens_revoked": [{"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"], "oauth": [ADMIN]}, "event_ts": "4.000001"}],
    # U0MENTOR deactivated in B: A's pair of the same id must stay active, and nobody in A be told.
    "user_change": [{"type": "user_change", "user": {"id": MENTOR, "deleted": True, "name": "gone"}, "event_ts": "5.000001"}],
}
COVERED_EVENTS = set(EVENT_PROBES)


# --- the tests -----------------------------------------------------------------------------------------


@pytest.fixture
async def visit(bot: Runtime, slack: SlackRequests, other_slack: SlackRequests, workspace: Workspace, team_a: TeamA) -> Visit:
    await seed_team_b(bot)
    visit = Visit(bot=bot, a=slack, b=other_slack, workspace=workspace, ids=team_a)
    return visit


async def _assert_a_untouched(visit: Visit) -> None:
    await settle()
    for reply in visit.replies:
        assert reply.status < 500, reply.text
        assert "Traceback" not in reply.text
    transcript = said(visit.workspace, since=visit.since, responses=visit.replies, response_urls_since=visit.responses_since)
    transcript += "\n".join(uploaded(visit.workspace, since=visit.files_before))
    assert MARKER not in transcript, transcript[max(0, transcript.find(MARKER) - 600) : transcript.find(MARKER) + 200]
    assert await team_rows(visit.bot, TEAM_A) == visit.before
    assert await rows_of_others_pointing_at(visit.bot, TEAM_A) == {}


COMMAND_CASES = {text: [user for user, typed in COMMAND_PROBES if typed == text] for _, text in COMMAND_PROBES}


@pytest.mark.parametrize("text", list(COMMAND_CASES), ids=[f"/mentor {text}" for text in COMMAND_CASES])
async def test_a_command_from_another_workspace_sees_and_changes_nothing_of_this_one(visit: Visit, text: str):
    await visit.start()
    for user_id in COMMAND_CASES[text]:
        await visit.command(user_id, text)
    await _assert_a_untouched(visit)


async def _probe_click(visit: Visit, probe: tuple) -> None:
    if probe[1] == "setup_view":  # A's set-up form, its "Start from" choice made from team B
        user_id, _, action_id, value = probe
        view = await _setup_view_of_a(visit)
        await visit.start()
        await visit.click(user_id, action_id, option=value, where="modal", view={**view, "team_id": TEAM_B})
        return
    if probe[1] == "match_view":
        user_id, _, action_id, value = probe
        view = await _match_view_of_a(visit)
        await visit.start()
        await visit.click(user_id, action_id, value, where="modal", view={**view, "team_id": TEAM_B})
        return
    user_id, action_id, value = probe
    await visit.start()
    value = value(visit.ids) if callable(value) else value
    if isinstance(value, tuple):
        await visit.click(user_id, action_id, option=value[1])
    else:
        await visit.click(user_id, action_id, value, where="home" if action_id.startswith("admin_") else "message")


@pytest.mark.parametrize("key", list(ACTION_PROBES))
async def test_a_click_from_another_workspace_with_this_ones_ids_sees_and_changes_nothing(visit: Visit, key: str):
    for probe in ACTION_PROBES[key]:
        await _probe_click(visit, probe)
        await _assert_a_untouched(visit)


@pytest.mark.parametrize("callback_id", list(VIEW_OPENERS))
async def test_a_modal_of_this_workspace_submitted_from_another_sees_and_changes_nothing(visit: Visit, callback_id: str):
    opener, how, users = VIEW_OPENERS[callback_id]
    for user_id in users:
        view = await _open_in_a(visit, opener, how(visit), callback_id)
        await visit.start()
        await visit.submit(user_id, view)
        await _assert_a_untouched(visit)


@pytest.mark.parametrize("kind", list(EVENT_PROBES))
async def test_an_event_from_another_workspace_sees_and_changes_nothing_of_this_one(visit: Visit, kind: str):
    await visit.start()
    for event in EVENT_PROBES[kind]:
        await visit.event(event)
    await _assert_a_untouched(visit)


async def test_team_a_sees_its_own_secrets_so_the_probes_would_notice_a_leak(visit: Visit):
    """The control: the same command from A's own mentee shows A's text, so its absence above means something."""
    await visit.start()
    assert await visit.a.command_reply(MENTEE, "reflections") is not None
    assert MARKER in said(visit.workspace, since=visit.since, responses=visit.replies)
