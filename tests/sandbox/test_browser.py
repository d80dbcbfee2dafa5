"""The sandbox page in a real browser: Debian's chromium, driven by Playwright's async API.

Never downloads a browser: the tests skip with the reason when /usr/bin/chromium is missing
(`.ci/run` installs it with apt-get). Set FLIPSIDE_SCREENSHOTS=1 to refresh the screenshots under
docs/ that the README shows.

The flow is written as small steps (`switch_to`, `run_command`, `open_home`, `move_clock`...) so that
each feature's flow can be added as it lands.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from sandbox.server import Sandbox

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
DOCS = Path(__file__).resolve().parents[2] / "docs"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests",
                allow_module_level=True)

from playwright.async_api import Page, async_playwright, expect  # noqa: E402


@pytest.fixture
async def page(sandbox: Sandbox) -> AsyncIterator[Page]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1360, "height": 860}, locale="en-GB")
            page = await context.new_page()
            await page.goto(sandbox.url)
            await expect(page.locator("#people .person").first).to_be_visible()
            yield page
        finally:
            await browser.close()


async def screenshot(page: Page, name: str) -> None:
    if os.environ.get("FLIPSIDE_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        await page.screenshot(path=str(DOCS / f"sandbox-{name}.png"))


# --- steps ---------------------------------------------------------------------------------------
async def switch_to(page: Page, real_name: str) -> None:
    await page.locator("#people .person", has_text=real_name).click()
    await expect(page.locator("#viewer")).to_contain_text(f"You are {real_name}")


async def run_command(page: Page, text: str) -> None:
    await page.get_by_label("Message Flipside, or type a /mentor command").fill(text)
    await page.keyboard.press("Enter")


async def open_tab(page: Page, name: str) -> None:
    await page.get_by_role("tab", name=name).click()
    await expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")


async def move_clock(page: Page, label: str) -> None:
    await page.get_by_role("button", name=label).click()
    await expect(page.locator("#clock-status")).to_contain_text("Moved:")


# --- flows ---------------------------------------------------------------------------------------
async def test_a_person_uses_help_the_home_tab_and_the_clock(page: Page, sandbox: Sandbox):
    await switch_to(page, "Priya Nair")
    await expect(page.locator("#clock-local")).to_contain_text("Wed 4 Mar 2026, 15:30")  # 10:00 UTC in Kolkata
    await expect(page.locator("#clock-utc")).to_have_text("Wed 4 Mar, 10:00 UTC")

    await run_command(page, "/mentor help")
    reply = page.locator("#messages .message.ephemeral")
    await expect(reply).to_contain_text("Only visible to you")
    await expect(reply.get_by_role("heading")).to_have_text("Flipside: reverse mentoring, kept on track")
    await expect(reply.locator("code").first).to_have_text("/mentor help")
    await screenshot(page, "dm")

    await open_tab(page, "Home")
    await expect(page.locator("#home .block.header")).to_have_text("Welcome to Flipside")
    await screenshot(page, "home")

    await open_tab(page, "Messages")
    await move_clock(page, "+1 day")
    await expect(page.locator("#clock-utc")).to_have_text("Thu 5 Mar, 10:00 UTC")
    await move_clock(page, "+1 week")
    await expect(page.locator("#clock-utc")).to_have_text("Thu 12 Mar, 10:00 UTC")
    await screenshot(page, "clock")


async def test_a_person_switch_shows_only_their_own_conversation(page: Page, sandbox: Sandbox):
    await switch_to(page, "Tom Becker")
    await run_command(page, "/mentor help")
    await expect(page.locator("#messages .message")).to_have_count(1)
    await switch_to(page, "Helen Whitfield")
    await expect(page.locator("#messages .message")).to_have_count(0)
    await expect(page.locator("#messages")).to_contain_text("No messages yet")


async def test_a_button_opens_a_modal_whose_errors_show_under_the_field_until_it_is_put_right(page: Page, sandbox: Sandbox):
    # Listeners for this test only, on the real app: the sandbox carries whatever the bot sends.
    modal = {
        "type": "modal", "callback_id": "sandbox_test_form", "title": {"type": "plain_text", "text": "Your goal"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {"type": "input", "block_id": "goal", "label": {"type": "plain_text", "text": "What do you want to learn?"},
             "hint": {"type": "plain_text", "text": "One sentence is plenty."},
             "element": {"type": "plain_text_input", "action_id": "text", "multiline": True}},
            {"type": "input", "block_id": "when", "optional": True, "label": {"type": "plain_text", "text": "By when"},
             "element": {"type": "datepicker", "action_id": "date"}},
        ],
    }
    submitted: list[dict] = []

    async def open_form(ack: AsyncAck, body: dict, client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=modal)

    async def save(ack: AsyncAck, view: dict) -> None:
        values = view["state"]["values"]
        if not (values["goal"]["text"]["value"] or "").strip():
            await ack(response_action="errors", errors={"goal": "Please write what you want to learn."})
            return
        submitted.append(values)
        await ack()

    sandbox.runtime.app.action("sandbox_test_open")(open_form)
    sandbox.runtime.app.view("sandbox_test_form")(save)
    await switch_to(page, "Tom Becker")
    await sandbox.runtime.app.client.chat_postMessage(
        channel="U0TOM", text="Set your goal",
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "*Set your goal* for the programme"},
                 "accessory": {"type": "button", "action_id": "sandbox_test_open", "style": "primary", "text": {"type": "plain_text", "text": "Set goal"}}}],
    )
    await page.get_by_role("button", name="Set goal").click()
    dialog = page.get_by_role("dialog", name="Your goal")
    await expect(dialog).to_be_visible()

    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog.locator(".field-error")).to_have_text("Please write what you want to learn.")
    await screenshot(page, "modal-error")

    await dialog.get_by_label("What do you want to learn?").fill("How our graduates find their first year")
    await dialog.get_by_label("By when").fill("2026-06-30")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    assert submitted == [{"goal": {"text": {"type": "plain_text_input", "value": "How our graduates find their first year"}},
                          "when": {"date": {"type": "datepicker", "selected_date": "2026-06-30"}}}]


async def test_block_kit_renders_formatting_fields_selects_and_updates_in_place(page: Page, sandbox: Sandbox):
    await switch_to(page, "Priya Nair")
    options = [{"text": {"type": "plain_text", "text": label}, "value": value} for label, value in (("Monthly", "30"), ("Fortnightly", "14"))]
    posted = await sandbox.runtime.app.client.chat_postMessage(
        channel="U0PRIYA", text="Kitchen sink",
        blocks=[
            {"type": "header", "text": {"type": "plain_text", "text": "Your next session"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "*bold* _italic_ ~gone~ `code` <https://example.com|a link> with <@U0TOM>\n• first\n• second\n> a quote"}},
            {"type": "section", "fields": [{"type": "mrkdwn", "text": "*When*\nThursday"}, {"type": "mrkdwn", "text": "*Topic*\nHybrid working"}]},
            {"type": "divider"},
            {"type": "actions", "elements": [
                {"type": "static_select", "action_id": "cadence", "placeholder": {"type": "plain_text", "text": "How often"}, "options": options},
                {"type": "users_select", "action_id": "who", "placeholder": {"type": "plain_text", "text": "Who"}},
                {"type": "overflow", "action_id": "more", "options": options},
                {"type": "button", "action_id": "cancel", "style": "danger", "text": {"type": "plain_text", "text": "Cancel session"}},
            ]},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "Only you and Tom see this."}]},
        ],
    )
    message = page.locator(f'#messages .message[data-ts="{posted["ts"]}"]')
    await expect(message.locator("strong", has_text="bold")).to_be_visible()
    await expect(message.locator("em")).to_have_text("italic")
    await expect(message.locator("del")).to_have_text("gone")
    await expect(message.locator(".mention")).to_have_text("@Tom Becker")
    await expect(message.locator("a", has_text="a link")).to_have_attribute("href", "https://example.com")
    await expect(message.locator("li")).to_have_count(2)
    await expect(message.locator("blockquote")).to_have_text("a quote")
    await expect(message.locator(".field")).to_have_count(2)
    await expect(message.get_by_role("button", name="Cancel session")).to_have_class("button danger")
    await expect(message.locator("select").first.locator("option")).to_have_count(3)

    await sandbox.runtime.app.client.chat_update(channel="D0PRIYA", ts=posted["ts"], text="Updated", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "This session was moved."}}])
    await expect(message).to_contain_text("This session was moved.")
    await expect(message).to_contain_text("(edited)")
    await expect(page.locator("#messages .message")).to_have_count(1)
