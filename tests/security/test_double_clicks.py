"""A double-clicked button and a resubmitted modal change nothing the second time.

A double-click reaches the bot as two requests with the same action (and a new trigger id each);
a modal whose Submit was pressed again (Slack waited too long for the first answer, say) arrives
twice with the same view id and values. Every button and every modal the app registers is sent
twice, in a programme well under way: after the second the store holds exactly what it held after
the first, and nothing was sent again, except what only repeats a screen or answers the clicker
alone (an ephemeral reply, an edit of the same message, a modal or Home tab shown again).

The modals and buttons that create rows are also sent twice at once, as a real double-click
arrives: one of them creates, and nothing is created or sent twice.

The tables below are the coverage: a button or modal added to the app without a case here fails
`test_every_button_and_modal_has_a_double_click_case`.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.runtime import Runtime
from domain.roles import Role
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
from sandbox.workspace import Call, Message, Workspace
from store import roadmap
from tests.conftest import START
from tests.security.conftest import ADMIN, MENTEE, MENTOR, TEAM_A, TeamA
from tests.security.support import all_rows, fill, registered_listeners, settle

HOME = {"id": "V0HOME", "type": "home", "blocks": [], "hash": "h0HOME"}
READS = {"auth.test", "users.info", "users.lookupByEmail", "conversations.open"}
# Sent again, these show the clicker the same thing again and no one else anything new.
HARMLESS_AGAIN = {"chat.postEphemeral", "chat.update", "views.update", "views.publish", "views.open"}
GAP = timedelta(seconds=1)  # between the two requests of a double-click (a clock that moved shows a re-stamp)


# --- the cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Click:
    """A button (or menu option) clicked twice: who, which, its value given team A's ids, and where it sat."""

    user: str
    action_id: str
    value: Callable[[TeamA], str] | str | None = None
    where: str = "message"  # "message", "home" (a Home tab), "match" (the admin's match proposal modal) or "setup" (a new programme's form)
    option: bool = False  # an overflow menu: the value is the option chosen
    changes_store: bool = False  # the first click changes the store (so the second has something to repeat)


@dataclass(frozen=True)
class Form:
    """A modal submitted twice: who opens it and how, who submits it, and what they choose."""

    user: str
    open_it: Callable[[SlackRequests, TeamA], Awaitable[BotResponse]]
    chosen: Callable[[TeamA], dict[str, dict[str, Any]]] | None = None
    typed: str | None = None
    creates: dict[str, int] = field(default_factory=dict)  # table -> rows one submission adds


def message_with_a_button(workspace: Workspace, user_id: str) -> dict[str, Any]:
    """A message of the bot's in this person's DM, for a button to sit on (and be edited in place)."""
    message = Message(channel=workspace.dm_channel(user_id), ts=workspace.next_ts(), user=workspace.bot_user_id, text="A message with buttons")
    workspace.messages.append(message)
    return message.as_slack()


def _click(user: str, action_id: str, value: Callable[[TeamA], str] | str | None) -> Callable[[SlackRequests, TeamA], Awaitable[BotResponse]]:
    async def open_it(slack: SlackRequests, ids: TeamA) -> BotResponse:
        given = value(ids) if callable(value) else value
        action = {"action_id": action_id, "block_id": "b", "type": "button", **({"value": given} if given is not None else {})}
        return await slack.block_action(user, action, message=message_with_a_button(slack.workspace, user))

    return open_it


def _command(user: str, text: str) -> Callable[[SlackRequests, TeamA], Awaitable[BotResponse]]:
    return lambda slack, _ids: slack.command(user, text)


def _agreement(ids: TeamA) -> str:
    return topic_prompts.agreement_value(ids.pair_id, [SimpleNamespace(id=item_id) for item_id in ids.item_ids])


def _epoch(when: datetime) -> int:
    return int(when.timestamp())


