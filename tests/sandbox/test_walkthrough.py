"""docs/sandbox.md's "Walking the main flows", followed against `--demo` as a reader would: each command
is read from the page itself, so a change there that breaks the walk fails here. The demo is seeded
on two different days of the week (a Wednesday morning and a Friday evening, UTC) to show the walks
hold on any day. Everything goes through the page's API: signed requests into the real bot."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from domain.statuses import SessionStatus
from sandbox.demo import PROGRAMME_NAME
from sandbox.server import Sandbox
from store.models import MentoringSession, Pair, Programme
from tests.conftest import START

DOC = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"
MOST_MOVES = 4  # "+1 day at a time" never takes more than this from any day


def walk(title: str) -> str:
    """The walk whose bullet starts with **title**, from docs/sandbox.md."""
    section = DOC.read_text(encoding="utf-8").split("## Walking the main flows", 1)[1].split("\n## ", 1)[0]
    bullets = {match.group(1): match.group(2) for match in re.finditer(r"^- \*\*(.+?)\*\*(.*?)(?=^- \*\*|^\||\Z)", section, re.M | re.S)}
    assert title in bullets, f"docs/sandbox.md no longer walks {title!r}: {list(bullets)}"
    return " ".join(bullets[title].split())


def walk_intro() -> str:
    """What the page says of the walks before the first one."""
    section = DOC.read_text(encoding="utf-8").split("## Walking the main flows", 1)[1]
    return " ".join(section.split("\n- **", 1)[0].split())


def typed(text: str, starting: str = "") -> str:
    """The first thing the walk tells the reader to type (in `code`) that starts with `starting`."""
    said = [span for span in re.findall(r"`([^`]+)`", text) if span.startswith(starting)]
    assert said, f"the walk no longer says to type something starting {starting!r}: {text}"
    return said[0]


@pytest.fixture(params=[START, datetime(2026, 3, 6, 16, 45, tzinfo=UTC)], ids=lambda now: f"{now:%a-%H%M}")
def clock(request) -> ManualClock:
    return ManualClock(request.param)


# --- what a person sees, and does ----------------------------------------------------------------
def seen(message: dict[str, Any]) -> str:
    return message["text"] + json.dumps(message["blocks"], ensure_ascii=False)


def newest(sandbox: Sandbox, user: str, text: str) -> dict[str, Any] | None:
    """The newest message in their DM showing `text`, if any."""
    return next((m for m in reversed(sandbox.page.state(user)["messages"]) if text in seen(m)), None)


async def dm(sandbox: Sandbox, user: str, text: str) -> dict[str, Any]:
    """The newest message in their DM showing `text`, once it has come (the bot answers events and
    clicks after acknowledging them)."""
    await sandbox.workspace.wait_until(lambda: newest(sandbox, user, text) is not None)
    message = newest(sandbox, user, text)
    assert message is not None, f"{user} never saw {text!r}"
    return message


async def press(sandbox: Sandbox, user: str, message: dict[str, Any], label: str) -> None:
    for block in message["blocks"]:
        for element in block.get("elements", []) + [block.get("accessory") or {}]:
            if element.get("type") == "button" and element["text"]["text"] == label:
                action = {"type": "button", "action_id": element["action_id"], "block_id": block["block_id"], "text": element["text"],
                          **({"value": element["value"]} if "value" in element else {})}
                await sandbox.page.action(user, "message", action, ts=message["ts"])
                return
    raise AssertionError(f"no {label!r} button in {seen(message)}")


async def send(sandbox: Sandbox, user: str, text: str) -> None:
    await sandbox.page.send(user, text)


# Where an element's value sits in `state.values`; its first value is the same key with `initial_`.
STATE_KEY = {
    "datetimepicker": "selected_date_time", "datepicker": "selected_date", "timepicker": "selected_time",
    "static_select": "selected_option", "radio_buttons": "selected_option", "multi_static_select": "selected_options",
    "checkboxes": "selected_options", "users_select": "selected_user", "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation", "channels_select": "selected_channel",
    "plain_text_input": "value", "number_input": "value", "url_text_input": "value", "email_text_input": "value",
}


def as_it_comes(view: dict[str, Any], typed_in: dict[str, str] | None = None) -> dict[str, Any]:
    """A form's values as first drawn, with text `typed_in` the fields so labelled: what pressing its
    submit button sends."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        element = block.get("element")
        if block["type"] != "input" or element is None:
            continue
        key = STATE_KEY[element["type"]]
        first = element.get("initial_" + key.removeprefix("selected_"), [] if key.endswith("s") else None)
        value = (typed_in or {}).get(block["label"]["text"], first)
        values[block["block_id"]] = {element["action_id"]: {"type": element["type"], key: value}}
    return values


