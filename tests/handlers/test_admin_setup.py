"""`/mentor admin setup`: create and edit the programme, check each field, and keep non-admins out."""

import pytest
from sqlmodel import select

from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import programmes
from store.models import Programme
from tests.conftest import START
from tests.factories import TEAM, make_pair, make_programme
from tests.handlers.admin_helpers import dms_to, open_modal, text_of, with_values


async def test_the_workspace_owner_who_sets_up_the_first_programme_becomes_its_admin(slack: SlackRequests, workspace: Workspace, db):
    view = await open_modal(slack, workspace, "U0OWNER", "admin setup")
    response = await slack.view_submission("U0OWNER", view, with_values(view, name="Spring cohort"))
    assert response.status == 200
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        programme = await programmes.last_programme(session, team_id=TEAM)
        assert programme.name == "Spring cohort"
        assert programme.created_by == "U0OWNER"
        assert await programmes.admin_ids(session, team_id=TEAM, programme_id=programme.id) == ["U0OWNER"]
    assert "Spring cohort" in dms_to(workspace, "U0OWNER")[0]


async def test_someone_named_in_the_settings_may_set_up_the_first_programme(slack: SlackRequests, workspace: Workspace, settings):
    assert settings.setup_admins == ("U0ADMIN",)  # Amara, HR, is not a Slack workspace admin
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    assert view["callback_id"] == "admin_setup"


async def test_with_no_programme_an_employee_may_not_set_one_up_and_is_told_who_can(slack: SlackRequests, workspace: Workspace, db):
    body = await slack.command_reply("U0MENTOR", "admin setup")
    assert "workspace admin or owner" in text_of(body) and "FLIPSIDE_SETUP_ADMINS" in text_of(body)
    assert workspace.calls_to("views.open") == []
    async with db.begin() as session:
        assert await programmes.last_programme(session, team_id=TEAM) is None


async def test_with_no_programme_a_set_up_form_from_an_employee_saves_nothing(slack: SlackRequests, workspace: Workspace, db):
    view = await open_modal(slack, workspace, "U0OWNER", "admin setup")  # the form, as Slack would show it
    response = await slack.view_submission("U0MENTOR", view, with_values(view, name="Mine now"))
    assert response.json()["response_action"] == "errors"
    async with db.begin() as session:
        assert await programmes.last_programme(session, team_id=TEAM) is None


async def test_a_new_programme_has_the_usual_defaults(slack: SlackRequests, workspace: Workspace, db):
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    await slack.view_submission("U0ADMIN", view, with_values(view, name="Autumn"))
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        programme = await programmes.last_programme(session, team_id=TEAM)
    assert programme.starts_on == START.date()
    assert (programme.ends_on - programme.starts_on).days == 182
    assert (programme.cadence_days, programme.session_minutes, programme.reminder_minutes) == (30, 60, "1440,60")
    assert (programme.k_anonymity, programme.max_pairs_per_person) == (5, 1)


async def test_other_admins_chosen_in_the_form_become_admins_too(slack: SlackRequests, workspace: Workspace, db):
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    await slack.view_submission("U0ADMIN", view, with_values(view, name="Autumn", admins=["U0OTHER"]))
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        programme = await programmes.last_programme(session, team_id=TEAM)
        assert await programmes.admin_ids(session, team_id=TEAM, programme_id=programme.id) == ["U0ADMIN", "U0OTHER"]


@pytest.mark.parametrize(
    ("changes", "block", "words"),
    [
        ({"name": ""}, "name", "name"),
        ({"ends_on": "2026-03-01"}, "ends_on", "after the start"),
        ({"k_anonymity": "1"}, "k_anonymity", "from 5"),
        ({"k_anonymity": "2"}, "k_anonymity", "never shown over fewer than 5 people"),  # issue 14, finding 1
        ({"cadence_days": "0"}, "cadence_days", "from 7"),
        ({"session_minutes": "sixty"}, "session_minutes", "whole number"),
        ({"max_pairs_per_person": "9"}, "max_pairs_per_person", "to 5"),
        ({"reminder_minutes": "tomorrow"}, "reminder_minutes", "1440,60"),
        ({"work_start_hour": "17", "work_end_hour": "18"}, "work_end_hour", "four hours"),
    ],
)
async def test_a_bad_field_is_refused_under_its_own_block(slack: SlackRequests, workspace: Workspace, db, changes, block, words):
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    response = await slack.view_submission("U0ADMIN", view, with_values(view, **{"name": "Spring", **changes}))
    body = response.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == [block]
    assert words in body["errors"][block]
    async with db.begin() as session:
        assert await programmes.last_programme(session, team_id=TEAM) is None