# Buttons whose click only opens a link (a URL button): Slack still sends the click, which is acknowledged and
# nothing more, so there is nothing a second click could repeat. tests/security/test_isolation.py still sends it.
ACKNOWLEDGED_ONLY = {f"^{connect_prompts.CONNECT_ACTION_PREFIX}"}

CLICKS: dict[str, list[Click]] = {
    admin_home_prompts.ADMIN_HOME_PREVIOUS: [Click(ADMIN, admin_home_prompts.ADMIN_HOME_PREVIOUS, "0", where="home")],
    admin_home_prompts.ADMIN_HOME_NEXT: [Click(ADMIN, admin_home_prompts.ADMIN_HOME_NEXT, "1", where="home")],
    admin_home_prompts.ADMIN_EXPORT: [Click(ADMIN, admin_home_prompts.ADMIN_EXPORT, where="home")],
    admin_home_prompts.ADMIN_ROLLUP: [Click(ADMIN, admin_home_prompts.ADMIN_ROLLUP, where="home")],
    admin_home_prompts.ADMIN_SETUP_OPEN: [Click(ADMIN, admin_home_prompts.ADMIN_SETUP_OPEN, where="home")],
    admin_home_prompts.ADMIN_ENROL_OPEN: [Click(ADMIN, admin_home_prompts.ADMIN_ENROL_OPEN, where="home")],
    admin_home_prompts.ADMIN_PAIR_OPEN: [Click(ADMIN, admin_home_prompts.ADMIN_PAIR_OPEN, where="home")],
    admin_home_prompts.ADMIN_ORG_OPEN: [Click(ADMIN, admin_home_prompts.ADMIN_ORG_OPEN, where="home")],
    check_in_prompts.CHECK_IN_OPEN: [Click(MENTEE, check_in_prompts.CHECK_IN_OPEN, lambda ids: f"{check_in_prompts.MIDPOINT}:{ids.pair_id}")],
    MEASURE_ANSWER_BUTTON.pattern: [
        Click(MENTOR, f"{measure_prompts.MEASURE_ANSWER}_5", lambda ids: f"baseline:{ids.pair_id}:safety_risk:5", changes_store=True),
        Click(MENTOR, f"{measure_prompts.MEASURE_ANSWER}_skip", lambda ids: f"baseline:{ids.pair_id}:safety_mistake:skip", changes_store=True),
    ],
    measure_prompts.MEASURE_OPEN_FORM: [Click(MENTOR, measure_prompts.MEASURE_OPEN_FORM, lambda ids: f"baseline:{ids.pair_id}")],
    CHOOSE_BUTTON.pattern: [Click(ADMIN, f"{programme_prompts.CHOOSE_ACTION}_0", lambda ids: str(ids.programme_id), changes_store=True)],
    TOOK_PLACE_BUTTON.pattern: [
        Click(MENTOR, reflection_prompts.REFLECTION_TOOK_PLACE_ACTION, lambda ids: f"{ids.held_session_id}:yes", changes_store=True)
    ],
    ANSWER_BUTTON.pattern: [
        Click(MENTOR, f"{reflection_prompts.REFLECTION_ANSWER_ACTION}_1_yes", lambda ids: f"{ids.held_session_id}:yes", changes_store=True)
    ],
    reflection_prompts.REFLECTION_OPEN_FORM_ACTION: [Click(MENTOR, reflection_prompts.REFLECTION_OPEN_FORM_ACTION, lambda ids: str(ids.held_session_id))],
    action_prompts.ACTION_DONE_ACTION: [Click(MENTOR, action_prompts.ACTION_DONE_ACTION, lambda ids: str(ids.mentor_action_id), changes_store=True)],
    action_prompts.ACTION_DONE_FROM_REMINDER_ACTION: [
        Click(MENTOR, action_prompts.ACTION_DONE_FROM_REMINDER_ACTION, lambda ids: str(ids.mentor_action_id), changes_store=True)
    ],
    action_prompts.ACTION_DROP_ACTION: [Click(MENTEE, action_prompts.ACTION_DROP_ACTION, lambda ids: str(ids.mentee_action_id), changes_store=True)],
    action_prompts.ACTION_EDIT_ACTION: [Click(MENTOR, action_prompts.ACTION_EDIT_ACTION, lambda ids: str(ids.mentor_action_id))],
    action_prompts.ACTION_ADD_ACTION: [Click(MENTOR, action_prompts.ACTION_ADD_ACTION)],
    charter_prompts.CHARTER_OPEN_ACTION: [Click(MENTOR, charter_prompts.CHARTER_OPEN_ACTION, lambda ids: str(ids.pair_id))],
    charter_prompts.CHARTER_EDIT_ACTION: [Click(MENTEE, charter_prompts.CHARTER_EDIT_ACTION, lambda ids: str(ids.pair_id))],
    charter_prompts.CHARTER_AGREE_ACTION: [
        Click(MENTEE, charter_prompts.CHARTER_AGREE_ACTION, lambda ids: f"{ids.charter_id}:{ids.charter_version}", changes_store=True)
    ],
    goal_prompts.GOALS_EDIT_ACTION: [Click(MENTOR, goal_prompts.GOALS_EDIT_ACTION, lambda ids: str(ids.pair_id))],
    goal_prompts.GOAL_UPDATE_ACTION: [Click(MENTOR, goal_prompts.GOAL_UPDATE_ACTION, lambda ids: str(ids.mentor_goal_id))],
    topic_prompts.TOPICS_CHOOSE_ACTION: [Click(MENTOR, topic_prompts.TOPICS_CHOOSE_ACTION, lambda ids: str(ids.pair_id))],
    topic_prompts.TOPICS_MOVE_ACTION: [
        # The first item, at position 0 as the factory numbers them, moved down.
        Click(MENTOR, topic_prompts.TOPICS_MOVE_ACTION, lambda ids: topic_prompts.move_value("down", ids.item_ids[0], 0), option=True, changes_store=True)
    ],
    topic_prompts.TOPICS_AGREE_ACTION: [Click(MENTEE, topic_prompts.TOPICS_AGREE_ACTION, _agreement, changes_store=True)],
    profile_prompts.PROFILE_OPEN_ACTION: [Click(MENTOR, profile_prompts.PROFILE_OPEN_ACTION)],
    session_prompts.CONFIRM_ACTION: [Click(MENTOR, session_prompts.CONFIRM_ACTION, lambda ids: str(ids.booked_session_id), changes_store=True)],
    session_prompts.SCHEDULE_OPEN_ACTION: [Click(MENTOR, session_prompts.SCHEDULE_OPEN_ACTION, "book", where="home")],
    # Thu 5 Mar 04:30 UTC: 10:00 for Priya in Kolkata, 23:30 the evening before for Tom in New York.
    booking_hours.BOOK_ANYWAY_ACTION: [
        Click(MENTOR, booking_hours.BOOK_ANYWAY_ACTION, booking_hours.anyway_value(datetime(2026, 3, 5, 4, 30, tzinfo=UTC)), changes_store=True)
    ],
    booking_hours.DONT_BOOK_ACTION: [Click(MENTOR, booking_hours.DONT_BOOK_ACTION, "no")],
    # Thu 5 Mar 13:00 UTC: 18:30 for Priya, 08:00 for Tom, inside both working days.
    suggestion_prompts.SUGGESTED_BOOK_ACTION: [
        Click(MENTOR, suggestion_prompts.SUGGESTED_BOOK_ACTION, suggestion_prompts.suggested_value(datetime(2026, 3, 5, 13, 0, tzinfo=UTC)), changes_store=True)
    ],
    session_prompts.RESCHEDULE_ACTION: [Click(MENTOR, session_prompts.RESCHEDULE_ACTION, lambda ids: str(ids.booked_session_id))],
    session_prompts.CANCEL_ACTION: [Click(MENTEE, session_prompts.CANCEL_ACTION, lambda ids: str(ids.booked_session_id))],
    calendar_prompts.ADD_TO_CALENDAR_ACTION: [Click(MENTOR, calendar_prompts.ADD_TO_CALENDAR_ACTION, lambda ids: str(ids.booked_session_id))],
    privacy_prompts.EXPORT_ACTION: [Click(MENTOR, privacy_prompts.EXPORT_ACTION), Click(ADMIN, privacy_prompts.EXPORT_ACTION, where="home")],
    privacy_prompts.DELETE_ACTION: [Click(MENTEE, privacy_prompts.DELETE_ACTION)],
    pair_change_prompts.RESUME_ACTION: [Click(ADMIN, pair_change_prompts.RESUME_ACTION, lambda ids: str(ids.paused_pair_id), changes_store=True)],
    admin_prompts.MATCH_REMOVE_ACTION: [Click(ADMIN, admin_prompts.MATCH_REMOVE_ACTION, "U0MENTOR3:U0MENTEE3", where="match")],
    admin_prompts.MATCH_MANUAL_ACTION: [Click(ADMIN, admin_prompts.MATCH_MANUAL_ACTION, where="match")],
    # Choosing the built-in template twice in a new programme's form: the form refilled twice, nothing saved.
    template_prompts.START_FROM_ACTION: [
        Click(ADMIN, template_prompts.START_FROM_ACTION, template_prompts.option_value("Reverse mentoring pilot"), where="setup", option=True)
    ],
}

