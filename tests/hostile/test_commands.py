"""Hostile text to every subcommand's arguments, to a reflection waiting on a typed answer, and to every
modal's text boxes: never a 500 or a traceback, always a reply, the store unchanged by nonsense, and
oversized text refused with the limit stated.

COMMAND_PREFIXES and MODAL_TEXT_CASES are the coverage: tests/security/test_inventory.py fails when
a subcommand or modal is added without a case here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from sqlalchemy import text

from bot.rules.time_reading import parse_day, parse_when
from bot.runtime import Runtime
from domain.reflection import Step
from prompts import actions as action_prompts
from prompts import admin as admin_prompts
from prompts import admin_safety, limits
from prompts import charter as charter_prompts
from prompts import check_ins as check_in_prompts
from prompts import goals as goal_prompts
from prompts import measures as measure_prompts
from prompts import nudges as nudge_prompts
from prompts import org_chart as org_prompts
from prompts import privacy as privacy_prompts
from prompts import profile as profile_prompts
from prompts import reflection_conversation as reflection_prompts
from prompts import sessions as session_prompts
from prompts import topics as topic_prompts
from prompts.reflection_form import REFLECTION_FORM_CALLBACK
from sandbox.slack_requests import BotResponse, SlackRequests
from sandbox.workspace import Workspace
from tests.conftest import START
from tests.hostile.strategies import FEW_EXAMPLES, HOSTILE
from tests.security.conftest import ADMIN, MENTOR, TEAM_A, TeamA, seed_team_a
from tests.security.support import fill, row_counts, settle, team_rows, text_inputs

A_MESSAGE = {"ts": "1772618400.000001", "text": "", "blocks": []}
MENTION = re.compile(r"<[@#!]")
REPLIES = ("chat.postMessage", "chat.postEphemeral", "views.open", "views.push", "views.update", "views.publish", "files.completeUploadExternal")

# What people type after `/mentor`; admin ones are typed by the programme's admin.
COMMAND_PREFIXES = [
    "", "help", "programme", "program", "charter", "goals", "topics", "reflect", "reflections", "actions", "profile", "away", "away until", "calendar",
    "admin", "admin setup", "admin enrol", "admin enrol mentor", "admin enrol mentee", "admin enrol bulk", "admin pair",
    "admin match", "admin pause", "admin pause <@U0MENTEE> until", "admin resume", "admin end", "admin unpair", "admin reopen",
    "admin report", "admin report all", "admin export", "admin peers", "admin org", "admin template", "admin template save", "admin template delete", "admin setup new", "privacy", "schedule", "schedule suggest", "sessions", "log", "settings",
    "progress",
]


@pytest.fixture
async def team(bot: Runtime) -> TeamA:
    return await seed_team_a(bot)


async def _store(bot: Runtime) -> tuple[Any, Any]:
    return await team_rows(bot, TEAM_A), await row_counts(bot)


def _replied(workspace: Workspace, response: BotResponse, *, since: int, responses_since: int) -> bool:
    body = response.json() if response.text.strip().startswith("{") else None
    if isinstance(body, dict) and (body.get("text") or body.get("blocks") or body.get("errors") or body.get("view")):
        return True
    if len(workspace.responses) > responses_since:
        return True
    return any(call.method in REPLIES for call in workspace.calls[since:])


async def _send(workspace: Workspace, send) -> tuple[BotResponse, bool]:
    await settle()
    since, responses_since = len(workspace.calls), len(workspace.responses)
    response = await send()
    await settle()
    assert response.status < 500, response.text
    assert "Traceback" not in response.text
    assert not any("Traceback" in str(call.args) for call in workspace.calls[since:])
    return response, _replied(workspace, response, since=since, responses_since=responses_since)


def _nonsense_for(prefix: str, words: str) -> bool:
    """False where the hostile text happens to make a real request: a mention after an admin verb,
    "pause @someone until" with nothing after it (a pause with no end date), a time to schedule, or a
    day to be away until or to end a pause, or a name to save a template under."""
    if prefix.startswith("admin") and MENTION.search(words):
        return False
    if (prefix == "admin template save" and words.strip()) or (prefix == "admin template" and [word.lower() for word in words.split()[:1]] == ["save"]):
        return False  # any name is a template's name: a real save
    if prefix in ("schedule", "log") and parse_when(words, tz="Asia/Kolkata", now=START, past=prefix == "log").when is not None:
        return False  # a time after all: a real booking
    if prefix in ("away", "away until", "admin pause <@U0MENTEE> until"):
        typed = words.strip()
        typed = typed[len("until"):] if prefix == "away" and typed.lower().startswith("until") else typed
        zone = "Europe/London" if prefix.startswith("admin") else "Asia/Kolkata"
        if parse_day(typed, tz=zone, now=START, after_today=True).day is not None:
            return False  # a day after all: a real day away, or a pause's end
    return bool(words.strip()) or not prefix.endswith("until")


@FEW_EXAMPLES
@given(words=HOSTILE)
async def test_hostile_arguments_to_every_subcommand_get_a_reply_and_change_nothing(bot: Runtime, slack: SlackRequests, workspace: Workspace, team: TeamA, words: str):
    # The admin's first report records what the disclosure gate released (bot/flows/disclosure.py): by design, once.
    await _send(workspace, lambda: slack.command(ADMIN, "admin report"))
    before = await _store(bot)
    for prefix in COMMAND_PREFIXES:
        if not _nonsense_for(prefix, words):
            continue
        user_id = ADMIN if prefix.startswith("admin") else MENTOR
        _, replied = await _send(workspace, lambda prefix=prefix, user_id=user_id: slack.command(user_id, f"{prefix} {words}"))
        assert replied, f"/mentor {prefix} ... got no reply"
        assert await _store(bot) == before, f"/mentor {prefix} ... changed the store"


# --- typed answers to a reflection --------------------------------------------------------------------


async def _waiting_at(bot: Runtime, step: Step) -> None:
    """U0MENTOR's reflection on A's held session, waiting on `step` again (a previous example may have moved it on)."""
    async with bot.engine.begin() as connection:
        await connection.execute(
            text("UPDATE reflection SET step = :step, completed_at = NULL WHERE team_id = :team AND author_id = :author"),
            {"step": int(step), "team": TEAM_A, "author": MENTOR},
        )


async def _reflection_step(bot: Runtime) -> int:
    async with bot.engine.connect() as connection:
        result = await connection.execute(text("SELECT step FROM reflection WHERE team_id = :team AND author_id = :author"), {"team": TEAM_A, "author": MENTOR})
        return result.scalar_one()


@FEW_EXAMPLES
@given(words=HOSTILE)
async def test_a_hostile_typed_answer_to_any_question_gets_a_reply_and_nonsense_changes_nothing(bot: Runtime, slack: SlackRequests, workspace: Workspace, team: TeamA, words: str):
    for step in (step for step in Step if step is not Step.DONE):
        await _waiting_at(bot, step)
        before = await _store(bot)
        _, replied = await _send(workspace, lambda: slack.direct_message(MENTOR, words))
        assert replied, f"no reply at {step.name}"
        if await _reflection_step(bot) == int(step):  # not understood: asked again, nothing kept
            assert await _store(bot) == before, f"nonsense at {step.name} changed the store"


async def test_an_oversized_typed_answer_is_refused_with_the_limit(bot: Runtime, slack: SlackRequests, workspace: Workspace, team: TeamA):
    await _waiting_at(bot, Step.LEARNING)
    before = await _store(bot)
    since = len(workspace.calls)
    await _send(workspace, lambda: slack.direct_message(MENTOR, "I learned " + "a great deal " * 400))
    said = " ".join(str(call.args.get("text")) for call in workspace.calls[since:] if call.method == "chat.postMessage")
    assert f"{limits.TYPED_ANSWER:,} characters" in said
    assert await _store(bot) == before


async def test_an_oversized_typed_action_list_is_refused_with_the_limit(bot: Runtime, slack: SlackRequests, workspace: Workspace, team: TeamA):
    await _waiting_at(bot, Step.ACTIONS)
    before = await _store(bot)
    since = len(workspace.calls)
    await _send(workspace, lambda: slack.direct_message(MENTOR, "\n".join(f"Action number {n} for us both" for n in range(300))))
    said = " ".join(str(call.args.get("text")) for call in workspace.calls[since:] if call.method == "chat.postMessage")
    assert f"{limits.TYPED_ANSWER:,} characters" in said
    assert await _store(bot) == before


# --- modals' text boxes -------------------------------------------------------------------------------

# callback id -> who opens it in A, and how: ("command", text) or ("click", action id, value from A's ids)
MODAL_TEXT_CASES: dict[str, tuple[str, tuple]] = {
    check_in_prompts.CHECK_IN_SUBMIT: (MENTOR, ("click", check_in_prompts.CHECK_IN_OPEN, lambda ids: f"{check_in_prompts.MIDPOINT}:{ids.pair_id}")),
    REFLECTION_FORM_CALLBACK: (MENTOR, ("click", reflection_prompts.REFLECTION_OPEN_FORM_ACTION, lambda ids: str(ids.held_session_id))),
    action_prompts.ACTION_FORM_CALLBACK: (MENTOR, ("click", action_prompts.ACTION_EDIT_ACTION, lambda ids: str(ids.mentor_action_id))),
    charter_prompts.CHARTER_CALLBACK: (MENTOR, ("command", "charter")),
    goal_prompts.GOALS_CALLBACK: (MENTOR, ("click", goal_prompts.GOALS_EDIT_ACTION, lambda ids: str(ids.pair_id))),
    goal_prompts.GOAL_PROGRESS_CALLBACK: (MENTOR, ("click", goal_prompts.GOAL_UPDATE_ACTION, lambda ids: str(ids.mentor_goal_id))),
    topic_prompts.TOPICS_CALLBACK: (MENTOR, ("click", topic_prompts.TOPICS_CHOOSE_ACTION, lambda ids: str(ids.pair_id))),
    profile_prompts.PROFILE_CALLBACK: (MENTOR, ("command", "profile")),
    admin_prompts.SETUP_CALLBACK: (ADMIN, ("command", "admin setup")),
    admin_prompts.BULK_CALLBACK: (ADMIN, ("command", "admin enrol bulk")),
    org_prompts.ORG_CALLBACK: (ADMIN, ("command", "admin org")),
    session_prompts.SCHEDULE_CALLBACK: (MENTOR, ("command", "schedule")),
    session_prompts.RESCHEDULE_CALLBACK: (MENTOR, ("click", session_prompts.RESCHEDULE_ACTION, lambda ids: str(ids.booked_session_id))),
    session_prompts.CANCEL_CALLBACK: (MENTOR, ("click", session_prompts.CANCEL_ACTION, lambda ids: str(ids.booked_session_id))),
    privacy_prompts.DELETE_CALLBACK: (MENTOR, ("click", privacy_prompts.DELETE_ACTION, lambda ids: "")),
}
MODALS_WITHOUT_TEXT = {measure_prompts.MEASURE_FORM_SUBMIT, admin_safety.END_CALLBACK, org_prompts.REPORTING_LINE_CALLBACK, admin_prompts.ENROL_CALLBACK,
                       admin_prompts.PAIR_CALLBACK, admin_prompts.MATCH_CALLBACK, session_prompts.LOG_CALLBACK, nudge_prompts.SETTINGS_CALLBACK}


async def _open(slack: SlackRequests, workspace: Workspace, ids: TeamA, callback_id: str) -> tuple[str, dict[str, Any]]:
    user_id, how = MODAL_TEXT_CASES[callback_id]
    if how[0] == "command":
        await slack.command(user_id, how[1])
    else:
        await slack.block_action(user_id, {"action_id": how[1], "value": how[2](ids), "block_id": "b", "type": "button"}, message=A_MESSAGE)
    await settle()
    view = workspace.modal_stacks[user_id][-1]
    assert view["callback_id"] == callback_id
    assert text_inputs(view), f"{callback_id} has no text box: list it in MODALS_WITHOUT_TEXT"
    return user_id, view


@pytest.fixture
async def modals(slack: SlackRequests, workspace: Workspace, team: TeamA) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every modal with a text box, opened once by the person it is for in team A."""
    return {callback_id: await _open(slack, workspace, team, callback_id) for callback_id in MODAL_TEXT_CASES}


