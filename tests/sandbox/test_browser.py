"""The sandbox page in a real browser: Debian's chromium, driven by Playwright's async API.

Never downloads a browser: the tests skip with the reason when /usr/bin/chromium is missing
(`.ci/run` installs it with apt-get). Set FLIPSIDE_SCREENSHOTS=1 to refresh the screenshots under
docs/ that docs/sandbox.md shows.

The flow is written as small steps (`switch_to`, `run_command`, `open_home`, `move_clock`...) so that
each feature's flow can be added as it lands.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from sandbox.server import Sandbox

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
DOCS = Path(__file__).resolve().parents[2] / "docs"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests",
                allow_module_level=True)

from playwright.async_api import Locator, Page, async_playwright, expect  # noqa: E402

# How long an expectation waits for the page, not a timing assertion: each step goes through the real
# bot and its database, and on a 2-core machine running other suites that can take more than
# Playwright's default of 5 s (a goals form once stayed open that long in CI).
expect.set_options(timeout=20_000)


@asynccontextmanager
async def browser_on(url: str) -> AsyncIterator[Page]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1360, "height": 860}, locale="en-GB", timezone_id="Europe/London")
            page = await context.new_page()
            await page.goto(url)
            await expect(page.locator("#people .person").first).to_be_visible()
            yield page
        finally:
            await browser.close()


@pytest.fixture
async def page(sandbox: Sandbox) -> AsyncIterator[Page]:
    async with browser_on(sandbox.url) as page:
        yield page


@pytest.fixture
async def demo_page(demo_sandbox: Sandbox) -> AsyncIterator[Page]:
    async with browser_on(demo_sandbox.url) as page:
        yield page


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
    # A week is 240 sweeps of the real bot: seconds, not milliseconds.
    await expect(page.locator("#clock-status")).to_contain_text("Moved:", timeout=60_000)


# --- flows ---------------------------------------------------------------------------------------
async def test_a_mentor_asks_for_help_adds_an_action_through_a_modal_and_moves_the_clock(demo_page: Page):
    page = demo_page
    await switch_to(page, "Priya Nair")
    await expect(page.locator("#clock-local")).to_contain_text("Wed 4 Mar 2026, 15:30")  # 10:00 UTC in Kolkata
    await expect(page.locator("#clock-utc")).to_have_text("Wed 4 Mar, 10:00 UTC")

    await run_command(page, "/mentor help")
    reply = page.locator("#messages .message.ephemeral")
    await expect(reply).to_contain_text("Only visible to you")
    await expect(reply.get_by_role("heading")).to_have_text("Flipside: reverse mentoring, kept on track")
    await expect(reply.locator("code").first).to_have_text("/mentor help")
    await screenshot(page, "dm")

    await run_command(page, "/mentor actions")
    listing = page.locator("#messages .message", has_text="Your pair's actions").last
    await expect(listing).to_contain_text("Share two examples of inclusive meeting habits")
    await listing.get_by_role("button", name="Add an action").click()
    modal = page.get_by_role("dialog", name="Add an action")
    await expect(modal).to_be_visible()
    await modal.get_by_role("button", name="Save").click()
    await expect(modal.locator(".field-error")).to_have_text("Please say what you will do.")
    await screenshot(page, "modal")

    await modal.get_by_label("What will you do?").fill("Invite Tom to the graduate network's next meet-up")
    await modal.get_by_label("Due date").fill("2026-03-20")
    await modal.get_by_label("For the organisation").check()
    await modal.get_by_role("button", name="Save").click()
    await expect(modal).to_be_hidden()
    await expect(listing).to_contain_text("Invite Tom to the graduate network's next meet-up")  # chat.update, in place
    await expect(listing).to_contain_text("(edited)")

    await open_tab(page, "Home")
    await expect(page.locator("#home .block.header").first).to_be_visible()

    await open_tab(page, "Messages")
    await move_clock(page, "+1 day")
    await expect(page.locator("#clock-utc")).to_have_text("Thu 5 Mar, 10:00 UTC")
    await move_clock(page, "+1 week")
    await expect(page.locator("#clock-utc")).to_have_text("Thu 12 Mar, 10:00 UTC")
    await expect(page.locator("#clock-local")).to_contain_text("Thu 12 Mar 2026, 15:30")


async def test_the_admin_sees_the_programme_on_home_and_the_report_with_its_chart(demo_page: Page):
    page = demo_page
    await switch_to(page, "Amara Okafor")
    await open_tab(page, "Home")
    home = page.locator("#home")
    await expect(home.locator(".block.header").first).to_have_text("Reverse mentoring 2026: programme health")
    await expect(home).to_contain_text("@Sofía Ramírez")  # a <@U...> mention shown by name
    await screenshot(page, "home")

    await open_tab(page, "Messages")
    await run_command(page, "/mentor admin report")
    chart = page.locator("#messages .image-file img")
    await expect(chart).to_be_visible()
    assert await chart.evaluate("image => image.naturalWidth") > 0  # the PNG came from the sandbox's file route
    await expect(chart).to_be_in_viewport()
    await screenshot(page, "report")


async def test_a_person_switch_shows_only_their_own_conversation(page: Page, sandbox: Sandbox):
    await switch_to(page, "Tom Becker")
    await run_command(page, "/mentor help")
    await expect(page.locator("#messages .message")).to_have_count(1)
    await switch_to(page, "Helen Whitfield")
    await expect(page.locator("#messages .message")).to_have_count(0)
    await expect(page.locator("#messages")).to_contain_text("No messages yet")


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
            {"type": "actions", "block_id": "inputs", "elements": [
                {"type": "checkboxes", "action_id": "ticks", "options": options, "initial_options": [options[1]]},
                {"type": "radio_buttons", "action_id": "one", "options": options},
                {"type": "datepicker", "action_id": "day", "initial_date": "2026-03-11"},
                {"type": "timepicker", "action_id": "time", "initial_time": "09:30"},
                {"type": "datetimepicker", "action_id": "moment", "initial_date_time": 1773221400},
                {"type": "multi_static_select", "action_id": "several", "options": options, "initial_options": options},
                {"type": "multi_users_select", "action_id": "people", "initial_users": ["U0TOM"]},
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

    inputs = message.locator(".block.actions").nth(1)
    await expect(inputs.get_by_role("checkbox", name="Fortnightly")).to_be_checked()
    await expect(inputs.get_by_role("radio")).to_have_count(2)
    await expect(inputs.locator("input[type=date]")).to_have_value("2026-03-11")
    await expect(inputs.locator("input[type=time]")).to_have_value("09:30")
    await expect(inputs.locator("input[type=datetime-local]")).to_have_value("2026-03-11T15:00")  # 09:30 UTC in Kolkata
    await expect(inputs.locator("select[multiple]").first.locator("option:checked")).to_have_count(2)
    await expect(inputs.locator("select[multiple]").nth(1).locator("option:checked")).to_have_text("Tom Becker (Chief Operating Officer)")

    # A choice is sent to the bot as block_actions at once; this one has no listener, which the page says (the bot answers 400 for what no listener takes).
    await message.locator("select").first.select_option("14")
    await expect(page.locator("#notice")).to_contain_text("The app did not handle that (HTTP 400)")

    await sandbox.runtime.app.client.chat_update(channel="D0PRIYA", ts=posted["ts"], text="Updated", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "This session was moved."}}])
    await expect(message).to_contain_text("This session was moved.")
    await expect(message).to_contain_text("(edited)")
    await expect(page.locator("#messages .message")).to_have_count(1)


# --- the set-up: issue 4 ---------------------------------------------------------------------------
def dm(page: Page, text: str):
    """The newest message in the DM that contains `text`."""
    return page.locator("#messages .message", has_text=text).last


async def submit_modal(page: Page, title: str) -> None:
    modal = page.get_by_role("dialog", name=title)
    await modal.locator("#modal-submit").click()
    await expect(modal).to_be_hidden()


async def choose_in_order(select: Locator, labels: list[str]) -> None:
    """Pick options of a multi-select one after another, as a person ctrl-clicks them."""
    for count in range(1, len(labels) + 1):
        await select.select_option(label=labels[:count])


async def next_step(page: Page, text: str) -> None:
    """The Home tab shows `text` as the person's next step; the test stays on Home."""
    await open_tab(page, "Home")
    await expect(page.locator("#home")).to_contain_text(text)