# Four people replace team A's chart of two: two rows more, once.
ON_POSTGRES = os.environ.get("FLIPSIDE_TEST_DATABASE_URL", "").startswith("postgresql")
ORG_CSV = "email,manager_email,department,location\nleo@example.com,,Design,Paris\nsam@example.com,leo@example.com,IT,London\ntom@example.com,,Ops,NY\npriya@example.com,tom@example.com,Data,Kolkata"
NEW_PAIR = {"mentor": {"selected_user": "U0MENTOR3"}, "mentee": {"selected_user": "U0MENTEE3"}}

FORMS: dict[str, list[Form]] = {
    check_in_prompts.CHECK_IN_SUBMIT: [
        Form(MENTEE, _click(MENTEE, check_in_prompts.CHECK_IN_OPEN, lambda ids: f"{check_in_prompts.MIDPOINT}:{ids.pair_id}"), creates={"check_in": 1})
    ],
    measure_prompts.MEASURE_FORM_SUBMIT: [
        Form(MENTOR, _click(MENTOR, measure_prompts.MEASURE_OPEN_FORM, lambda ids: f"baseline:{ids.pair_id}"), creates={"measure_answer": len(measure_prompts.items_for(Role.MENTOR))})
    ],
    REFLECTION_FORM_CALLBACK: [
        Form(MENTOR, _click(MENTOR, reflection_prompts.REFLECTION_OPEN_FORM_ACTION, lambda ids: str(ids.held_session_id)), typed="Write up the pilot", creates={"action": 1})
    ],
    action_prompts.ACTION_FORM_CALLBACK: [
        Form(MENTOR, _click(MENTOR, action_prompts.ACTION_ADD_ACTION, None), typed="Book the team lunch", creates={"action": 1}),
        Form(MENTOR, _click(MENTOR, action_prompts.ACTION_EDIT_ACTION, lambda ids: str(ids.mentor_action_id)), typed="Book the team lunch"),
    ],
    charter_prompts.CHARTER_CALLBACK: [Form(MENTEE, _command(MENTEE, "charter"))],
    goal_prompts.GOALS_CALLBACK: [Form(MENTOR, _click(MENTOR, goal_prompts.GOALS_EDIT_ACTION, lambda ids: str(ids.pair_id)))],
    goal_prompts.GOAL_PROGRESS_CALLBACK: [Form(MENTOR, _click(MENTOR, goal_prompts.GOAL_UPDATE_ACTION, lambda ids: str(ids.mentor_goal_id)), typed="Halfway")],
    topic_prompts.TOPICS_CALLBACK: [Form(MENTOR, _click(MENTOR, topic_prompts.TOPICS_CHOOSE_ACTION, lambda ids: str(ids.pair_id)), typed="", creates={})],
    profile_prompts.PROFILE_CALLBACK: [Form(MENTOR, _command(MENTOR, "profile"), typed="Data")],
    session_prompts.SCHEDULE_CALLBACK: [
        # Thu 5 Mar 13:00 UTC: 18:30 in Kolkata, 08:00 in New York, inside both working days (booked without asking).
        Form(MENTOR, _command(MENTOR, "schedule"), chosen=lambda _ids: {session_prompts.WHEN_BLOCK: {"selected_date_time": _epoch(datetime(2026, 3, 5, 13, 0, tzinfo=UTC))}},
             typed="Room 4", creates={"mentoring_session": 1})
    ],
    session_prompts.LOG_CALLBACK: [Form(MENTEE, _command(MENTEE, "log"), creates={"mentoring_session": 1})],
    session_prompts.RESCHEDULE_CALLBACK: [
        Form(
            MENTOR,
            _click(MENTOR, session_prompts.RESCHEDULE_ACTION, lambda ids: str(ids.booked_session_id)),
            chosen=lambda _ids: {session_prompts.WHEN_BLOCK: {"selected_date_time": _epoch(datetime(2026, 3, 12, 12, 0, tzinfo=UTC))}},  # 17:30 in Kolkata, 08:00 in New York
            typed="Clash with a board meeting",
        )
    ],
    session_prompts.CANCEL_CALLBACK: [Form(MENTEE, _click(MENTEE, session_prompts.CANCEL_ACTION, lambda ids: str(ids.booked_session_id)), typed="Travelling")],
    nudge_prompts.SETTINGS_CALLBACK: [Form(MENTOR, _command(MENTOR, "settings"))],
    privacy_prompts.DELETE_CALLBACK: [
        Form(MENTEE, _click(MENTEE, privacy_prompts.DELETE_ACTION, None), chosen=lambda _ids: {privacy_prompts.CONFIRM_BLOCK: {"value": privacy_prompts.CONFIRM_WORD}})
    ],
    admin_prompts.SETUP_CALLBACK: [
        Form(ADMIN, _command(ADMIN, "admin setup new"), creates={"programme": 1}),
        Form(ADMIN, _command(ADMIN, "admin setup"), chosen=lambda _ids: {"name": {"value": "TEAM-A cohort, renamed"}}),
    ],
    admin_prompts.ENROL_CALLBACK: [
        Form(
            ADMIN,
            _command(ADMIN, "admin enrol"),
            chosen=lambda _ids: {"mentors": {"selected_users": ["U0OTHER"]}, "mentees": {"selected_users": ["U0OWNER"]}},
            creates={"enrolment": 2},
        )
    ],
    admin_prompts.BULK_CALLBACK: [Form(ADMIN, _command(ADMIN, "admin enrol bulk"), typed="leo@example.com, sam@example.com", creates={"pair": 1})],
    admin_prompts.PAIR_CALLBACK: [Form(ADMIN, _command(ADMIN, "admin pair"), chosen=lambda _ids: NEW_PAIR, creates={"pair": 1})],
    admin_prompts.MATCH_CALLBACK: [Form(ADMIN, _command(ADMIN, "admin match"), creates={"pair": 1})],
    org_prompts.REPORTING_LINE_CALLBACK: [Form(ADMIN, _command(ADMIN, "admin pair <@U0MENTOR4> <@U0MENTEE3>"), creates={"pair": 1})],
    org_prompts.ORG_CALLBACK: [
        # A replace of team A's two-line chart by four lines: SQLite gives the two deleted ids to two of the
        # new rows, PostgreSQL's sequence gives four new ids. Twice at once must still add only these.
        Form(ADMIN, _command(ADMIN, "admin org"), typed=ORG_CSV, creates={"org_chart_entry": 4 if ON_POSTGRES else 2})
    ],
    admin_safety.END_CALLBACK: [Form(ADMIN, _command(ADMIN, "admin end <@U0MENTOR>"))],
}