async def test_an_admin_edits_the_programme_in_a_form_filled_with_its_settings(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        existing = await make_programme(session, now=clock.now(), name="Spring", cadence_days=21)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    assert "Spring" in str(view["blocks"])
    await slack.view_submission("U0ADMIN", view, with_values(view, cadence_days="14", admins=["U0ADMIN", "U0OTHER"]))
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        rows = (await session.exec(select(Programme))).all()
        assert [(row.id, row.name, row.cadence_days) for row in rows] == [(existing.id, "Spring", 14)]
        assert await programmes.admin_ids(session, team_id=TEAM, programme_id=existing.id) == ["U0ADMIN", "U0OTHER"]


def _initial(view: dict, block_id: str) -> str:
    return next(block for block in view["blocks"] if block.get("block_id") == block_id)["element"]["initial_value"]


WARNINGS = ("role_reversal_window", "role_reversal_threshold", "cosy_chat_run", "low_safety_count", "low_safety_threshold", "stalled_goal_sessions")


async def test_the_form_shows_the_early_warning_thresholds_and_saves_changes(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        existing = await make_programme(session, now=clock.now(), name="Spring", role_reversal_window=4, low_safety_threshold=2.0)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    assert "Early warnings" in text_of(view)
    assert [_initial(view, block) for block in WARNINGS] == ["4", "2", "2", "3", "2", "3"]

    changes = {"role_reversal_threshold": "3", "cosy_chat_run": "3", "low_safety_count": "4", "low_safety_threshold": "1.5", "stalled_goal_sessions": "5"}
    response = await slack.view_submission("U0ADMIN", view, with_values(view, **changes))
    assert response.status == 200 and not response.text
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        saved = await programmes.get_programme(session, team_id=TEAM, programme_id=existing.id)
    assert [getattr(saved, name) for name in WARNINGS] == [4, 3, 3, 4, 1.5, 5]


async def test_a_new_programme_starts_with_the_default_thresholds(slack: SlackRequests, workspace: Workspace, db):
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    assert [_initial(view, block) for block in WARNINGS] == ["3", "2", "2", "3", "2.5", "3"]
    await slack.view_submission("U0ADMIN", view, with_values(view, name="Autumn"))
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        programme = await programmes.last_programme(session, team_id=TEAM)
    assert [getattr(programme, name) for name in WARNINGS] == [3, 2, 2, 3, 2.5, 3]


@pytest.mark.parametrize(
    ("changes", "block", "words"),
    [
        ({"role_reversal_threshold": "4"}, "role_reversal_threshold", "more than the sessions looked back over (3)"),
        ({"role_reversal_window": "2", "role_reversal_threshold": "3"}, "role_reversal_threshold", "(2)"),
        ({"role_reversal_window": "0"}, "role_reversal_window", "from 1 to 10"),
        ({"cosy_chat_run": "11"}, "cosy_chat_run", "from 1 to 10"),
        ({"low_safety_count": "2"}, "low_safety_count", "from 3 to 10"),
        ({"low_safety_threshold": "5.5"}, "low_safety_threshold", "from 1 to 5"),
        ({"low_safety_threshold": "0.9"}, "low_safety_threshold", "from 1 to 5"),
        ({"low_safety_threshold": "low"}, "low_safety_threshold", "such as 2.5"),
        ({"stalled_goal_sessions": "three"}, "stalled_goal_sessions", "whole number"),
    ],
)
async def test_a_bad_threshold_is_refused_under_its_field_and_nothing_is_saved(slack: SlackRequests, workspace: Workspace, db, clock, changes, block, words):
    async with db.begin() as session:
        existing = await make_programme(session, now=clock.now(), name="Spring", cadence_days=21)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    # The good changes in the same submission are not saved either.
    response = await slack.view_submission("U0ADMIN", view, with_values(view, **{"name": "Renamed", "cadence_days": "14", "stalled_goal_sessions": "5", **changes}))
    body = response.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == [block]
    assert words in body["errors"][block]
    async with db.begin() as session:
        unchanged = await programmes.get_programme(session, team_id=TEAM, programme_id=existing.id)
    assert (unchanged.name, unchanged.cadence_days) == ("Spring", 21)
    assert [getattr(unchanged, name) for name in WARNINGS] == [3, 2, 2, 3, 2.5, 3]


async def test_setup_new_starts_a_programme_beside_the_running_one(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        old = await make_programme(session, now=clock.now(), name="Board pilot")
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup new")
    await slack.view_submission("U0ADMIN", view, with_values(view, name="EMEA cohort"))
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        running = await programmes.running(session, team_id=TEAM)
    assert [programme.name for programme in running] == ["EMEA cohort", "Board pilot"]
    assert running[1].id == old.id and running[1].status == "active"


ADMIN_COMMANDS = [
    "admin",
    "admin setup",
    "admin setup new",
    "admin enrol mentor <@U0OTHER|leo>",
    "admin enrol",
    "admin enrol bulk",
    "admin pair <@U0MENTOR|priya> <@U0MENTEE|tom>",
    "admin pair",
    "admin match",
    "admin pause <@U0MENTOR|priya>",
    "admin resume <@U0MENTOR|priya>",
    "admin end <@U0MENTOR|priya>",
    "admin unpair <@U0MENTOR|priya>",
]


@pytest.mark.parametrize("text", ADMIN_COMMANDS)
async def test_someone_who_is_not_an_admin_is_refused_and_told_who_the_admins_are(slack: SlackRequests, workspace: Workspace, db, clock, text):
    async with db.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now())
    body = await slack.command_reply("U0MENTOR", text)
    assert body["response_type"] == "ephemeral"
    assert "only programme admins" in text_of(body)
    assert "<@U0ADMIN>" in text_of(body)
    assert workspace.calls_to("views.open") == []
    async with db.begin() as session:
        assert (await session.get(type(pair), pair.id)).status == "active"


async def test_between_cohorts_only_the_last_programmes_admins_may_set_up_the_next(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        await make_programme(session, now=clock.now(), status="closed")
    body = await slack.command_reply("U0MENTOR", "admin setup")
    assert "only programme admins" in text_of(body) and "<@U0ADMIN>" in text_of(body)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup")
    assert view["callback_id"] == "admin_setup"


async def test_a_workspace_owner_may_run_admin_commands(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        await make_programme(session, now=clock.now())
    view = await open_modal(slack, workspace, "U0OWNER", "admin setup")
    assert view["callback_id"] == "admin_setup"


async def test_admin_commands_other_than_setup_ask_for_a_programme_first(slack: SlackRequests):
    body = await slack.command_reply("U0ADMIN", "admin match")
    assert "/mentor admin setup" in text_of(body)


async def test_an_unknown_admin_command_lists_what_admins_can_do(slack: SlackRequests, db, clock):
    async with db.begin() as session:
        await make_programme(session, now=clock.now())
    body = await slack.command_reply("U0ADMIN", "admin frobnicate")
    assert "I don't know `/mentor admin frobnicate`" in text_of(body)
    assert "/mentor admin pair" in text_of(body)


@pytest.mark.parametrize(("action_id", "callback_id"), [("admin_setup_open", "admin_setup"), ("admin_enrol_open", "admin_enrol"), ("admin_pair_open", "admin_pair")])
async def test_the_admin_home_buttons_open_the_same_forms(slack: SlackRequests, workspace: Workspace, db, clock, action_id, callback_id):
    async with db.begin() as session:
        await make_programme(session, now=clock.now())
    await slack.block_action("U0ADMIN", {"type": "button", "action_id": action_id}, view={"id": "VHOME", "type": "home"})
    await workspace.wait_for_calls("views.open")
    assert workspace.modal_stacks["U0ADMIN"][-1]["callback_id"] == callback_id


async def test_the_admin_home_buttons_refuse_someone_who_is_not_an_admin(slack: SlackRequests, workspace: Workspace, db, clock):
    async with db.begin() as session:
        await make_programme(session, now=clock.now())
    await slack.block_action("U0MENTOR", {"type": "button", "action_id": "admin_pair_open"}, view={"id": "VHOME", "type": "home"})
    await workspace.wait_for_calls("chat.postMessage")
    assert "only programme admins" in dms_to(workspace, "U0MENTOR")[0]
    assert workspace.calls_to("views.open") == []
