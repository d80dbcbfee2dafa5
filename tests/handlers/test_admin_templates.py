"""Programme templates: `/mentor admin template` (list, save, delete), `setup new <template>`, and the set-up
form's "Start from" choice, which refills the open form from a template."""

import json

from sqlmodel import select

from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import programmes
from store.models import ProgrammeTemplate
from tests.conftest import START
from tests.factories import TEAM, make_programme
from tests.handlers.admin_helpers import command_reply, open_modal, text_of, with_values

PILOT = "Reverse mentoring pilot"
START_FROM = "admin_setup_start_from"


def _block(view: dict, block_id: str) -> dict:
    return next(block for block in view["blocks"] if block.get("block_id") == block_id)


def _initial(view: dict, block_id: str) -> str:
    element = _block(view, block_id)["element"]
    if "initial_option" in element:
        return element["initial_option"]["value"]
    return element.get("initial_value") or element.get("initial_date")


async def _saved_rows(db) -> list[ProgrammeTemplate]:
    async with db.begin() as session:
        return list((await session.exec(select(ProgrammeTemplate))).all())


async def _quarterly(db, clock) -> None:
    """A running programme with settings unlike the defaults, saved as the template "Quarterly"."""
    async with db.begin() as session:
        await make_programme(
            session, now=clock.now(), name="Board pilot", cadence_days=21, session_minutes=45, reminder_minutes="2880,30",
            work_start_hour=9, work_end_hour=17, k_anonymity=7, cosy_chat_run=4, ends_on=START.date().replace(month=6, day=2),
        )


async def test_the_list_shows_the_built_in_pilot(slack: SlackRequests, workspace: Workspace):
    reply = await command_reply(slack, workspace, "U0ADMIN", "admin template")
    text = text_of(reply)
    assert PILOT in text and "(built in)" in text
    assert "a 60-minute session every 30 days" in text and "182 days" in text and "smallest group shown 5" in text
    assert "No saved templates yet" in text


async def test_an_admin_saves_the_programme_as_a_template_and_it_is_listed(slack: SlackRequests, workspace: Workspace, db, clock):
    await _quarterly(db, clock)
    reply = await command_reply(slack, workspace, "U0ADMIN", "admin template save Quarterly")
    assert "Saved this programme's settings as the template *Quarterly*" in text_of(reply)
    (row,) = await _saved_rows(db)
    assert (row.team_id, row.name, row.created_by) == (TEAM, "Quarterly", "U0ADMIN")
    settings = json.loads(row.settings)
    assert (settings["cadence_days"], settings["session_minutes"], settings["reminder_minutes"], settings["k_anonymity"]) == (21, 45, "2880,30", 7)
    assert settings["length_days"] == 90 and settings["thresholds"]["cosy_chat_run"] == 4
    listed = text_of(await command_reply(slack, workspace, "U0ADMIN", "admin template list"))
    assert "*Quarterly*: 90 days, a 45-minute session every 21 days" in listed


async def test_a_duplicate_name_is_refused_in_any_case_and_nothing_more_is_saved(slack: SlackRequests, workspace: Workspace, db, clock):
    await _quarterly(db, clock)
    await command_reply(slack, workspace, "U0ADMIN", "admin template save Quarterly")
    again = await command_reply(slack, workspace, "U0ADMIN", "admin template save  QUARTERLY ")
    assert "There is already a template called `QUARTERLY`" in text_of(again) and "Nothing was saved" in text_of(again)
    built_in = await command_reply(slack, workspace, "U0ADMIN", f"admin template save {PILOT.lower()}")
    assert "There is already a template called" in text_of(built_in)
    assert [row.name for row in await _saved_rows(db)] == ["Quarterly"]


async def test_a_blank_or_too_long_name_is_refused(slack: SlackRequests, workspace: Workspace, db, clock):
    await _quarterly(db, clock)
    blank = await command_reply(slack, workspace, "U0ADMIN", "admin template save")
    assert "Give the template a name" in text_of(blank)
    long = await command_reply(slack, workspace, "U0ADMIN", "admin template save " + "x" * 61)
    assert "to 60 characters; that one has 61" in text_of(long)
    assert await _saved_rows(db) == []


async def test_a_name_people_typed_is_escaped_when_shown(slack: SlackRequests, workspace: Workspace, db, clock):
    await _quarterly(db, clock)
    reply = await command_reply(slack, workspace, "U0ADMIN", "admin template save <!channel> pilot")
    assert "<!channel>" not in json.dumps(reply) and "&lt;!channel&gt; pilot" in text_of(reply)


async def test_someone_who_is_not_an_admin_may_not_save_list_or_delete(slack: SlackRequests, workspace: Workspace, db, clock):
    await _quarterly(db, clock)
    for text in ("admin template save Mine", "admin template", f"admin template delete {PILOT}", f"admin setup new {PILOT}"):
        reply = await command_reply(slack, workspace, "U0MENTOR", text)
        assert "only programme admins" in text_of(reply)
    assert await _saved_rows(db) == []
    assert workspace.calls_to("views.open") == []