# --- sending them ----------------------------------------------------------------------------------


@dataclass
class Transcript:
    """What the bot sent while a request (or two) was handled."""

    workspace: Workspace

    async def transcript_of(self, act: Callable[[], Awaitable[list[BotResponse]]]) -> tuple[list[Call], list[dict[str, Any]], set[str]]:
        """Run `act`, wait for the bot; the Web API calls, response_url posts and files it produced."""
        await settle()
        calls, responses, files = len(self.workspace.calls), len(self.workspace.responses), set(self.workspace.files)
        for reply in await act():
            assert reply.status < 500 and "Traceback" not in reply.text, reply.text
        await settle()
        return self.workspace.calls[calls:], self.workspace.responses[responses:], set(self.workspace.files) - files


async def _click_request(bot: Runtime, slack: SlackRequests, workspace: Workspace, ids: TeamA, case: Click) -> Callable[[], Awaitable[BotResponse]]:
    value = case.value(ids) if callable(case.value) else case.value
    action: dict[str, Any] = {"action_id": case.action_id, "block_id": "b", "type": "button"}
    if case.option:
        kind = "static_select" if case.where == "setup" else "overflow"
        action.update(type=kind, selected_option={"text": {"type": "plain_text", "text": "Move"}, "value": value})
    elif value is not None:
        action["value"] = value
    if case.where == "match":
        await slack.command(ADMIN, "admin match")
        await settle()
        view = workspace.modal_stacks[ADMIN][-1]
        assert view["callback_id"] == admin_prompts.MATCH_CALLBACK
        return lambda: slack.block_action(case.user, action, view=view)
    if case.where == "setup":
        await slack.command(ADMIN, "admin setup new")
        await settle()
        view = workspace.modal_stacks[ADMIN][-1]
        assert view["callback_id"] == admin_prompts.SETUP_CALLBACK
        return lambda: slack.block_action(case.user, action, view=view)
    if case.where == "home":
        return lambda: slack.block_action(case.user, action, view=HOME)
    message = message_with_a_button(workspace, case.user)
    return lambda: slack.block_action(case.user, action, message=message)


