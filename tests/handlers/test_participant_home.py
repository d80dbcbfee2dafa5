"""A participant's Home: the next session in their own zone with its buttons, open actions, and both
members' Home republished after every change to their pair, through signed requests into the real app."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlmodel import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from domain.statuses import ActionStatus, SessionStatus
from prompts import actions as action_prompts
from prompts import calendar as calendar_prompts
from prompts import home as home_prompts
from prompts import sessions as session_prompts
from sandbox.block_checks import VIEW_BLOCKS
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import SlackApiError, Workspace
from store.models import Action, MentoringSession, Pair, RoadmapItem
from tests.conftest import START
from tests.factories import make_charter, make_pair, make_programme
from tests.factories_sessions import make_action, make_goal, make_roadmap, make_session
from tests.handlers.pairing_support import text_of

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"  # in Kolkata and New York (tests/conftest.py)
BOTH = {MENTOR, MENTEE}
# Fri 6 Mar 14:00 UTC: 19:30 in Kolkata, 09:00 in New York (before the clocks change on 8 March).
SOON = datetime(2026, 3, 6, 14, 0, tzinfo=UTC)
TOPICS = [("hybrid-working", "Hybrid working in practice"), ("ai-tools-at-work", "AI tools at work")]


@pytest.fixture
async def pair(bot: Runtime, clock: ManualClock) -> Pair:
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        pair = await make_pair(session, programme=programme, now=clock.now())
        await make_charter(session, pair=pair, now=clock.now(), session_minutes=45)
        await make_roadmap(session, pair=pair, topics=TOPICS)
        return pair


async def _add_session(bot: Runtime, pair: Pair, starts_at: datetime, **fields: Any) -> MentoringSession:
    async with bot.services.sessions.begin() as session:
        return await make_session(session, pair=pair, starts_at=starts_at, minutes=45, topic="AI tools at work", **fields)


async def _stored(bot: Runtime, model: type, item_id: int) -> Any:
    async with bot.services.sessions() as session:
        return await session.get(model, item_id)


async def _open_home(slack: SlackRequests, workspace: Workspace, user_id: str) -> dict:
    before = len(workspace.calls_to("views.publish"))
    await slack.app_home_opened(user_id)
    await workspace.wait_for_calls("views.publish", before + 1)
    return workspace.home_views[user_id]


def _section_after(view: dict, heading: str) -> list[dict]:
    """The blocks under a header, up to the next divider."""
    blocks = view["blocks"]
    start = next(i for i, block in enumerate(blocks) if block["type"] == "header" and block["text"]["text"] == heading)
    end = next((i for i in range(start + 1, len(blocks)) if blocks[i]["type"] == "divider"), len(blocks))
    return blocks[start + 1 : end]


def _elements(block: dict) -> list[dict]:
    return list(block.get("elements", [])) + ([block["accessory"]] if "accessory" in block else [])


def _button(view: dict, action_id: str, value: str | None = None) -> tuple[dict, dict]:
    for block in view["blocks"]:
        for element in _elements(block):
            if element.get("action_id") == action_id and (value is None or element.get("value") == value):
                return block, element
    raise AssertionError(f"no {action_id!r} button on this Home")


async def _click_on_home(slack: SlackRequests, workspace: Workspace, user_id: str, action_id: str, value: str | None = None) -> None:
    """Click a button that is on this person's published Home, as Slack sends it (container: the view)."""
    view = workspace.home_views[user_id]
    block, element = _button(view, action_id, value)
    response = await slack.block_action(user_id, {**element, "block_id": block.get("block_id", "b")}, view=view)
    assert response.status == 200


async def _modal_from_home(slack, workspace, user_id: str, action_id: str, value: str | None = None) -> dict:
    before = len(workspace.calls_to("views.open"))
    await _click_on_home(slack, workspace, user_id, action_id, value)
    await workspace.wait_for_calls("views.open", before + 1)
    return workspace.modal_stacks[user_id][-1]