async def test_an_admin_deletes_a_saved_template_but_not_a_built_in_one(slack: SlackRequests, workspace: Workspace, db, clock):
    await _quarterly(db, clock)
    await command_reply(slack, workspace, "U0ADMIN", "admin template save Quarterly")
    gone = await command_reply(slack, workspace, "U0ADMIN", "admin template delete quarterly")
    assert "Deleted the template `quarterly`" in text_of(gone)
    assert await _saved_rows(db) == []
    built_in = await command_reply(slack, workspace, "U0ADMIN", f"admin template delete {PILOT}")
    assert "is built in, so it can't be deleted" in text_of(built_in)
    unknown = await command_reply(slack, workspace, "U0ADMIN", "admin template delete Nope")
    assert "There is no template called `Nope`" in text_of(unknown) and f"`{PILOT}`" in text_of(unknown)


async def test_setup_new_with_the_built_in_template_opens_the_form_filled_from_it(slack: SlackRequests, workspace: Workspace, db, clock):
    view = await open_modal(slack, workspace, "U0ADMIN", f"admin setup new {PILOT.upper()}")
    assert _initial(view, START_FROM) == f"t:{PILOT}"
    assert (_initial(view, "starts_on"), _initial(view, "ends_on")) == ("2026-03-04", "2026-09-02")  # 182 days
    assert [_initial(view, block) for block in ("cadence_days", "session_minutes", "reminder_minutes", "k_anonymity")] == ["30", "60", "1440,60", "5"]
    assert json.loads(view["private_metadata"])["template"] == PILOT


async def test_a_programme_saved_from_the_built_in_template_has_its_settings_topics_and_ground_rules(slack: SlackRequests, workspace: Workspace, db):
    view = await open_modal(slack, workspace, "U0ADMIN", f"admin setup new {PILOT}")
    await slack.view_submission("U0ADMIN", view, with_values(view, name="Pilot 2026"))
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        programme = await programmes.last_programme(session, team_id=TEAM)
    assert (programme.name, programme.template_name, programme.cadence_days, programme.session_minutes) == ("Pilot 2026", PILOT, 30, 60)
    assert (programme.ends_on - programme.starts_on).days == 182 and programme.k_anonymity == 5
    assert programme.topic_keys.split(",")[:2] == ["lived-experience", "generational-expectations"] and len(programme.topic_keys.split(",")) == 10
    assert "mentor-leads" in programme.ground_rule_keys.split(",") and "phones-away" not in programme.ground_rule_keys


async def test_an_unknown_template_name_is_refused_with_the_ones_there_are(slack: SlackRequests, workspace: Workspace, db, clock):
    await _quarterly(db, clock)
    await command_reply(slack, workspace, "U0ADMIN", "admin template save Quarterly")
    reply = await command_reply(slack, workspace, "U0ADMIN", "admin setup new Quartrly")
    assert "There is no template called `Quartrly`" in text_of(reply)
    assert f"`{PILOT}`, `Quarterly`" in text_of(reply)
    assert workspace.calls_to("views.open") == []


async def test_choosing_a_template_in_the_open_form_refills_it_and_the_programme_gets_its_settings(slack: SlackRequests, workspace: Workspace, db, clock):
    await _quarterly(db, clock)
    await command_reply(slack, workspace, "U0ADMIN", "admin template save Quarterly")
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup new")
    assert _initial(view, START_FROM) == "none" and _initial(view, "cadence_days") == "30"
    options = _block(view, START_FROM)["element"]["options"]
    assert [option["value"] for option in options] == ["none", f"t:{PILOT}", "t:Quarterly"]

    quarterly = next(option for option in options if option["value"] == "t:Quarterly")
    action = {"type": "static_select", "action_id": START_FROM, "block_id": START_FROM, "selected_option": quarterly}
    response = await slack.block_action("U0ADMIN", action, view=view)
    assert response.status == 200
    (update,) = await workspace.wait_for_calls("views.update")
    refilled = workspace.modal_stacks["U0ADMIN"][-1]
    assert refilled["id"] == view["id"]
    assert [_initial(refilled, block) for block in ("cadence_days", "session_minutes", "reminder_minutes", "k_anonymity", "cosy_chat_run")] == ["21", "45", "2880,30", "7", "4"]
    assert _initial(refilled, "ends_on") == "2026-06-02"
    # Slack keeps typed values in inputs whose ids survive an update: the refilled fields get new action ids.
    assert _block(refilled, "cadence_days")["element"]["action_id"] != _block(view, "cadence_days")["element"]["action_id"]
    assert _block(refilled, "name")["element"]["action_id"] == "name"

    await slack.view_submission("U0ADMIN", refilled, with_values(refilled, name="Summer cohort"))
    await workspace.wait_for_calls("chat.postMessage")
    async with db.begin() as session:
        programme = await programmes.last_programme(session, team_id=TEAM)
    assert (programme.name, programme.template_name) == ("Summer cohort", "Quarterly")
    assert (programme.cadence_days, programme.session_minutes, programme.reminder_minutes, programme.k_anonymity) == (21, 45, "2880,30", 7)
    assert (programme.work_start_hour, programme.work_end_hour, programme.cosy_chat_run) == (9, 17, 4)


async def test_a_non_admin_choosing_a_template_in_a_form_changes_nothing(slack: SlackRequests, workspace: Workspace, db, clock):
    await _quarterly(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin setup new")
    option = _block(view, START_FROM)["element"]["options"][1]
    action = {"type": "static_select", "action_id": START_FROM, "block_id": START_FROM, "selected_option": option}
    await slack.block_action("U0MENTOR", action, view=view)
    await workspace.wait_for_calls("chat.postMessage")
    assert workspace.calls_to("views.update") == []
    assert "only programme admins" in text_of({"text": workspace.calls_to("chat.postMessage")[-1].args.get("text", "")})
