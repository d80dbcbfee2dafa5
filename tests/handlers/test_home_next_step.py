"""The Home's next step in the states a real pair was seen in: an unfinished reflection, a red pair
whose roadmap both agreed, and a session the partner booked that waits for this person's Confirm."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from bot.runtime import Runtime
from domain.statuses import SessionStatus
from prompts import home as home_prompts
from prompts.reflection_conversation import REFLECTION_OPEN_FORM_ACTION
from prompts.sessions import CONFIRM_ACTION, SCHEDULE_OPEN_ACTION
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import Pair
from tests.factories import make_charter, make_pair, make_programme
from tests.factories_sessions import make_goal, make_reflection, make_roadmap, make_session
from tests.handlers.pairing_support import buttons, text_of

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"
TOPICS = [("inclusive-meetings", "Inclusive meetings"), ("lived-experience", "Lived experience"), ("ai-tools-at-work", "AI tools at work"),
          ("feedback-and-speaking-up", "Feedback and speaking up")]


async def _agreed_pair(bot: Runtime, clock: ManualClock, *, topics: list[tuple[str, str]] = TOPICS) -> Pair:
    """A pair that agreed its charter, goals and a roadmap, two months into a programme."""
    now = clock.now()
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=now, starts_on=(now - timedelta(weeks=9)).date())
        pair = await make_pair(
            session, programme=programme, now=now - timedelta(weeks=8),
            roadmap_mentor_agreed_at=now - timedelta(weeks=8), roadmap_mentee_agreed_at=now - timedelta(weeks=8),
        )
        await make_charter(session, pair=pair, now=now - timedelta(weeks=8), driver="mentor")
        for owner in (MENTOR, MENTEE):
            await make_goal(session, pair=pair, owner_id=owner, text="A goal", updated_at=now - timedelta(weeks=8))
        await make_roadmap(session, pair=pair, topics=topics)
        return pair


async def _home(slack: SlackRequests, workspace: Workspace, user_id: str) -> dict:
    await slack.app_home_opened(user_id)
    await workspace.wait_until(lambda: user_id in workspace.home_views)
    return workspace.home_views[user_id]


def _next_step(view: dict) -> dict:
    """The block under "Your next step"."""
    blocks = view["blocks"]
    index = next(i for i, block in enumerate(blocks) if block["type"] == "header" and block["text"]["text"] == home_prompts.HOME_NEXT_HEADER)
    return blocks[index + 1]


async def test_an_unfinished_reflection_is_the_next_step_not_nothing_pending(slack, workspace, bot, clock):
    pair = await _agreed_pair(bot, clock)
    async with bot.services.sessions.begin() as session:
        held = await make_session(session, pair=pair, starts_at=clock.now() - timedelta(days=1), status=SessionStatus.HELD)
        await make_reflection(session, mentoring_session=held, author_id=MENTOR, completed=False, step=3)

    view = await _home(slack, workspace, MENTOR)

    step = _next_step(view)
    assert "Nothing pending" not in text_of(view["blocks"])
    assert "reflection" in step["text"]["text"] and "/mentor reflect" in step["text"]["text"]
    assert buttons([step])[REFLECTION_OPEN_FORM_ACTION]["value"] == str(held.id)


async def test_the_booker_of_a_red_pair_under_an_agreed_roadmap_is_told_to_book_not_to_choose_topics(slack, workspace, bot, clock):
    pair = await _agreed_pair(bot, clock, topics=TOPICS[:3])  # three topics, agreed by both (as in the demo)
    async with bot.services.sessions.begin() as session:
        held = await make_session(session, pair=pair, starts_at=clock.now() - timedelta(weeks=7), status=SessionStatus.HELD, booked_by=MENTOR)
        for author in (MENTOR, MENTEE):
            await make_reflection(session, mentoring_session=held, author_id=author)
        for weeks in (5, 3):
            await make_session(session, pair=pair, starts_at=clock.now() - timedelta(weeks=weeks), status=SessionStatus.CANCELLED,
                               booked_by=MENTOR, cancelled_by=MENTEE, cancelled_at=clock.now() - timedelta(weeks=weeks, days=1))

    view = await _home(slack, workspace, MENTOR)

    step = _next_step(view)
    assert "Choose four to eight topics" not in text_of(view["blocks"])
    assert step["text"]["text"].startswith("Book your next session with <@U0MENTEE>")
    assert SCHEDULE_OPEN_ACTION in buttons([step])


async def test_a_session_the_partner_booked_waits_for_this_persons_confirm(slack, workspace, bot, clock):
    pair = await _agreed_pair(bot, clock)
    async with bot.services.sessions.begin() as session:
        booked = await make_session(session, pair=pair, starts_at=clock.now() + timedelta(days=3), booked_by=MENTEE, mentee_confirmed=True)

    view = await _home(slack, workspace, MENTOR)

    step = _next_step(view)
    assert "Nothing pending" not in step["text"]["text"]
    assert "<@U0MENTEE> booked a session" in step["text"]["text"]
    # The session is the next one, shown below with its Confirm: the button appears once on Home.
    confirms = [element for block in view["blocks"] for element in [*block.get("elements", []), block.get("accessory", {})]
                if element.get("action_id") == CONFIRM_ACTION]
    assert [element["value"] for element in confirms] == [str(booked.id)]


async def test_help_offers_the_confirm_for_a_session_the_partner_booked(slack, bot, clock):
    pair = await _agreed_pair(bot, clock)
    async with bot.services.sessions.begin() as session:
        booked = await make_session(session, pair=pair, starts_at=clock.now() + timedelta(days=3), booked_by=MENTEE, mentee_confirmed=True)

    body = await slack.command_reply(MENTOR, "help")

    [step] = [block for block in body["blocks"] if "Your next step" in block.get("text", {}).get("text", "")]
    assert "<@U0MENTEE> booked a session" in step["text"]["text"]
    assert buttons([step])[CONFIRM_ACTION]["value"] == str(booked.id)
