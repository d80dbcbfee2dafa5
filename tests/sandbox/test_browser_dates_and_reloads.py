"""The sandbox page in a real browser, drawing what Slack's clients draw: date tokens in the reader's
zone, and a modal reopened by a reload without its old errors. The steps and the browser come from
`test_browser.py` (skipped with the reason when /usr/bin/chromium is missing)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from sandbox.server import Sandbox
from tests.sandbox.test_browser import browser_on, dm, expect, run_command, switch_to

pytestmark = pytest.mark.browser


@pytest.fixture
async def viewer(demo_sandbox: Sandbox) -> AsyncIterator:
    async with browser_on(demo_sandbox.url) as page:
        yield page


def _token(when: datetime, tokens: str, fallback: str = "the fallback", link: str = "") -> str:
    return f"<!date^{int(when.timestamp())}^{tokens}{'^' + link if link else ''}|{fallback}>"


# The sandbox clock is Wed 4 Mar 2026, 10:00 UTC: 15:30 in Kolkata (Priya), 05:00 in New York (Tom).
THURSDAY_1300 = datetime(2026, 3, 5, 13, 0, tzinfo=UTC)  # Thu 18:30 in Kolkata, Thu 08:00 in New York
WEDNESDAY_2000 = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)  # already Thursday (01:30) in Kolkata
LINES = [
    ("pretty", _token(THURSDAY_1300, "{date_short_pretty} at {time}")),
    ("each", _token(THURSDAY_1300, "{date_num} · {date} · {date_short} · {date_long} · {time_secs}")),
    ("zone", _token(WEDNESDAY_2000, "{date_num}")),
    ("later", "Booked for " + _token(datetime(2026, 3, 20, 13, 0, tzinfo=UTC), "{date_long_pretty}")),
    ("today", _token(datetime(2026, 3, 4, 11, 0, tzinfo=UTC), "due {date_pretty}")),  # capitalised only first
    ("link", _token(THURSDAY_1300, "{date_short}", link="https://example.com/session")),
    ("unreadable", _token(THURSDAY_1300, "{no_such_token}", fallback="Thu 5 Mar 2026")),
]


async def test_slack_date_tokens_show_the_date_in_the_readers_zone_or_their_fallback(viewer, demo_sandbox: Sandbox):
    page = viewer
    for user in ("U0PRIYA", "U0TOM"):
        await demo_sandbox.runtime.app.client.chat_postMessage(
            channel=user, text="Dates",
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": line}} for _, line in LINES])

    await switch_to(page, "Priya Nair")
    message = dm(page, "Booked for")
    line = {name: message.locator(".section-text").nth(index) for index, (name, _) in enumerate(LINES)}
    await expect(line["pretty"]).to_have_text("Tomorrow at 18:30")
    await expect(line["each"]).to_have_text("2026-03-05 · March 5th, 2026 · Mar 5, 2026 · Thursday, March 5th, 2026 · 18:30:00")
    await expect(line["zone"]).to_have_text("2026-03-05")
    await expect(line["later"]).to_have_text("Booked for Friday, March 20th, 2026")
    await expect(line["today"]).to_have_text("due today")
    await expect(line["link"].locator("a")).to_have_text("Mar 5, 2026")
    await expect(line["link"].locator("a")).to_have_attribute("href", "https://example.com/session")
    await expect(line["unreadable"]).to_have_text("Thu 5 Mar 2026")
    await expect(message).not_to_contain_text("@")

    await switch_to(page, "Tom Becker")  # the same message, read in New York
    message = dm(page, "Booked for")
    await expect(message.locator(".section-text").nth(0)).to_have_text("Tomorrow at 08:00")
    await expect(message.locator(".section-text").nth(2)).to_have_text("2026-03-04")


async def test_a_modal_reopened_by_a_reload_shows_no_stale_error(viewer):
    page = viewer
    await switch_to(page, "Priya Nair")
    await run_command(page, "/mentor actions")
    await dm(page, "Share two examples of inclusive meeting habits").get_by_role("button", name="Add an action").click()
    modal = page.locator("#modal-overlay")
    await modal.get_by_role("button", name="Save").click()
    await expect(modal.locator(".field-error")).to_have_text("Please say what you will do.")

    await page.reload()
    await expect(page.locator("#viewer")).to_contain_text("You are Priya Nair")
    await expect(modal).to_be_visible()  # the modal is still open, as first drawn
    await expect(modal.get_by_label("What will you do?")).to_have_value("")
    await expect(modal.locator(".field-error")).to_have_count(0)
    await expect(modal.locator("[aria-invalid=true]")).to_have_count(0)
