"""Times that suit both (issue 17 B): `/mentor schedule suggest` lists three, each in both zones with
"Book this"; the booking form opens on the first; none overlaps the pair's sessions or a busy block in a
connected calendar.

START is Wed 4 Mar 2026 10:00 UTC. Priya (U0MENTOR) is in Kolkata, Tom (U0MENTEE) in New York; with the
programme's 08:00-19:00, their days share 30 minutes until New York's clocks go forward on Sunday 8 March,
then 90 (12:00-13:30 UTC): an hour's session first fits on Monday 9 March, 17:30 in Kolkata, 08:00 in New York."""
# ruff: noqa: F811  (the calendar fixtures are imported, then requested by name)

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.clock import ManualClock
from bot.flows.busy_time import busy_blocks
from bot.runtime import Runtime
from prompts import sessions as session_prompts
from prompts import suggestions as words
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import calendars
from store.models import MentoringSession, Programme
from tests.calendar_standins import StandIns, bot, bot_port, settings, standins  # noqa: F401
from tests.factories import TEAM, make_charter, make_pair, make_programme
from tests.factories_sessions import make_session
from tests.handlers.pairing_support import click_in_ephemeral, text_of

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"
MONDAY_NOON = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)


async def _pair(bot: Runtime, clock: ManualClock, *, minutes: int = 60):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=clock.now() - timedelta(days=7))
        pair = await make_pair(session, programme=programme, now=clock.now() - timedelta(days=7))
        await make_charter(session, pair=pair, now=clock.now() - timedelta(days=7), session_minutes=minutes, cadence_days=14)
    return pair


def _times(body: dict) -> list[datetime]:
    return [datetime.fromtimestamp(int(button["value"]), UTC) for button in _book_buttons(body)]


def _book_buttons(body: dict) -> list[dict]:
    return [block["accessory"] for block in body["blocks"] if block.get("accessory", {}).get("action_id") == words.SUGGESTED_BOOK_ACTION]


async def _sessions(bot: Runtime) -> list[MentoringSession]:
    async with bot.services.sessions() as session:
        return list((await session.exec(select(MentoringSession).order_by(MentoringSession.id))).all())


async def test_suggest_lists_three_times_inside_both_working_days_each_in_both_zones(slack: SlackRequests, bot, clock):
    await _pair(bot, clock)

    body = await slack.command_reply(MENTEE, "schedule suggest")

    assert body["response_type"] == "ephemeral"
    assert _times(body) == [MONDAY_NOON, MONDAY_NOON + timedelta(days=1), MONDAY_NOON + timedelta(days=2)]
    text = text_of(body["blocks"])
    assert "Mon 9 Mar, 08:00 EDT for you, Mon 9 Mar, 17:30 IST for <@U0MENTOR>" in text
    assert "60-minute" in text and "/mentor schedule thursday 3pm" in text
    assert await _sessions(bot) == []  # suggesting books nothing


async def test_book_this_books_that_time_once_however_often_it_is_clicked(slack: SlackRequests, workspace: Workspace, bot, clock):
    await _pair(bot, clock)
    body = await slack.command_reply(MENTOR, "schedule suggest")
    second = _book_buttons(body)[1]
    action = {"action_id": second["action_id"], "value": second["value"], "type": "button"}

    await click_in_ephemeral(slack, MENTOR, action)
    await workspace.wait_for_calls("chat.postMessage", 2)  # both told of the booking
    await click_in_ephemeral(slack, MENTOR, action)

    [booked] = await _sessions(bot)
    assert (booked.starts_at, booked.minutes, booked.booked_by) == (MONDAY_NOON + timedelta(days=1), 60, MENTOR)
    assert await workspace.wait_until(lambda: any(r.get("replace_original") for r in workspace.responses))
    [replaced] = [r for r in workspace.responses if r.get("replace_original")]
    assert replaced["text"].startswith("Booked: Tue 10 Mar, 17:30 IST (60 min)")


async def test_no_suggestion_overlaps_the_pairs_sessions_or_a_busy_block_in_either_connected_calendar(
    slack: SlackRequests, bot, clock, standins: StandIns,
):
    await _pair(bot, clock)
    for user_id, provider, address, tz in ((MENTOR, "google", "priya@example.com", "Asia/Kolkata"),
                                           (MENTEE, "microsoft", "tom@example.com", "America/New_York")):
        accounts = standins.of(provider)
        accounts.account(address, tz)
        tokens = accounts.issue(address)
        async with bot.services.sessions.begin() as session:
            await calendars.save_connection(session, team_id=TEAM, user_id=user_id, provider=provider, account=address,
                                            access_token=tokens["access_token"], refresh_token=tokens["refresh_token"],
                                            expires_at=clock.now() + timedelta(hours=1), now=clock.now())
    standins.google.account("priya@example.com").add_busy(MONDAY_NOON - timedelta(minutes=30), MONDAY_NOON + timedelta(minutes=30))
    standins.microsoft.account("tom@example.com").add_busy(MONDAY_NOON + timedelta(days=2, minutes=45), MONDAY_NOON + timedelta(days=2, hours=2))

    times = _times(await slack.command_reply(MENTEE, "schedule suggest"))

    busy = await busy_blocks(bot.services, team_id=TEAM, user_ids=[MENTOR, MENTEE], start=clock.now(), end=clock.now() + timedelta(days=40))
    assert len(busy) == 2 and len(times) == 3
    assert not [start for start in times for block in busy if block.overlaps(start, start + timedelta(hours=1))]
    # Priya is busy until 12:30 on Monday, so Monday's is later; Wednesday's shared hour and a half is
    # broken by Tom's meeting from 12:45, so Wednesday has none and Thursday comes third.
    assert times == [MONDAY_NOON + timedelta(minutes=30), MONDAY_NOON + timedelta(days=1), MONDAY_NOON + timedelta(days=3)]