async def test_an_admin_sets_up_a_programme_and_a_pair_agrees_its_charter_goals_and_topics(page: Page):
    await switch_to(page, "Amara Okafor")
    await run_command(page, "/mentor admin setup")
    setup = page.get_by_role("dialog", name="Set up a programme")
    await setup.get_by_label("Programme name").fill("Reverse mentoring pilot")
    await submit_modal(page, "Set up a programme")
    await expect(dm(page, "is set up")).to_contain_text("Reverse mentoring pilot is set up")

    await run_command(page, "/mentor admin enrol mentor @Priya Nair")  # typed as in Slack; sent as <@U0PRIYA|priya>
    await expect(dm(page, "Enrolled as")).to_contain_text("@Priya Nair")
    await run_command(page, "/mentor admin enrol mentee @tom")
    await expect(dm(page, "Enrolled as mentees")).to_contain_text("@Tom Becker")
    await run_command(page, "/mentor admin pair @priya @tom")
    await expect(dm(page, "is now the reverse-mentor for")).to_contain_text("@Priya Nair is now the reverse-mentor for @Tom Becker")

    # Priya, the reverse-mentor, starts the charter from her welcome.
    await switch_to(page, "Priya Nair")
    welcome = dm(page, "Welcome to your reverse-mentoring pair")
    await expect(welcome).to_contain_text("You are the reverse-mentor for @Tom Becker in Reverse mentoring pilot")
    await welcome.get_by_role("button", name="Start your charter").click()
    charter = page.get_by_role("dialog", name="Our charter")
    await expect(charter).to_be_visible()
    await charter.get_by_label("Who books sessions?").select_option(label="The reverse-mentor books our sessions")
    await charter.get_by_label("What the reverse-mentor takes on").fill("Bring a topic and a story of my own to each session.")
    await charter.locator("#modal-body").evaluate("body => body.scrollTo(0, 0)")
    await screenshot(page, "charter")
    await submit_modal(page, "Our charter")
    await expect(dm(page, "Saved and agreed on your side")).to_contain_text("I've asked @Tom Becker to agree too")
    await next_step(page, "You agreed version 1; waiting for your partner.")

    # Tom agrees it from his DM.
    await switch_to(page, "Tom Becker")
    await open_tab(page, "Messages")
    request = dm(page, "has proposed your pair charter")
    await expect(request).to_contain_text("Bring a topic and a story of my own to each session.")
    await request.get_by_role("button", name="Agree").click()
    await expect(dm(page, "You agreed version 1 of your charter")).to_be_visible()

    # Both set goals from Home's next step.
    for person, goal in (("Tom Becker", "Run meetings where everyone gets heard"), ("Priya Nair", "Understand how decisions get made at the top")):
        await switch_to(page, person)
        await next_step(page, "Set one to three personal goals")
        await page.locator("#home").get_by_role("button", name="Set your goals").click()
        goals = page.get_by_role("dialog", name="Your goals")
        await goals.get_by_label("Goal 1").fill(goal)
        await submit_modal(page, "Your goals")
    await next_step(page, "Choose four to eight topics")

    # Priya chooses four topics; Tom agrees the roadmap.
    await page.locator("#home").get_by_role("button", name="Choose topics").click()
    topics = page.get_by_role("dialog", name="Your topic roadmap")
    chosen = ["Inclusive meetings", "Hybrid working in practice", "Lived experience of being under-represented", "Career barriers and sponsorship"]
    await choose_in_order(topics.get_by_label("Topics, in order"), chosen)
    await expect(topics).to_contain_text("Chosen, in order: 1. Inclusive meetings · 2. Hybrid working in practice")
    await submit_modal(page, "Your topic roadmap")
    await next_step(page, "I'm waiting for @Tom Becker to agree")

    await switch_to(page, "Tom Becker")
    await expect(dm(page, "has chosen topics for your roadmap")).to_contain_text(re.compile("1. Inclusive meetings\\s*2. Hybrid working in practice"))
    await next_step(page, "@Priya Nair has proposed your topic roadmap")
    await page.locator("#home").get_by_role("button", name="Agree the roadmap").click()
    await expect(page.locator("#home")).to_contain_text("You're all set up. Book your first session with @Priya Nair.")
    await screenshot(page, "pair-home")
    await switch_to(page, "Priya Nair")
    await next_step(page, "You're all set up. Book your first session with @Tom Becker.")


