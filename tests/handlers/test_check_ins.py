"""Answering the mid-point check-in and the closing reflection: the button opens a modal, answers are stored."""

from sqlmodel import select

from prompts import check_ins as words
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import CheckIn
from tests.conftest import START
from tests.factories import make_pair, make_programme


async def seed_pair(bot):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START)
        return await make_pair(session, programme=programme, now=START)


async def click_answer(slack: SlackRequests, user_id: str, prompt: dict) -> None:
    message = {"type": "message", "ts": "1700000000.000100", **prompt}
    await slack.block_action(user_id, message["blocks"][1]["elements"][0], message=message)


async def open_modal(slack: SlackRequests, workspace: Workspace, user_id: str, prompt: dict) -> dict | None:
    await click_answer(slack, user_id, prompt)
    await workspace.wait_for_calls("views.open")
    stack = workspace.modal_stacks.get(user_id)
    return stack[-1] if stack else None


def choice(value: str) -> dict:
    return {"type": "static_select", "selected_option": {"value": value}}


def typed(value: str) -> dict:
    return {"type": "plain_text_input", "value": value}


async def stored(bot) -> list[CheckIn]:
    async with bot.services.sessions.begin() as session:
        return list((await session.exec(select(CheckIn))).all())


async def test_the_midpoint_button_opens_the_check_in_and_the_answer_is_stored(bot, slack: SlackRequests, workspace: Workspace):
    pair = await seed_pair(bot)
    view = await open_modal(slack, workspace, "U0MENTEE", words.build_midpoint_prompt(pair_id=pair.id, programme_name="Spring cohort", k=5))
    assert view["callback_id"] == words.CHECK_IN_SUBMIT
    response = await slack.view_submission("U0MENTEE", view, {"working": {"working": choice("4")}, "change": {"change": typed("More time on AI")}})
    assert response.status == 200
    await workspace.wait_for_calls("chat.postMessage")
    [check_in] = await stored(bot)
    assert (check_in.kind, check_in.user_id, check_in.role, check_in.working, check_in.change) == ("midpoint", "U0MENTEE", "mentee", 4, "More time on AI")
    assert workspace.dm_messages("U0MENTEE")[-1].text == words.check_in_thanks("midpoint")["text"]


async def test_a_check_in_without_a_score_is_sent_back_with_an_error(bot, slack: SlackRequests, workspace: Workspace):
    pair = await seed_pair(bot)
    view = await open_modal(slack, workspace, "U0MENTOR", words.build_midpoint_prompt(pair_id=pair.id, programme_name="Spring cohort", k=5))
    response = await slack.view_submission("U0MENTOR", view, {"working": {"working": {"type": "static_select", "selected_option": None}}})
    assert response.json()["response_action"] == "errors"
    assert "working" in response.json()["errors"]
    assert await stored(bot) == []


async def test_the_closing_reflection_stores_every_answer(bot, slack: SlackRequests, workspace: Workspace):
    pair = await seed_pair(bot)
    view = await open_modal(slack, workspace, "U0MENTOR", words.build_closing_prompt(pair_id=pair.id, programme_name="Spring cohort", k=5))
    values = {
        "goals_achieved": {"goals_achieved": choice("some")},
        "what_changed": {"what_changed": typed("Confidence")},
        "organisation_should": {"organisation_should": typed("Protect the time")},
        "recommend": {"recommend": choice("9")},
        "take_part_again": {"take_part_again": choice("yes")},
    }
    await slack.view_submission("U0MENTOR", view, values)
    await workspace.wait_for_calls("chat.postMessage")
    [check_in] = await stored(bot)
    assert (check_in.kind, check_in.goals_achieved, check_in.recommend, check_in.take_part_again) == ("closing", "some", 9, "yes")


async def test_someone_outside_the_pair_cannot_open_its_check_in(bot, slack: SlackRequests, workspace: Workspace):
    pair = await seed_pair(bot)
    await click_answer(slack, "U0OTHER", words.build_midpoint_prompt(pair_id=pair.id, programme_name="Spring cohort", k=5))
    messages = await workspace.wait_for_calls("chat.postMessage")
    assert workspace.calls_to("views.open") == []
    assert messages[0].args["text"] == words.NOT_IN_PAIR