async def test_a_session_the_pair_has_booked_ahead_is_avoided(slack: SlackRequests, bot, clock):
    pair = await _pair(bot, clock)
    async with bot.services.sessions.begin() as session:
        await make_session(session, pair=pair, starts_at=MONDAY_NOON + timedelta(days=1, minutes=30), minutes=60)

    times = _times(await slack.command_reply(MENTEE, "schedule suggest"))

    assert times == [MONDAY_NOON, MONDAY_NOON + timedelta(days=2), MONDAY_NOON + timedelta(days=3)]


async def test_the_days_either_of_them_is_away_are_avoided(slack: SlackRequests, workspace: Workspace, bot, clock):
    await _pair(bot, clock)
    reply = await slack.command_reply(MENTEE, "away until 2026-03-10")  # Tom is away to the end of Tuesday, New York time
    assert reply is not None and "10" in reply["text"]

    times = _times(await slack.command_reply(MENTOR, "schedule suggest"))

    assert times == [MONDAY_NOON + timedelta(days=2), MONDAY_NOON + timedelta(days=3), MONDAY_NOON + timedelta(days=4)]


async def test_the_cadence_counts_from_the_last_time_they_met(slack: SlackRequests, bot, clock):
    pair = await _pair(bot, clock)
    async with bot.services.sessions.begin() as session:
        await make_session(session, pair=pair, starts_at=MONDAY_NOON - timedelta(days=7), minutes=60, status="held")

    times = _times(await slack.command_reply(MENTEE, "schedule suggest"))

    # Every 14 days from Monday 2 March, looking from a quarter-cadence early (Friday 13 March) on.
    assert times == [datetime(2026, 3, 13, 12, 0, tzinfo=UTC), datetime(2026, 3, 16, 12, 0, tzinfo=UTC), datetime(2026, 3, 17, 12, 0, tzinfo=UTC)]


async def test_a_session_one_of_them_booked_in_another_pair_is_avoided(slack: SlackRequests, bot, clock):
    pair = await _pair(bot, clock)
    async with bot.services.sessions.begin() as session:
        programme = await session.get(Programme, pair.programme_id)
        other = await make_pair(session, programme=programme, mentor_id="U0MENTOR", mentee_id="U0OTHER", now=clock.now())
        await make_session(session, pair=other, starts_at=MONDAY_NOON, minutes=60)  # Priya with Léo, Monday 17:30 in Kolkata

    times = _times(await slack.command_reply(MENTEE, "schedule suggest"))

    assert times == [MONDAY_NOON + timedelta(days=1), MONDAY_NOON + timedelta(days=2), MONDAY_NOON + timedelta(days=3)]


async def test_the_booking_form_opens_on_the_first_suggestion_with_the_others_listed(slack: SlackRequests, workspace: Workspace, bot, clock):
    await _pair(bot, clock)

    await slack.command(MENTEE, "schedule")
    await workspace.wait_for_calls("views.open")

    modal = workspace.modal_stacks[MENTEE][-1]
    [picker] = [block["element"] for block in modal["blocks"] if block.get("block_id") == session_prompts.WHEN_BLOCK]
    assert picker["initial_date_time"] == int(MONDAY_NOON.timestamp())
    listed = text_of(modal["blocks"])
    assert "Times that suit you both" in listed and "Wed 11 Mar, 08:00 EDT for you" in listed


async def test_a_session_longer_than_their_shared_hours_gets_no_suggestion_and_says_why(slack: SlackRequests, bot, clock):
    await _pair(bot, clock, minutes=120)

    body = await slack.command_reply(MENTEE, "schedule suggest")

    assert _times(body) == []
    assert "never overlap for a whole 120-minute session" in body["text"] and "08:00 to 19:00" in body["text"]


async def test_someone_with_no_pair_is_told_so(slack: SlackRequests, bot):
    body = await slack.command_reply("U0OTHER", "schedule suggest")
    assert body["response_type"] == "ephemeral" and not _times(body)
    assert body["text"] == session_prompts.build_refusal(session_prompts.NO_PAIR)["text"]