# --- a reflection: issue 6 -------------------------------------------------------------------------
async def move_clock_to(page: Page, local: str) -> None:
    """Move the clock to `local` (YYYY-MM-DDTHH:MM) in the chosen person's zone with the clock's form."""
    await page.get_by_label("Move the clock to (your time zone)").fill(local)
    await page.get_by_role("button", name="Go", exact=True).click()
    await expect(page.locator("#clock-status")).to_contain_text("Moved:", timeout=60_000)


def question(page: Page, number: int):
    return dm(page, f"Question {number} of 7.")


async def test_a_mentor_reflects_on_a_session_by_buttons_and_typed_answers(demo_page: Page):
    page = demo_page
    await switch_to(page, "Priya Nair")
    # The demo's next session with Tom is tomorrow 11:00 UTC (16:30 in Kolkata), for an hour: go past it.
    await move_clock_to(page, "2026-03-05T18:00")
    await expect(page.locator("#clock-utc")).to_have_text("Thu 5 Mar, 12:30 UTC")

    await run_command(page, "/mentor reflect")
    await expect(dm(page, "Your reflection on the session")).to_contain_text("is waiting in our DM")
    await expect(question(page, 1)).to_contain_text("Did your session with @Tom Becker on")
    await question(page, 1).get_by_role("button", name="Yes, it did").click()
    await expect(question(page, 1)).to_contain_text("Your answer: Yes, it did")  # the buttons give way to the answer

    await expect(question(page, 2)).to_contain_text("Who did most of the sharing and teaching today?")
    await run_command(page, "even")  # typed in the DM, understood loosely
    await expect(question(page, 3)).to_contain_text("How free did you feel to say what was on your mind?")
    await run_command(page, "very")  # not an answer: asked again, never a dead end
    await expect(dm(page, "Sorry, I didn't quite catch that")).to_contain_text("Reply with a number from 1 to 5.")
    await question(page, 3).get_by_role("button", name="4", exact=True).click()

    await expect(question(page, 4)).to_contain_text("Which topic did you cover?")
    await question(page, 4).get_by_role("button", name="Feedback and speaking up").click()
    await expect(question(page, 5)).to_contain_text("What did you learn or see differently?")
    await run_command(page, "Tom's team wants feedback in the moment, not saved up for reviews.")
    await expect(question(page, 6)).to_contain_text("What will you do as a result?")
    await run_command(page, "Ask my manager for feedback after each sprint review by 2026-03-20")
    await expect(question(page, 7)).to_contain_text("Share this reflection with @Tom Becker?")
    await screenshot(page, "reflection")
    await question(page, 7).get_by_role("button", name="Keep it private").click()

    done = dm(page, "your reflection is saved")
    await expect(done).to_contain_text("Ask my manager for feedback after each sprint review (by")
    await run_command(page, "/mentor reflections")
    await expect(dm(page, "Your reflections")).to_contain_text("Tom's team wants feedback in the moment")


