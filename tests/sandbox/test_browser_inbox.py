"""The page's email inbox in a real browser: a booking's invite arrives in the person's inbox tab."""

from __future__ import annotations

import pytest

from sandbox.server import Sandbox
from tests.sandbox.test_browser import browser_on, dm, expect, run_command, switch_to
from tests.sandbox.test_inbox import seed_pair

pytestmark = pytest.mark.browser


async def test_a_booked_sessions_invite_shows_in_the_email_inbox_tab(sandbox: Sandbox):
    await seed_pair(sandbox)
    async with browser_on(sandbox.url) as page:
        await switch_to(page, "Tom Becker")
        await run_command(page, "/mentor schedule next tuesday 9am")
        await expect(dm(page, "Booked")).to_be_visible()

        await page.get_by_role("tab", name="Email inbox").click()

        invite = page.locator("#inbox .invite").first
        await expect(invite).to_contain_text("Invitation: Reverse mentoring with Priya Nair")
        await expect(invite).to_contain_text("To tom.becker@flipside.example")
        await expect(page.locator("#panel-messages")).to_be_hidden()