async def _form_request(slack: SlackRequests, workspace: Workspace, ids: TeamA, callback_id: str, case: Form) -> Callable[[], Awaitable[BotResponse]]:
    response = await case.open_it(slack, ids)
    assert response.status == 200, response.text
    await settle()
    view = workspace.modal_stacks[case.user][-1]
    assert view["callback_id"] == callback_id, view["callback_id"]
    values = fill(view, typed=case.typed, chosen=case.chosen(ids) if case.chosen else None, user=case.user)
    return lambda: slack.view_submission(case.user, view, values)


def _sent(calls: list[Call], responses: list[dict[str, Any]], files: set[str]) -> list[str]:
    """What reached anyone: every call but the reads, each response_url post, each file."""
    return [call.method for call in calls if call.method not in READS] + ["response_url"] * len(responses) + [f"file {name}" for name in files]


def _repeated_sends(calls: list[Call], responses: list[dict[str, Any]], files: set[str]) -> list[str]:
    """What the second request sent that is more than the same screen again or a word to the clicker."""
    again = [f"{call.method} {json.dumps(call.args, default=str)[:300]}" for call in calls if call.method not in READS | HARMLESS_AGAIN]
    again += [f"response_url {json.dumps(body)[:300]}" for body in responses if body.get("response_type") == "in_channel" and not body.get("replace_original")]
    again += [f"file {name}" for name in files]
    return again