# --- sessions and their nudges: issue 5 ------------------------------------------------------------
async def test_a_booked_session_brings_the_reminder_with_its_agenda_and_then_the_post_session_prompt(demo_page: Page):
    page = demo_page
    # Léo and Helen have agreed everything; Helen books their sessions (the demo's charter says so).
    await switch_to(page, "Helen Whitfield")
    await run_command(page, "/mentor schedule")
    booking = page.get_by_role("dialog", name="Book a session")
    await booking.get_by_label("When").fill("2026-03-05T16:00")  # Thursday 4pm in London, Helen's zone
    await booking.get_by_label("Where").fill("The third-floor quiet room")
    await submit_modal(page, "Book a session")
    await expect(dm(page, "You booked a session.")).to_contain_text("Thu 5 Mar")

    await switch_to(page, "Léo Martin")
    booked = dm(page, "booked a session with you")
    await expect(booked).to_contain_text("@Helen Whitfield booked a session with you.")
    await expect(booked).to_contain_text("17:00")  # 4pm in London is 5pm in Paris, Léo's zone
    await booked.get_by_role("button", name="Confirm").click()
    await expect(dm(page, "you've confirmed")).to_be_visible()

    await move_clock(page, "+1 day")
    reminder = dm(page, "is tomorrow.")
    await expect(reminder).to_contain_text("Your session with @Helen Whitfield is tomorrow.")
    await expect(reminder).to_contain_text("A suggested agenda")
    await expect(reminder).to_contain_text("The third-floor quiet room")
    await reminder.scroll_into_view_if_needed()
    await screenshot(page, "reminder")
    await switch_to(page, "Helen Whitfield")  # the mentee's reminder: the topic and her part in it
    await expect(dm(page, "is tomorrow.")).to_contain_text("let your reverse-mentor lead")
    await switch_to(page, "Léo Martin")

    # Past the session's end (17:00 to 18:00 in Paris), the prompt asks how it went.
    await move_clock_to(page, "2026-03-05T18:30")
    await expect(dm(page, "is in an hour.")).to_be_visible()
    prompt = dm(page, "Did it take place?")
    await expect(prompt).to_contain_text("How was your session with @Helen Whitfield")
    await prompt.get_by_role("button", name="Yes, we met").click()
    await expect(question(page, 2)).to_contain_text("Who did most of the sharing and teaching today?")