async def _republished(workspace: Workspace, before: int) -> set[str]:
    """Whose Home was published since `before` calls, once both have been."""
    await workspace.wait_for_calls("views.publish", before + 2)
    return {call.args["user_id"] for call in workspace.calls_to("views.publish")[before:]}


def _when_value(when: datetime) -> dict:
    return {session_prompts.VALUE: {"type": "datetimepicker", "selected_date_time": int(when.timestamp())}}


def _reason(text: str = "") -> dict:
    return {session_prompts.VALUE: {"type": "plain_text_input", "value": text}}


# --- the next session -------------------------------------------------------------------------------


async def test_home_shows_the_next_session_in_each_viewers_zone_with_reschedule_and_cancel(slack, workspace, bot, pair):
    booked = await _add_session(bot, pair, SOON, mentee_confirmed=True)
    for user_id, when, partner in ((MENTOR, "Fri 6 Mar, 19:30 IST (45 min)", MENTEE), (MENTEE, "Fri 6 Mar, 09:00 EST (45 min)", MENTOR)):
        view = await _open_home(slack, workspace, user_id)
        shown = _section_after(view, home_prompts.HOME_SESSION_HEADER)
        assert f"*When:* {when}\n*With:* <@{partner}>\n*Topic:* AI tools at work" in text_of(shown)
        [buttons] = [block for block in shown if block["type"] == "actions"]
        labels = {element["action_id"]: (element["text"]["text"], element["value"]) for element in buttons["elements"]}
        assert labels[session_prompts.RESCHEDULE_ACTION] == ("Reschedule", str(booked.id))
        assert labels[session_prompts.CANCEL_ACTION] == ("Cancel", str(booked.id))
    # Only the side that has not confirmed yet is asked to.
    assert session_prompts.CONFIRM_ACTION in str(_section_after(workspace.home_views[MENTOR], home_prompts.HOME_SESSION_HEADER))
    assert session_prompts.CONFIRM_ACTION not in str(_section_after(workspace.home_views[MENTEE], home_prompts.HOME_SESSION_HEADER))


async def test_a_session_that_has_started_is_not_next_the_following_one_is(slack, workspace, bot, clock, pair):
    await _add_session(bot, pair, START - timedelta(minutes=30))  # under way now, still "booked" until reflected on
    await _add_session(bot, pair, SOON + timedelta(days=7))
    await _add_session(bot, pair, SOON)
    await _add_session(bot, pair, START + timedelta(hours=2), status=SessionStatus.CANCELLED)
    view = await _open_home(slack, workspace, MENTOR)
    assert "Fri 6 Mar, 19:30 IST" in text_of(_section_after(view, home_prompts.HOME_SESSION_HEADER))

    clock.set(SOON + timedelta(minutes=5))
    view = await _open_home(slack, workspace, MENTOR)
    assert "Fri 13 Mar, 19:30 IST" in text_of(_section_after(view, home_prompts.HOME_SESSION_HEADER))

    clock.set(SOON + timedelta(days=8))
    view = await _open_home(slack, workspace, MENTOR)
    shown = _section_after(view, home_prompts.HOME_SESSION_HEADER)
    assert text_of(shown) == home_prompts.NO_SESSION
    assert shown[0]["accessory"]["action_id"] == session_prompts.SCHEDULE_OPEN_ACTION


async def test_the_homes_ids_are_unique_where_slack_needs_them(slack, workspace, bot, pair):
    await _add_session(bot, pair, SOON)
    async with bot.services.sessions.begin() as session:
        for number in range(3):
            await make_action(session, pair=pair, owner_id=MENTOR, text=f"Action {number}", now=START)
    view = await _open_home(slack, workspace, MENTOR)
    block_ids = [block["block_id"] for block in view["blocks"] if "block_id" in block]
    assert len(block_ids) == len(set(block_ids))
    for block in view["blocks"]:
        action_ids = [element["action_id"] for element in _elements(block) if "action_id" in element]
        assert len(action_ids) == len(set(action_ids)), block
    # Each session button appears once on Home: the next session's, nowhere else.
    for action_id in (session_prompts.CONFIRM_ACTION, session_prompts.RESCHEDULE_ACTION, session_prompts.CANCEL_ACTION):
        assert sum(element.get("action_id") == action_id for block in view["blocks"] for element in _elements(block)) == 1


