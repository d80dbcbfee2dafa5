"""`/mentor privacy`: the explanation, the export to the person's DM, and deleting their data."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from bot.rules.health import build_report
from domain.statuses import OutboxStatus, PairStatus, SessionStatus
from prompts import privacy as words
from prompts import sessions as session_prompts
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import programmes, reports
from store.installations import InstallationStore
from store.models import MentoringSession, Outbox, Pair, ProgrammeAdmin, RoadmapItem, Topic
from tests.conftest import START
from tests.factories import TEAM
from tests.factories_privacy import (
    ADMIN,
    MENTEE,
    MENTOR,
    PARTNER_SECRET,
    decrypted,
    raw_rows,
    seed_pair_with_history,
)
from tests.factories_sessions import make_session
from tests.handlers.admin_helpers import text_of
from tests.security.support import settle

CONFIRMED = {words.CONFIRM_BLOCK: {words.CONFIRM_ACTION: {"type": "plain_text_input", "value": words.CONFIRM_WORD}}}


@pytest.fixture
async def seeded(bot):
    async with bot.services.sessions.begin() as session:
        return await seed_pair_with_history(session)


async def _export(slack: SlackRequests, workspace: Workspace, user_id: str = MENTOR) -> dict:
    await slack.block_action(user_id, {"type": "button", "action_id": words.EXPORT_ACTION})
    completed = await workspace.wait_for_calls("files.completeUploadExternal")
    return json.loads(workspace.files[completed[-1].args["files"][0]["id"]]["content"])


async def _open_delete(slack: SlackRequests, workspace: Workspace, user_id: str = MENTOR) -> dict:
    opened = len(workspace.calls_to("views.open"))
    await slack.block_action(user_id, {"type": "button", "action_id": words.DELETE_ACTION})
    await workspace.wait_for_calls("views.open", opened + 1)  # this form, not one opened before it
    return workspace.modal_stacks[user_id][-1]


async def _delete(slack: SlackRequests, workspace: Workspace, user_id: str = MENTOR, *, posts: int = 2) -> None:
    view = await _open_delete(slack, workspace, user_id)
    response = await slack.view_submission(user_id, view, CONFIRMED)
    assert response.status == 200
    await workspace.wait_for_calls("chat.postMessage", posts)


async def _report(bot):
    async with bot.services.sessions() as session:
        programme = await programmes.last_programme(session, team_id=TEAM)
        history = await reports.load_history(session, team_id=TEAM, programme=programme)
    return build_report(history, START)


# --- the explanation -------------------------------------------------------------------------------


async def test_privacy_explains_what_is_kept_and_who_sees_it_privately(slack: SlackRequests, seeded):
    body = await slack.command_reply(MENTOR, "privacy")
    assert body["response_type"] == "ephemeral"
    shown = text_of(body)
    assert "private to you by default" in shown
    assert "once they have reflected on the same session too" in shown
    assert "each over at least 5 people and changing only once 5 more people have answered" in shown  # k=2 is raised to 5
    assert "at least 2 people" not in shown
    assert "365 days after it ends" in shown
    buttons = [element for block in body["blocks"] if block["type"] == "actions" for element in block["elements"]]
    assert [(button["action_id"], button.get("style")) for button in buttons] == [(words.EXPORT_ACTION, "primary"), (words.DELETE_ACTION, "danger")]


async def test_privacy_is_listed_in_help(slack: SlackRequests):
    reply = await slack.command_reply(MENTOR, "help")
    assert reply is not None and "/mentor privacy" in text_of(reply)


# --- export ----------------------------------------------------------------------------------------


async def test_export_uploads_a_json_file_to_the_persons_dm(slack: SlackRequests, workspace: Workspace, seeded):
    await _export(slack, workspace)
    shared = [message for message in workspace.dm_messages(MENTOR) if message.files]
    assert len(shared) == 1
    assert shared[0].files[0]["name"].startswith("flipside-my-data-") and shared[0].files[0]["name"].endswith(".json")


async def test_export_holds_everything_the_person_wrote_and_took_part_in(slack: SlackRequests, workspace: Workspace, seeded):
    export = await _export(slack, workspace)
    assert export["user_id"] == MENTOR
    assert export["profile"]["department"] == "Data" and export["profile"]["interests"] == ["allyship"]
    assert [(e["role"], e["programme"]) for e in export["enrolments"]] == [("mentor", "Spring cohort")]
    assert [(p["partner_id"], p["your_role"], p["status"]) for p in export["pairs"]] == [(MENTEE, "mentor", "active")]
    assert export["charters"][0]["mentor_responsibilities"] == "MENTOR-DUTIES"
    assert [(g["text"], g["note"], g["organisation_benefit"]) for g in export["goals"]] == [("MENTOR-GOAL", "MENTOR-NOTE", "MENTOR-BENEFIT")]
    assert [(r["learning"], r["safety"]) for r in export["reflections"]] == [("MENTOR-EARLIER", 5), ("MENTOR-LEARNING", 4)]
    assert [a["text"] for a in export["actions"]] == ["MENTOR-ACTION"]
    assert [(s["status"], s["cancelled_by"]) for s in export["sessions"]] == [
        ("held", None), ("held", None), ("cancelled", MENTOR), ("cancelled", MENTEE), ("booked", None),
    ]
    assert [s["your_cancel_reason"] for s in export["sessions"] if s["cancelled_by"] == MENTOR] == ["MENTOR-REASON"]
    assert [(c["working"], c["change"]) for c in export["check_ins"]] == [(4, "MENTOR-CHANGE")]
    assert sorted(m["text"] for m in export["messages_to_you"]) == ["MENTOR-NUDGE", "MENTOR-WELCOME"]


async def test_export_never_holds_the_partners_private_answers_or_their_text(slack: SlackRequests, workspace: Workspace, seeded):
    export = json.dumps(await _export(slack, workspace))
    assert PARTNER_SECRET not in export
    for partners_own in ("PARTNER-SHARED", "PARTNER-GOAL", "PARTNER-ACTION", "PARTNER-CHANGE", "PARTNER-REASON", "PARTNER-NUDGE", "Tom Becker"):
        assert partners_own not in export
    assert '"safety": 2' not in export and '"safety": 3' not in export  # the partner's numeric answers too


# --- delete ----------------------------------------------------------------------------------------


async def test_delete_asks_for_confirmation_naming_the_pairing_it_ends(slack: SlackRequests, workspace: Workspace, seeded):
    view = await _open_delete(slack, workspace)
    assert view["callback_id"] == words.DELETE_CALLBACK
    shown = json.dumps(view)
    assert f"<@{MENTEE}>" in shown and "can't be undone" in shown
    assert words.CONFIRM_BLOCK in [block.get("block_id") for block in view["blocks"]]


async def test_a_wrong_confirmation_is_refused_and_changes_nothing(bot, slack: SlackRequests, workspace: Workspace, seeded):
    before = await raw_rows(bot.services.sessions)
    view = await _open_delete(slack, workspace)
    wrong = {words.CONFIRM_BLOCK: {words.CONFIRM_ACTION: {"type": "plain_text_input", "value": "delete it please"}}}
    response = await slack.view_submission(MENTOR, view, wrong)
    body = response.json()
    assert body["response_action"] == "errors" and "Type DELETE" in body["errors"][words.CONFIRM_BLOCK]
    assert await raw_rows(bot.services.sessions) == before
    assert workspace.calls_to("chat.postMessage") == []


async def test_the_form_takes_exactly_the_word_its_label_asks_for(bot, slack: SlackRequests, workspace: Workspace, seeded):
    # The label says "Type DELETE": "delete" in small letters is not that word, and nothing is deleted.
    before = await raw_rows(bot.services.sessions)
    view = await _open_delete(slack, workspace)
    [confirm] = [block for block in view["blocks"] if block.get("block_id") == words.CONFIRM_BLOCK]
    assert "DELETE" in confirm["label"]["text"]
    lower = {words.CONFIRM_BLOCK: {words.CONFIRM_ACTION: {"type": "plain_text_input", "value": "delete"}}}
    body = (await slack.view_submission(MENTOR, view, lower)).json()
    assert body["response_action"] == "errors"
    assert "capitals" in body["errors"][words.CONFIRM_BLOCK] and "or not" not in body["errors"][words.CONFIRM_BLOCK]
    assert await raw_rows(bot.services.sessions) == before


async def test_delete_erases_everything_the_person_wrote_from_the_database(bot, slack: SlackRequests, workspace: Workspace, seeded):
    await _delete(slack, workspace)
    rows = await raw_rows(bot.services.sessions)
    everything = decrypted(rows)
    assert "MENTOR-" not in everything
    assert "Priya" not in everything and "allyship" not in everything
    assert MENTOR not in json.dumps(rows, default=str)  # not even their user id, in any table


async def test_delete_leaves_no_encrypted_value_of_the_persons_text(bot, slack: SlackRequests, workspace: Workspace, seeded):
    await _delete(slack, workspace)
    rows = await raw_rows(bot.services.sessions)
    detached = [row for row in rows["goal"] if row["owner_id"].startswith("deleted-")]
    assert [(row["text"], row["org_benefit"], row["note"]) for row in detached] == [("", "", "")]
    reflections = [row for row in rows["reflection"] if row["author_id"].startswith("deleted-")]
    assert [row["learning"] for row in reflections] == ["", ""]
    assert [row["text"] for row in rows["action"] if row["owner_id"].startswith("deleted-")] == [""]
    assert [row["change"] for row in rows["check_in"] if row["user_id"].startswith("deleted-")] == [""]
    assert rows["charter"][0]["mentor_responsibilities"] == ""
    assert [row["payload"] for row in rows["outbox"] if row["recipient_id"].startswith("deleted-")] == ["", ""]


async def test_delete_keeps_the_partners_own_records(bot, slack: SlackRequests, workspace: Workspace, seeded):
    await _delete(slack, workspace)
    everything = decrypted(await raw_rows(bot.services.sessions))
    for partners_own in (PARTNER_SECRET, "PARTNER-SHARED", "PARTNER-GOAL", "PARTNER-ACTION", "PARTNER-CHANGE", "PARTNER-REASON", "PARTNER-NUDGE", "PARTNER-DUTIES", "Tom Becker"):
        assert partners_own in everything
    rows = await raw_rows(bot.services.sessions)
    assert len(rows["mentoring_session"]) == 5


async def test_delete_keeps_the_programme_figures(bot, slack: SlackRequests, workspace: Workspace, seeded):
    before = await _report(bot)
    await _delete(slack, workspace)
    after = await _report(bot)
    ignore = {"pairs_active", "pairs_ended"}  # the pair ends: the only figure that moves
    cohort_before = {k: v for k, v in dataclasses.asdict(before.cohort).items() if k not in ignore}
    cohort_after = {k: v for k, v in dataclasses.asdict(after.cohort).items() if k not in ignore}
    assert cohort_after == cohort_before
    assert (after.cohort.pairs_active, after.cohort.pairs_ended) == (0, 1)
    assert before.cohort.safety_respondents == after.cohort.safety_respondents == 2
    assert after.cohort.cancelled_by_mentor_side == before.cohort.cancelled_by_mentor_side == 1
    assert dataclasses.asdict(after.check_ins) == dataclasses.asdict(before.check_ins)
    assert [dataclasses.asdict(trend) for trend in after.trends] == [dataclasses.asdict(trend) for trend in before.trends]


async def test_delete_ends_the_pair_and_tells_both_kindly(bot, slack: SlackRequests, workspace: Workspace, seeded):
    await _delete(slack, workspace)
    mine = "\n".join(text_of(message.__dict__) for message in workspace.dm_messages(MENTOR))
    assert "I've deleted your data" in mine and "2 reflections" in mine and "1 goal" in mine and "your profile" in mine
    partner = "\n".join(text_of(message.__dict__) for message in workspace.dm_messages(MENTEE))
    assert "has ended" in partner and "Your own goals, reflections and actions are kept" in partner
    async with bot.services.sessions() as session:
        pair = await session.get(Pair, seeded.pair.id)
    assert pair.status == PairStatus.ENDED and pair.mentee_id == MENTEE and pair.mentor_id.startswith("deleted-")


async def test_delete_tells_the_programme_admin_the_pair_ended_without_a_reason_or_content(bot, slack: SlackRequests, workspace: Workspace, seeded):
    await _delete(slack, workspace, posts=3)

    [notice] = [call.args for call in workspace.calls_to("chat.postMessage") if call.args["channel"] == ADMIN]
    assert notice["text"] == (
        f"The pairing of <@{MENTEE}> has ended: their partner left the programme. "
        f"<@{MENTEE}> can be paired with someone new: `/mentor admin match` or `/mentor admin pair`."
    )
    assert MENTOR not in json.dumps(notice) and PARTNER_SECRET not in json.dumps(notice)


async def test_deleting_twice_changes_nothing_the_second_time(bot, slack: SlackRequests, workspace: Workspace, seeded):
    view = await _open_delete(slack, workspace)
    await slack.view_submission(MENTOR, view, CONFIRMED)
    await workspace.wait_for_calls("chat.postMessage", 3)  # to them, their partner and the programme admin
    after_first = await raw_rows(bot.services.sessions)
    await slack.view_submission(MENTOR, view, CONFIRMED)  # the same modal submitted again: a repeat, said nothing to
    await settle()
    assert await raw_rows(bot.services.sessions) == after_first
    assert len(workspace.calls_to("chat.postMessage")) == 3
    await slack.block_action(MENTOR, {"type": "button", "action_id": words.DELETE_ACTION})  # asked again, in a new form
    await settle()
    again = workspace.modal_stacks[MENTOR][-1]
    assert again["id"] != view["id"]
    await slack.view_submission(MENTOR, again, CONFIRMED)
    await workspace.wait_for_calls("chat.postMessage", 4)
    now = await raw_rows(bot.services.sessions)
    assert {table: rows for table, rows in now.items() if table != "processedevent"} == {
        table: rows for table, rows in after_first.items() if table != "processedevent"
    }  # only the new form's id is noted
    assert "nothing about you left to delete" in text_of(workspace.dm_messages(MENTOR)[-1].__dict__)
    assert len(workspace.dm_messages(MENTEE)) == 1  # the partner is told once
    assert len(workspace.dm_messages(ADMIN)) == 1  # and the admin


async def test_export_after_deleting_holds_nothing(bot, slack: SlackRequests, workspace: Workspace, seeded):
    await _delete(slack, workspace)
    export = await _export(slack, workspace)
    assert export["profile"] is None
    assert all(export[kind] == [] for kind in ("enrolments", "pairs", "goals", "reflections", "actions", "sessions", "check_ins", "messages_to_you"))


async def test_privacy_answers_before_any_programme_exists(slack: SlackRequests):
    body = await slack.command_reply("U0OTHER", "privacy")
    assert body["response_type"] == "ephemeral"
    assert "each over at least 5 people" in text_of(body)


async def test_someone_the_bot_holds_nothing_about_is_told_so(bot, slack: SlackRequests, workspace: Workspace, seeded):
    await _delete(slack, workspace, "U0OTHER", posts=1)
    assert "nothing about you left to delete" in text_of(workspace.dm_messages("U0OTHER")[-1].__dict__)
    assert workspace.dm_messages(MENTEE) == []


async def test_delete_refreshes_both_home_tabs_without_the_deleted_text(slack: SlackRequests, workspace: Workspace, seeded):
    await _delete(slack, workspace)
    published = await workspace.wait_for_calls("views.publish", 2)
    assert sorted(call.args["user_id"] for call in published) == [MENTEE, MENTOR]
    mine = next(call.args["view"] for call in published if call.args["user_id"] == MENTOR)
    assert "MENTOR-" not in json.dumps(mine)


# --- erasure is complete ---------------------------------------------------------------------------

MARKER = "ERASE-ME-"  # every text the erased person writes below holds it


async def _seed_every_place_they_write(bot, workspace: Workspace, seeded) -> None:
    """Beyond the seeded history: an own roadmap topic, a place, an admin seat, an install, and messages
    to others about them (their partner's pending notice, an admin's dead one), as the real flows write them."""
    pair = seeded.pair
    async with bot.services.sessions.begin() as session:
        topic = Topic(team_id=TEAM, pair_id=pair.id, title=f"{MARKER}topic", created_by=MENTOR)
        session.add(topic)
        await session.flush()
        session.add(RoadmapItem(team_id=TEAM, pair_id=pair.id, topic_key=f"own:{topic.id}", title=f"{MARKER}topic", position=1))
        await make_session(
            session, pair=pair, starts_at=START + timedelta(days=14), booked_by=MENTOR, location=f"{MARKER}room",
            topic_key=f"own:{topic.id}", topic=f"{MARKER}topic",
        )
        session.add(ProgrammeAdmin(team_id=TEAM, programme_id=seeded.programme.id, user_id=MENTOR))
        for key, recipient, status in ((f"about:{MENTOR}:{pair.id}:{MENTEE}", MENTEE, OutboxStatus.PENDING), (f"escalation:{pair.id}:{ADMIN}", ADMIN, OutboxStatus.DEAD)):
            text = f"<@{MENTOR}> wrote: {MARKER}note &amp; more"
            session.add(Outbox(team_id=TEAM, key=key, kind="notice", recipient_id=recipient, payload=json.dumps({"text": text}), due_at=START, status=status, created_at=START))
    store = InstallationStore(client_id="111.222", engine=bot.services.sessions.kw["bind"])
    await store.async_save(
        Installation(app_id="A0APP", team_id=TEAM, user_id=MENTOR, bot_token="xoxb-bot", bot_id="B0BOT", bot_user_id="U0BOT", user_token=f"xoxp-{MARKER}token")
    )


async def _cancel_through_the_app(slack: SlackRequests, workspace: Workspace, bot, user_id: str, reason: str) -> None:
    """The person cancels the pair's next booked session in the real form: the partner is told, with the reason."""
    async with bot.services.sessions() as session:
        booked = (await session.exec(select(MentoringSession).where(MentoringSession.status == SessionStatus.BOOKED).order_by(MentoringSession.starts_at))).first()
    await slack.block_action(user_id, {"action_id": session_prompts.CANCEL_ACTION, "value": str(booked.id)})
    await workspace.wait_for_calls("views.open", len(workspace.calls_to("views.open")) + 1)
    values = {session_prompts.REASON_BLOCK: {session_prompts.VALUE: {"type": "plain_text_input", "value": reason}}}
    response = await slack.view_submission(user_id, workspace.modal_stacks[user_id][-1], values)
    assert not response.text
    await settle()