async def move_a_day_until(sandbox: Sandbox, done, what: str) -> None:
    for _ in range(MOST_MOVES):
        if done():
            return
        await sandbox.page.move_clock(by="day")
    assert done(), f"{MOST_MOVES} days on, still no {what} (clock at {sandbox.clock.now():%a %d %b %H:%M} UTC)"


# --- the walks ------------------------------------------------------------------------------------
async def test_setting_up_as_far_as_the_pairs_welcome(sandbox: Sandbox):
    """The commands of the set-up walk; the charter, goals and roadmap that follow are walked in a
    browser by tests/sandbox/test_browser.py."""
    steps = walk("Setting up")
    await send(sandbox, "U0AMARA", typed(steps, "/mentor admin setup"))
    [form] = sandbox.page.state("U0AMARA")["modals"]
    await sandbox.page.submit("U0AMARA", as_it_comes(form, {"Programme name": "Reverse mentoring pilot"}))
    await dm(sandbox, "U0AMARA", "Reverse mentoring pilot is set up")
    await send(sandbox, "U0AMARA", typed(steps, "/mentor admin enrol mentor"))
    await dm(sandbox, "U0AMARA", "<@U0PRIYA>")
    await send(sandbox, "U0AMARA", typed(steps, "/mentor admin enrol mentee"))
    await dm(sandbox, "U0AMARA", "<@U0TOM>")
    await send(sandbox, "U0AMARA", typed(steps, "/mentor admin pair"))
    await dm(sandbox, "U0AMARA", "<@U0PRIYA> is now the reverse-mentor for <@U0TOM>")
    welcome = seen(await dm(sandbox, "U0PRIYA", "Welcome to your reverse-mentoring pair"))
    assert "<@U0TOM>" in welcome and "Start your charter" in welcome


async def test_a_session_and_its_nudges(demo_sandbox: Sandbox):
    sandbox, steps = demo_sandbox, walk("A session and its nudges")
    await send(sandbox, "U0HELEN", typed(steps, "/mentor schedule"))
    [form] = sandbox.page.state("U0HELEN")["modals"]
    assert form["title"]["text"] == "Book a session"
    answer = await sandbox.page.submit("U0HELEN", as_it_comes(form))
    assert answer["response_action"] is None and sandbox.page.state("U0HELEN")["errors"] == {}
    booked = await _newest_booking(sandbox, "U0HELEN")
    # As the walk says: a day or more ahead, inside both working days (08:00-19:00 in London and in Paris).
    assert booked >= sandbox.clock.now() + timedelta(days=1)
    for zone in ("Europe/London", "Europe/Paris"):
        local = booked.astimezone(ZoneInfo(zone))
        assert local.weekday() < 5 and 8 <= local.hour and (local + timedelta(minutes=60)).hour <= 19

    await press(sandbox, "U0LEO", await dm(sandbox, "U0LEO", "<@U0HELEN> booked a session with you"), "Confirm")
    await dm(sandbox, "U0LEO", "you've confirmed")

    def reminded() -> bool:
        return newest(sandbox, "U0LEO", "Reminder: your session with <@U0HELEN>") is not None

    await move_a_day_until(sandbox, reminded, "reminder for Léo")
    leo = seen(await dm(sandbox, "U0LEO", "Reminder: your session with <@U0HELEN>"))
    assert "A suggested agenda" in leo and "Questions to open with" in leo
    helen = seen(await dm(sandbox, "U0HELEN", "Reminder: your session with <@U0LEO>"))
    assert "Topic" in helen and "Your role is to listen and learn" in helen

    def asked() -> bool:
        return all(newest(sandbox, user, "Did it take place?") for user in ("U0LEO", "U0HELEN"))

    await move_a_day_until(sandbox, asked, "question whether the session took place")
    await press(sandbox, "U0HELEN", await dm(sandbox, "U0HELEN", "Did it take place?"), "Yes, we met")
    await dm(sandbox, "U0HELEN", "Who did most of the sharing")