async def test_a_paused_pairs_session_is_shown_without_buttons_that_would_be_refused(slack, workspace, bot, clock):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now())
        paused = await make_pair(session, programme=programme, now=clock.now(), status="paused")
    await _add_session(bot, paused, SOON)
    shown = _section_after(await _open_home(slack, workspace, MENTEE), home_prompts.HOME_SESSION_HEADER)
    assert "Fri 6 Mar, 09:00 EST" in text_of(shown)
    assert [block["type"] for block in shown] == ["section"] and "accessory" not in shown[0]


# --- buttons on Home, and both Homes kept up to date --------------------------------------------------


async def test_cancel_from_home_cancels_and_republishes_both_homes(slack, workspace, bot, clock, pair):
    booked = await _add_session(bot, pair, SOON)
    await _open_home(slack, workspace, MENTEE)
    modal = await _modal_from_home(slack, workspace, MENTEE, session_prompts.CANCEL_ACTION, str(booked.id))
    assert modal["callback_id"] == session_prompts.CANCEL_CALLBACK
    before = len(workspace.calls_to("views.publish"))
    response = await slack.view_submission(MENTEE, modal, {session_prompts.REASON_BLOCK: _reason("Board meeting")})
    assert response.status == 200 and not response.text
    assert await _republished(workspace, before) == BOTH
    cancelled = await _stored(bot, MentoringSession, booked.id)
    assert (cancelled.status, cancelled.cancelled_by, cancelled.cancel_reason) == (SessionStatus.CANCELLED, MENTEE, "Board meeting")
    for user_id in BOTH:
        assert text_of(_section_after(workspace.home_views[user_id], home_prompts.HOME_SESSION_HEADER)) == home_prompts.NO_SESSION
    assert "cancelled your session" in workspace.dm_messages(MENTOR)[-1].text


async def test_reschedule_from_home_moves_it_and_both_homes_show_the_new_time(slack, workspace, bot, pair):
    booked = await _add_session(bot, pair, SOON)
    await _open_home(slack, workspace, MENTOR)
    modal = await _modal_from_home(slack, workspace, MENTOR, session_prompts.RESCHEDULE_ACTION, str(booked.id))
    assert modal["callback_id"] == session_prompts.RESCHEDULE_CALLBACK
    before = len(workspace.calls_to("views.publish"))
    moved = datetime(2026, 3, 9, 12, 30, tzinfo=UTC)  # inside both working days: a move outside them asks first
    values = {session_prompts.WHEN_BLOCK: _when_value(moved), session_prompts.REASON_BLOCK: _reason()}
    assert not (await slack.view_submission(MENTOR, modal, values)).text
    assert await _republished(workspace, before) == BOTH
    assert (await _stored(bot, MentoringSession, booked.id)).starts_at == moved
    assert "Mon 9 Mar, 18:00 IST" in text_of(_section_after(workspace.home_views[MENTOR], home_prompts.HOME_SESSION_HEADER))
    assert "Mon 9 Mar, 08:30 EDT" in text_of(_section_after(workspace.home_views[MENTEE], home_prompts.HOME_SESSION_HEADER))


async def test_book_from_home_opens_the_schedule_form_and_booking_republishes_both(slack, workspace, bot, pair):
    await _open_home(slack, workspace, MENTOR)
    modal = await _modal_from_home(slack, workspace, MENTOR, session_prompts.SCHEDULE_OPEN_ACTION)
    assert modal["callback_id"] == session_prompts.SCHEDULE_CALLBACK
    before = len(workspace.calls_to("views.publish"))
    values = {
        # An hour before SOON: 18:30 in Kolkata, 08:00 in New York, inside both working days (booked without asking).
        session_prompts.WHEN_BLOCK: _when_value(SOON - timedelta(hours=1)),
        session_prompts.LENGTH_BLOCK: {session_prompts.VALUE: {"type": "static_select", "selected_option": {"value": "60"}}},
    }
    assert not (await slack.view_submission(MENTOR, modal, values)).text
    assert await _republished(workspace, before) == BOTH
    assert "Fri 6 Mar, 08:00 EST (60 min)" in text_of(_section_after(workspace.home_views[MENTEE], home_prompts.HOME_SESSION_HEADER))