# --- booking across zones: issue 16 ----------------------------------------------------------------
async def test_a_booking_in_the_partners_night_shows_both_times_and_waits_for_book_anyway(demo_page: Page):
    page = demo_page
    # Wed 4 Mar 10:00 UTC. Priya is in Kolkata, Tom in New York: her 10:00 tomorrow is his 23:30 tonight.
    await switch_to(page, "Priya Nair")
    await run_command(page, "/mentor schedule tomorrow 10am")
    warning = dm(page, "outside working hours")
    await expect(warning).to_contain_text("Thu 5 Mar, 10:00 IST for you")
    await expect(warning).to_contain_text("Wed 4 Mar, 23:30 EST for @Tom Becker")
    await expect(warning).to_contain_text("I haven't booked it.")
    await expect(warning.get_by_role("button", name="Don't book")).to_be_visible()

    await warning.get_by_role("button", name="Book anyway").click()
    booked = dm(page, "Booked:")
    await expect(booked).to_contain_text("Booked: Thu 5 Mar, 10:00 IST (60 min); for @Tom Becker that's Wed 4 Mar, 23:30 EST.")
    await expect(page.locator("#messages .message", has_text="outside working hours")).to_have_count(0)  # the warning gave way
    await expect(dm(page, "You booked a session.")).to_contain_text("Wed 4 Mar, 23:30 EST")

    await switch_to(page, "Tom Becker")
    await expect(dm(page, "booked a session with you")).to_contain_text("Wed 4 Mar, 23:30 EST (60 min)")