async def test_a_reflection(demo_sandbox: Sandbox):
    sandbox, steps = demo_sandbox, walk("A reflection")
    await sandbox.page.open_tab("U0PRIYA", "home")
    await sandbox.workspace.wait_until(lambda: sandbox.page.state("U0PRIYA")["home"] is not None)
    home = json.dumps(sandbox.page.state("U0PRIYA")["home"], ensure_ascii=False)
    assert "<@U0TOM>" in home
    session = await _newest_booking(sandbox, "U0PRIYA")
    said = re.search(r"Priya and Tom meet at (\d\d:\d\d) in New York, which is the evening in Kolkata", walk_intro())
    assert said, "the page no longer says when Priya and Tom meet"
    assert session.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") == said.group(1)
    assert session.astimezone(ZoneInfo("Asia/Kolkata")).hour >= 17
    assert sandbox.clock.now() < session
    await move_a_day_until(sandbox, lambda: sandbox.clock.now() >= session + timedelta(hours=1), "end of the session")

    await send(sandbox, "U0PRIYA", typed(steps, "/mentor reflect"))
    await press(sandbox, "U0PRIYA", await dm(sandbox, "U0PRIYA", "Did your session with <@U0TOM>"), "Yes, it did")
    await dm(sandbox, "U0PRIYA", "Who did most of the sharing")
    await send(sandbox, "U0PRIYA", typed(steps, "even"))
    await dm(sandbox, "U0PRIYA", "How free did you feel")
    await send(sandbox, "U0PRIYA", typed(steps, "4"))
    topics = await dm(sandbox, "U0PRIYA", "Which topic did you cover?")
    await press(sandbox, "U0PRIYA", topics, "Feedback and speaking up")
    await dm(sandbox, "U0PRIYA", "What did you learn or see differently?")
    await send(sandbox, "U0PRIYA", "Tom's team wants feedback in the moment, not saved up for reviews.")
    await dm(sandbox, "U0PRIYA", "What will you do as a result?")
    action = typed(steps, "Ask ")
    await send(sandbox, "U0PRIYA", action)
    await press(sandbox, "U0PRIYA", await dm(sandbox, "U0PRIYA", "Share this reflection with <@U0TOM>?"), "Keep it private")
    what, _, when = action.rpartition(" by ")
    await dm(sandbox, "U0PRIYA", f"{what} (by")  # the action kept, with its due date read from "by {when}"

    await send(sandbox, "U0PRIYA", typed(steps, "/mentor reflections"))
    await dm(sandbox, "U0PRIYA", "Tom's team wants feedback in the moment")  # read back


async def _newest_booking(sandbox: Sandbox, user: str) -> datetime:
    """When the session most recently booked for `user`'s pair in the main demo programme starts (Priya
    has a second pair, in the Board pilot)."""
    async with sandbox.runtime.services.sessions() as session:
        main = (await session.exec(select(Programme).where(Programme.name == PROGRAMME_NAME))).one()
        pair = (await session.exec(select(Pair).where((Pair.mentor_id == user) | (Pair.mentee_id == user), Pair.programme_id == main.id))).one()
        rows = (await session.exec(select(MentoringSession).where(MentoringSession.pair_id == pair.id,
                                                                   MentoringSession.status == SessionStatus.BOOKED))).all()
    return max(rows, key=lambda row: row.id or 0).starts_at.replace(tzinfo=UTC)