async def test_typed_booking_and_confirming_republish_both_homes(slack, workspace, bot, pair):
    before = len(workspace.calls_to("views.publish"))
    await slack.command(MENTEE, "schedule next tuesday 9am")  # 18:30 for Priya: inside both working days
    assert await _republished(workspace, before) == BOTH
    assert session_prompts.CONFIRM_ACTION in str(workspace.home_views[MENTOR]["blocks"])
    [booked] = await _sessions(bot)
    before = len(workspace.calls_to("views.publish"))
    await _click_on_home(slack, workspace, MENTOR, session_prompts.CONFIRM_ACTION, str(booked.id))
    assert await _republished(workspace, before) == BOTH
    assert (await _stored(bot, MentoringSession, booked.id)).mentor_confirmed
    assert session_prompts.CONFIRM_ACTION not in str(workspace.home_views[MENTOR]["blocks"])


async def test_home_asks_slack_whether_someone_is_a_workspace_admin_once_in_minutes(slack, workspace, bot, clock, pair):
    """Which Home each sees depends on whether they are a workspace admin (users.info): kept for
    minutes, not asked again on every change or opening; after that, asked afresh."""
    await _add_session(bot, pair, SOON)

    def asked(user_id: str) -> int:
        return sum(call.args["user"] == user_id for call in workspace.calls_to("users.info"))

    await _open_home(slack, workspace, MENTEE)
    first = asked(MENTEE)
    for _ in range(3):
        await _open_home(slack, workspace, MENTEE)
    assert asked(MENTEE) == first
    clock.advance(timedelta(minutes=6))
    workspace.members[MENTEE].is_owner = True  # made a workspace owner: the admin Home, once Slack is asked again
    view = await _open_home(slack, workspace, MENTEE)
    assert asked(MENTEE) > first  # (the admin Home itself then asks afresh, as every admin action does)
    assert home_prompts.HOME_SESSION_HEADER not in str(view["blocks"])


async def _sessions(bot: Runtime) -> list[MentoringSession]:
    async with bot.services.sessions() as session:
        return list((await session.exec(select(MentoringSession).order_by(MentoringSession.id))).all())


async def test_done_from_home_ticks_the_action_off_and_republishes_both(slack, workspace, bot, pair):
    async with bot.services.sessions.begin() as session:
        mine = await make_action(session, pair=pair, owner_id=MENTOR, text="Write up the graduate survey", now=START, due_on=date(2026, 3, 10))
        await make_action(session, pair=pair, owner_id=MENTEE, text="Sponsor one graduate project", now=START)
    view = await _open_home(slack, workspace, MENTOR)
    shown = _section_after(view, home_prompts.HOME_ACTIONS_HEADER)
    assert "Write up the graduate survey" in text_of(shown)
    assert "Sponsor one graduate project" not in text_of(shown) and f"<@{MENTEE}> has 1 open action." in text_of(shown)
    before = len(workspace.calls_to("views.publish"))
    await _click_on_home(slack, workspace, MENTOR, action_prompts.ACTION_DONE_ACTION, str(mine.id))
    assert await _republished(workspace, before) == BOTH
    assert (await _stored(bot, Action, mine.id)).status == ActionStatus.DONE
    assert "Write up the graduate survey" not in text_of(workspace.home_views[MENTOR]["blocks"])