def _rows_holding(rows: dict[str, list[dict]], needle: str) -> list[tuple[str, str]]:
    """(table, row) of every decrypted row holding the needle: where a search of the database finds it."""
    found = []
    for table, table_rows in json.loads(decrypted(rows)).items():
        found += [(table, json.dumps(row)) for row in table_rows if needle in json.dumps(row)]
    return found


async def test_erasure_leaves_nothing_of_them_in_any_row_even_rows_addressed_to_others(bot, slack: SlackRequests, workspace: Workspace, seeded):
    await _seed_every_place_they_write(bot, workspace, seeded)
    await _cancel_through_the_app(slack, workspace, bot, MENTOR, f"{MARKER}reason")
    partner_notices = [row for row in _rows_holding(await raw_rows(bot.services.sessions), f"{MARKER}reason") if row[0] == "outbox"]
    assert partner_notices  # the attack's premise: the partner's notice carries the reason and <@them>
    await _delete(slack, workspace, posts=len(workspace.calls_to("chat.postMessage")) + 2)
    await settle()
    rows = await raw_rows(bot.services.sessions)
    assert set(rows) >= {"slack_installations", "slack_bots", "outbox", "mentoring_session"}  # every table, the OAuth ones too
    for needle in (MARKER, "MENTOR-", MENTOR, "Priya"):
        assert _rows_holding(rows, needle) == [], needle
    [token] = {row["mentor_id"] for row in rows["pair"]}
    assert token.startswith("deleted-")
    for _, row in _rows_holding(rows, token):
        assert MENTOR not in row and MARKER not in row