@FEW_EXAMPLES
@given(words=HOSTILE)
async def test_hostile_text_in_every_modal_never_fails(slack: SlackRequests, workspace: Workspace, modals: dict, words: str):
    for callback_id, (user_id, view) in modals.items():
        response, _ = await _send(workspace, lambda user_id=user_id, view=view: slack.view_submission(user_id, view, fill(view, typed=words)))
        body = response.json() if response.text.strip() else None
        assert body is None or body.get("response_action") in ("errors", "update", "clear", "push"), (callback_id, body)


@pytest.mark.parametrize("callback_id", list(MODAL_TEXT_CASES))
async def test_oversized_text_in_any_box_of_a_modal_is_refused_with_the_limit(bot: Runtime, slack: SlackRequests, workspace: Workspace, team: TeamA, callback_id: str):
    user_id, view = await _open(slack, workspace, team, callback_id)
    for block_id, action_id, declared in text_inputs(view):
        values = fill(view)
        values[block_id][action_id]["value"] = "x" * 10_000
        before = await _store(bot)
        response, _ = await _send(workspace, lambda values=values: slack.view_submission(user_id, view, values))
        body = response.json()
        limit = min(declared or limits.TEXT_BOX, limits.TEXT_BOX)
        assert body["response_action"] == "errors", body
        assert f"{limit:,}" in body["errors"][block_id]
        assert await _store(bot) == before


async def test_a_goal_of_ten_thousand_characters_is_refused_saying_five_hundred(bot: Runtime, slack: SlackRequests, workspace: Workspace, team: TeamA):
    user_id, view = await _open(slack, workspace, team, goal_prompts.GOALS_CALLBACK)
    block_id, action_id, _ = text_inputs(view)[0]
    values = fill(view)
    values[block_id][action_id]["value"] = "g" * 10_000
    response, _ = await _send(workspace, lambda: slack.view_submission(user_id, view, values))
    assert "10,000 characters; this box takes up to 500" in response.json()["errors"][block_id]