async def test_adding_an_action_from_home_republishes_both(slack, workspace, bot, pair):
    await _open_home(slack, workspace, MENTEE)
    modal = await _modal_from_home(slack, workspace, MENTEE, action_prompts.ACTION_ADD_ACTION)
    before = len(workspace.calls_to("views.publish"))
    values = {"text": {action_prompts.FORM_ACTION: {"type": "plain_text_input", "value": "Shadow a graduate for a day"}}}
    assert not (await slack.view_submission(MENTEE, modal, values)).text
    assert await _republished(workspace, before) == BOTH
    assert "Shadow a graduate for a day" in text_of(_section_after(workspace.home_views[MENTEE], home_prompts.HOME_ACTIONS_HEADER))
    assert f"<@{MENTEE}> has 1 open action." in text_of(workspace.home_views[MENTOR]["blocks"])


async def test_a_reflection_that_marks_the_session_held_and_a_topic_covered_republishes_both(slack, workspace, bot, pair):
    ended = await _add_session(bot, pair, START - timedelta(hours=2))
    before = len(workspace.calls_to("views.open"))
    await slack.block_action(MENTEE, {"type": "button", "action_id": "reflection_open_form", "value": str(ended.id)})
    await workspace.wait_for_calls("views.open", before + 1)
    values = {
        "took_place": {"value": {"type": "radio_buttons", "selected_option": {"value": "yes"}}},
        "topic": {"value": {"type": "static_select", "selected_option": {"value": "ai-tools-at-work"}}},
    }
    before = len(workspace.calls_to("views.publish"))
    assert not (await slack.view_submission(MENTEE, workspace.modal_stacks[MENTEE][-1], values)).text
    assert await _republished(workspace, before) == BOTH
    assert (await _stored(bot, MentoringSession, ended.id)).status == SessionStatus.HELD
    assert "2. AI tools at work :white_check_mark: _covered_" in text_of(workspace.home_views[MENTOR]["blocks"])


async def test_answering_whether_it_took_place_in_the_dm_republishes_both(slack, workspace, bot, pair):
    ended = await _add_session(bot, pair, START - timedelta(hours=2))
    await slack.command(MENTOR, "reflect")  # asks, in the DM, whether it took place
    [question] = [message for message in await _dm_with_buttons(workspace, MENTOR)]
    block, yes = next((block, element) for block in question.blocks for element in _elements(block) if element.get("value") == f"{ended.id}:yes")
    before = len(workspace.calls_to("views.publish"))
    await slack.block_action(MENTOR, {**yes, "block_id": block["block_id"]}, message=question.as_slack())
    assert await _republished(workspace, before) == BOTH
    assert (await _stored(bot, MentoringSession, ended.id)).status == SessionStatus.HELD


async def _dm_with_buttons(workspace: Workspace, user_id: str) -> list:
    await workspace.wait_until(lambda: any(m.blocks for m in workspace.dm_messages(user_id)))
    return [message for message in workspace.dm_messages(user_id) if any(block["type"] == "actions" for block in message.blocks)]


async def test_an_admin_pausing_the_pair_republishes_both_homes(slack, workspace, bot, pair):
    await _add_session(bot, pair, SOON)
    before = len(workspace.calls_to("views.publish"))
    await slack.command("U0ADMIN", f"admin pause <@{MENTEE}|tom>")
    assert await _republished(workspace, before) == BOTH
    shown = _section_after(workspace.home_views[MENTOR], home_prompts.HOME_SESSION_HEADER)
    assert "Fri 6 Mar, 19:30 IST" in text_of(shown) and "actions" not in [block["type"] for block in shown]


async def test_a_home_that_fails_to_publish_breaks_neither_the_change_nor_the_partners_home(slack, workspace, bot, pair):
    booked = await _add_session(bot, pair, SOON)
    await _open_home(slack, workspace, MENTOR)
    modal = await _modal_from_home(slack, workspace, MENTOR, session_prompts.CANCEL_ACTION, str(booked.id))
    workspace.failures["views.publish"] = [SlackApiError("internal_error")]  # the canceller's Home, published first
    before = len(workspace.calls_to("views.publish"))
    assert not (await slack.view_submission(MENTOR, modal, {session_prompts.REASON_BLOCK: _reason()})).text
    assert await _republished(workspace, before) == BOTH
    assert (await _stored(bot, MentoringSession, booked.id)).status == SessionStatus.CANCELLED
    assert text_of(_section_after(workspace.home_views[MENTEE], home_prompts.HOME_SESSION_HEADER)) == home_prompts.NO_SESSION
    assert "cancelled your session" in workspace.dm_messages(MENTEE)[-1].text