def _case_ids(table: dict[str, list[Any]]) -> list[tuple[str, int]]:
    return [(key, index) for key, cases in table.items() for index in range(len(cases))]


def _name(param: tuple[str, int]) -> str:
    return f"{param[0]}#{param[1]}" if param[1] else param[0]


# --- the tests ------------------------------------------------------------------------------------


def test_every_button_and_modal_has_a_double_click_case():
    listeners = registered_listeners()
    missing_buttons = sorted(listeners.actions - set(CLICKS) - ACKNOWLEDGED_ONLY)
    missing_modals = sorted(listeners.views - set(FORMS))
    assert not missing_buttons and not missing_modals, (
        f"add a double-click case to tests/security/test_double_clicks.py for buttons {missing_buttons} and modals {missing_modals}"
    )


async def _second_changes_nothing(bot: Runtime, slack: SlackRequests, workspace: Workspace, clock: ManualClock, send: Callable[[], Awaitable[BotResponse]], *, changes_store: bool) -> None:
    twice = Transcript(workspace)
    before = await all_rows(bot)

    async def once() -> list[BotResponse]:
        return [await send()]

    first = await twice.transcript_of(once)
    after_first = await all_rows(bot)
    depth = {user: len(stack) for user, stack in workspace.modal_stacks.items()}
    assert _sent(*first) or after_first != before, "the first request did nothing: the case proves nothing"
    if changes_store:
        assert after_first != before, "the first request changed nothing: the case proves nothing"
    clock.advance(GAP)
    second = await twice.transcript_of(once)
    after_second = await all_rows(bot)
    changed = {table: (after_first[table], after_second[table]) for table in after_first if after_first[table] != after_second[table]}
    assert changed == {}, f"the second request changed {sorted(changed)}: {changed}"
    assert _repeated_sends(*second) == []
    assert {user: len(stack) for user, stack in workspace.modal_stacks.items() if len(stack) > depth.get(user, 1)} == {}, "a modal stacked on another"