# --- ending a pair asks first, and can be undone: issue 16 ------------------------------------------
async def test_an_admin_ends_a_pair_only_after_confirming_it_and_can_reopen_it(demo_page: Page):
    page = demo_page
    await switch_to(page, "Amara Okafor")
    await run_command(page, "/mentor admin end @Sofia")  # meant to pause: the form says what would happen
    confirm = page.get_by_role("dialog", name="End this pair?")
    await expect(confirm).to_contain_text("This ends the pair of @Sofía Ramírez (reverse-mentor) and @Arjun Mehta (mentee).")
    await expect(confirm).to_contain_text("/mentor admin reopen @someone")
    await confirm.get_by_role("button", name="Keep the pair").click()
    await expect(confirm).to_be_hidden()

    await run_command(page, "/mentor admin end @Sofia")
    await submit_modal(page, "End this pair?")
    await expect(dm(page, "has ended")).to_contain_text("The pair of @Sofía Ramírez and @Arjun Mehta has ended")

    await run_command(page, "/mentor admin reopen @Sofia")
    await expect(dm(page, "is reopened")).to_contain_text("The pair of @Sofía Ramírez and @Arjun Mehta is reopened")
    await switch_to(page, "Arjun Mehta")
    await expect(dm(page, "has reopened your reverse-mentoring")).to_contain_text("@Sofía Ramírez")


async def test_an_answer_that_arrives_late_never_draws_an_older_page_over_a_newer_one(demo_page: Page):
    page = demo_page
    await switch_to(page, "Noah Cohen")
    await open_tab(page, "Home")
    release = asyncio.Event()

    async def late(route) -> None:  # noqa: ANN001 - Playwright's Route
        answer = await route.fetch()  # the state as it was when the tab was opened: no form
        await release.wait()
        await route.fulfill(response=answer)

    await page.route("**/sandbox/api/open", late)
    await open_tab(page, "Messages")  # its answer comes only after the form below is open and typed into
    await run_command(page, "/mentor profile")
    profile = page.get_by_role("dialog", name="About you")
    await profile.get_by_label("Your department or team").fill("Legal")
    # Noah's next polls wait too, so nothing newer redraws the page over what the late answer draws.
    await page.route("**/sandbox/api/state*", hold_forever := lambda route: None)  # noqa: ARG005
    async with page.expect_response("**/sandbox/api/open"):
        release.set()
    await page.wait_for_timeout(300)  # what the late answer would have drawn, had it been drawn
    await expect(profile).to_be_visible(timeout=2_000)
    await expect(profile.get_by_label("Your department or team")).to_have_value("Legal")
    await page.unroute("**/sandbox/api/state*", hold_forever)
    await page.unroute("**/sandbox/api/open")


async def test_an_answer_for_the_person_shown_before_never_draws_into_the_next_persons_page(demo_page: Page):
    page = demo_page
    await switch_to(page, "Helen Whitfield")
    await run_command(page, "/mentor help")  # something in Helen's DM that Léo's has not
    await expect(dm(page, "Only visible to you")).to_be_visible()
    release = asyncio.Event()
    held: list[str] = []

    async def late(route) -> None:  # noqa: ANN001 - Playwright's Route
        if held:  # only Helen's: the next person's own arrival goes through
            await route.continue_()
            return
        held.append(route.request.url)
        await release.wait()
        await route.continue_()  # the sandbox works out Helen's page only now

    await page.route("**/sandbox/api/open", late)
    await page.get_by_role("tab", name="Home").click()  # Helen's tab opens; its answer waits
    # Léo's page comes from his arrival alone: his polls wait, so nothing redraws over Helen's answer.
    await page.route("**/sandbox/api/state*", hold_forever := lambda route: None)  # noqa: ARG005
    await switch_to(page, "Léo Martin")
    await expect(page.locator("#messages")).not_to_contain_text("Only visible to you")
    leos_messages = await page.locator("#messages").text_content()
    async with page.expect_response("**/sandbox/api/open"):
        release.set()
    await page.wait_for_timeout(300)  # what Helen's answer would have drawn, had it been drawn
    await expect(page.locator("#viewer")).to_contain_text("You are Léo Martin")
    assert await page.locator("#messages").text_content() == leos_messages
    await page.unroute("**/sandbox/api/state*", hold_forever)
    await page.unroute("**/sandbox/api/open")