# --- within Block Kit's limits ------------------------------------------------------------------------


async def test_a_busy_pairs_home_stays_within_block_kits_limits(slack, workspace, bot, pair):
    async with bot.services.sessions.begin() as session:
        for number in range(120):  # uncapped, these alone would pass the 100 blocks
            due_on = date(2026, 8, 1) - timedelta(days=number)  # the last added is due soonest
            await make_action(session, pair=pair, owner_id=MENTOR, text=f"Mentor action {number:03d}", now=START, due_on=due_on)
        for number in range(25):
            await make_action(session, pair=pair, owner_id=MENTEE, text=f"Mentee action {number:02d}", now=START)
        for owner in (MENTOR, MENTEE):
            for number in range(8):
                await make_goal(session, pair=pair, owner_id=owner, text=f"Goal {number} of {owner}", updated_at=START)
        for position in range(len(TOPICS), 8):
            session.add(RoadmapItem(team_id=pair.team_id, pair_id=pair.id, topic_key=f"own:{position}", title=f"Own topic {position}", position=position))
        for day in range(1, 30):
            await make_session(session, pair=pair, starts_at=START + timedelta(days=day), minutes=45)
    view = await _open_home(slack, workspace, MENTOR)  # published: the sandbox refuses what Slack would
    assert len(view["blocks"]) <= VIEW_BLOCKS
    actions_shown = _section_after(view, home_prompts.HOME_ACTIONS_HEADER)
    assert sum("Mentor action" in text_of([block]) for block in actions_shown) == home_prompts.HOME_ACTIONS_SHOWN
    assert text_of(actions_shown).startswith(":small_blue_diamond: Mentor action 119\n_You · due Sat 4 Apr 2026_")  # soonest due first
    assert "…and 110 more: `/mentor actions`" in text_of(actions_shown)
    assert f"<@{MENTEE}> has 25 open actions." in text_of(actions_shown)
    goals_text = text_of(_section_after(view, home_prompts.HOME_GOALS_HEADER))
    assert goals_text.count("…and 5 more: `/mentor goals`") == 2
    assert "8. Own topic 7" in text_of(view["blocks"])


async def test_add_to_calendar_on_home_sends_the_next_session_as_a_file_with_links_beside_it(slack, workspace, bot, pair):
    booked = await _add_session(bot, pair, SOON, mentee_confirmed=True)
    view = await _open_home(slack, workspace, MENTEE)
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in str(_section_after(view, home_prompts.HOME_SESSION_HEADER))
    assert "outlook.office.com/calendar/0/deeplink/compose?" in str(_section_after(view, home_prompts.HOME_SESSION_HEADER))

    await _click_on_home(slack, workspace, MENTEE, calendar_prompts.ADD_TO_CALENDAR_ACTION, str(booked.id))

    [completed] = await workspace.wait_for_calls("files.completeUploadExternal")
    content = workspace.files[completed.args["files"][0]["id"]]["content"]
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("DTSTART") == SOON and event["DTSTART"].params["TZID"] == "America/New_York"


async def test_the_homes_calendar_links_name_the_partner_not_your_partner(slack, workspace, bot, pair):
    await _add_session(bot, pair, SOON, mentee_confirmed=True)
    view = await _open_home(slack, workspace, MENTEE)

    links = str(_section_after(view, home_prompts.HOME_SESSION_HEADER))

    assert "Priya+Nair" in links or "Priya%20Nair" in links  # the event's title, URL-encoded, as in the booking message
    assert "your+partner" not in links and "your%20partner" not in links