@pytest.mark.parametrize(("key", "index"), _case_ids(CLICKS), ids=[_name(case) for case in _case_ids(CLICKS)])
async def test_a_double_clicked_button_changes_nothing_the_second_time(
    bot: Runtime, slack: SlackRequests, workspace: Workspace, clock: ManualClock, team_a: TeamA, key: str, index: int
):
    case = CLICKS[key][index]
    send = await _click_request(bot, slack, workspace, team_a, case)
    await _second_changes_nothing(bot, slack, workspace, clock, send, changes_store=case.changes_store)


@pytest.mark.parametrize(("key", "index"), _case_ids(FORMS), ids=[_name(case) for case in _case_ids(FORMS)])
async def test_a_resubmitted_modal_changes_nothing_the_second_time(
    bot: Runtime, slack: SlackRequests, workspace: Workspace, clock: ManualClock, team_a: TeamA, key: str, index: int
):
    send = await _form_request(slack, workspace, team_a, key, FORMS[key][index])
    await _second_changes_nothing(bot, slack, workspace, clock, send, changes_store=True)


def _added(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Rows with an id (the first column) that was not there before."""
    return {table: [row for row in after[table] if row[0] not in {old[0] for old in before[table]}] for table in after}


def _twins(rows: list[tuple]) -> list[tuple]:
    """Rows that are the same but for their id (the first column): a thing made twice."""
    counts = Counter(row[1:] for row in rows)
    return [row for row, count in counts.items() if count > 1]


AT_ONCE_FORMS = [(key, index) for key, index in _case_ids(FORMS) if FORMS[key][index].creates]
AT_ONCE_CLICKS = [(key, index) for key, index in _case_ids(CLICKS) if CLICKS[key][index].changes_store]


async def _both_at_once(bot: Runtime, slack: SlackRequests, workspace: Workspace, send: Callable[[], Awaitable[BotResponse]], creates: dict[str, int]) -> None:
    before = await all_rows(bot)
    twice = Transcript(workspace)

    async def together() -> list[BotResponse]:
        return list(await asyncio.gather(send(), send()))

    calls, responses, files = await twice.transcript_of(together)
    after = await all_rows(bot)
    added = _added(before, after)
    for table, count in creates.items():
        assert len(added[table]) == count, f"{table}: {len(added[table])} rows added, one submission adds {count}"
    assert {table: _twins(rows) for table, rows in added.items() if _twins(rows)} == {}
    posted = Counter(
        (call.method, str(call.args.get("channel")), str(call.args.get("text")))
        for call in calls
        if call.method in ("chat.postMessage", "views.push", "files.completeUploadExternal")
    )
    assert [message for message, count in posted.items() if count > 1] == []
    assert len(files) <= 1


@pytest.mark.parametrize(("key", "index"), AT_ONCE_FORMS, ids=[_name(case) for case in AT_ONCE_FORMS])
async def test_a_modal_submitted_twice_at_once_creates_once(
    bot: Runtime, slack: SlackRequests, workspace: Workspace, team_a: TeamA, key: str, index: int
):
    case = FORMS[key][index]
    send = await _form_request(slack, workspace, team_a, key, case)
    await _both_at_once(bot, slack, workspace, send, case.creates)


@pytest.mark.parametrize(("key", "index"), AT_ONCE_CLICKS, ids=[_name(case) for case in AT_ONCE_CLICKS])
async def test_a_button_clicked_twice_at_once_changes_once(
    bot: Runtime, slack: SlackRequests, workspace: Workspace, team_a: TeamA, key: str, index: int
):
    send = await _click_request(bot, slack, workspace, team_a, CLICKS[key][index])
    await _both_at_once(bot, slack, workspace, send, {})


async def test_a_topic_moved_twice_at_once_moves_one_place(bot: Runtime, slack: SlackRequests, workspace: Workspace, team_a: TeamA):
    """The one button whose repeat would change something again without sending anything: checked by its result."""
    send = await _click_request(bot, slack, workspace, team_a, CLICKS[topic_prompts.TOPICS_MOVE_ACTION][0])
    await Transcript(workspace).transcript_of(lambda: asyncio.gather(send(), send()))
    async with bot.services.sessions() as session:
        items = await roadmap.roadmap_items(session, team_id=TEAM_A, pair_id=team_a.pair_id)
    first, second, *rest = team_a.item_ids
    assert [item.id for item in items] == [second, first, *rest]


async def test_a_form_refused_with_an_error_is_acted_on_when_corrected(bot: Runtime, slack: SlackRequests, workspace: Workspace, team_a: TeamA):
    """The form stays open after an error, with the same view id: its corrected submission is not a repeat."""
    await slack.command(MENTOR, "schedule")
    await settle()
    view = workspace.modal_stacks[MENTOR][-1]
    booked = START + timedelta(days=3)  # team A's booked session
    clashing = fill(view, typed="Room 4", chosen={session_prompts.WHEN_BLOCK: {"selected_date_time": _epoch(booked)}})
    refused = await slack.view_submission(MENTOR, view, clashing)
    assert refused.json()["response_action"] == "errors"
    before = await all_rows(bot)
    inside_both_days = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # Mon 18:30 in Kolkata, 09:00 in New York
    corrected = fill(view, typed="Room 4", chosen={session_prompts.WHEN_BLOCK: {"selected_date_time": _epoch(inside_both_days)}})
    accepted = await slack.view_submission(MENTOR, view, corrected)
    await settle()
    assert accepted.text == ""
    assert len(_added(before, await all_rows(bot))["mentoring_session"]) == 1