async def test_the_partner_keeps_their_own_history_and_can_erase_later_too(bot, slack: SlackRequests, workspace: Workspace, seeded):
    await _seed_every_place_they_write(bot, workspace, seeded)
    await _cancel_through_the_app(slack, workspace, bot, MENTOR, f"{MARKER}reason")
    await _delete(slack, workspace, posts=len(workspace.calls_to("chat.postMessage")) + 2)
    await settle()
    published = [call.args["view"] for call in workspace.calls_to("views.publish") if call.args["user_id"] == MENTEE]
    assert MENTOR not in json.dumps(published[-1]) and MARKER not in json.dumps(published[-1])  # their Home, republished, names no one gone
    export = await _export(slack, workspace, MENTEE)
    assert [g["text"] for g in export["goals"]] == ["PARTNER-GOAL"]
    assert [r["learning"] for r in export["reflections"]] == ["PARTNER-SHARED", PARTNER_SECRET]
    assert "PARTNER-NUDGE" in [m["text"] for m in export["messages_to_you"]]
    assert [p["status"] for p in export["pairs"]] == ["ended"]
    await _delete(slack, workspace, MENTEE, posts=len(workspace.calls_to("chat.postMessage")) + 1)
    await settle()
    rows = await raw_rows(bot.services.sessions)
    for needle in (MARKER, "MENTOR-", "PARTNER-", MENTOR, MENTEE, "Priya", "Tom Becker"):
        assert _rows_holding(rows, needle) == [], needle
    [(mentor_token, mentee_token)] = {(row["mentor_id"], row["mentee_id"]) for row in rows["pair"]}
    assert mentor_token != mentee_token and {mentor_token[:8], mentee_token[:8]} == {"deleted-"}


async def test_erasure_forgets_the_person_in_the_cache_of_slack_answers(bot, slack: SlackRequests, workspace: Workspace, clock, seeded):
    await _delete(slack, workspace)
    await settle()
    asked = len([call for call in workspace.calls_to("users.info") if call.args.get("user") == MENTOR])
    client = AsyncWebClient(token=workspace.bot_token, base_url=bot.services.settings.slack_api_url)
    await bot.services.users.fetch(client, MENTOR, now=clock.now())
    assert len([call for call in workspace.calls_to("users.info") if call.args.get("user") == MENTOR]) == asked + 1  # asked afresh: nothing kept
