"""`/mentor admin pair` and the pair form: pairs two enrolled people, or says exactly why not."""

import pytest
from sqlmodel import select

from domain.roles import Role
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import enrolments
from store.models import Pair
from tests.factories import TEAM, make_pair, make_programme
from tests.handlers.admin_helpers import dms_to, open_modal, text_of, with_values


async def _setup(db, clock, *, enrol: dict[str, Role] | None = None, **fields):
    async with db.begin() as session:
        programme = await make_programme(session, now=clock.now(), **fields)
        for user_id, role in (enrol or {"U0MENTOR": Role.MENTOR, "U0MENTEE": Role.MENTEE}).items():
            await enrolments.enrol(session, team_id=TEAM, programme_id=programme.id, user_id=user_id, role=role, now=clock.now())
    return programme


async def _pairs(db) -> list[tuple[str, str, str]]:
    async with db.begin() as session:
        return [(pair.mentor_id, pair.mentee_id, pair.status) for pair in (await session.exec(select(Pair).order_by(Pair.id))).all()]


async def test_typed_pair_pairs_two_enrolled_people(slack: SlackRequests, db, clock):
    await _setup(db, clock)
    body = await slack.command_reply("U0ADMIN", "admin pair <@U0MENTOR|priya> <@U0MENTEE|tom>")
    assert "<@U0MENTOR> is now the reverse-mentor for <@U0MENTEE>" in text_of(body)
    assert await _pairs(db) == [("U0MENTOR", "U0MENTEE", "active")]


async def test_both_people_in_a_new_pair_are_welcomed(slack: SlackRequests, workspace: Workspace, db, clock):
    await _setup(db, clock)
    await slack.command("U0ADMIN", "admin pair <@U0MENTOR|priya> <@U0MENTEE|tom>")
    await workspace.wait_for_calls("chat.postMessage", 2)
    assert len(dms_to(workspace, "U0MENTOR")) == 1
    assert len(dms_to(workspace, "U0MENTEE")) == 1


@pytest.mark.parametrize(
    ("text", "enrol", "reason"),
    [
        ("<@U0MENTOR|priya> <@U0MENTOR|priya>", None, "<@U0MENTOR> can't be paired with themselves"),
        ("<@U0OTHER|leo> <@U0MENTEE|tom>", None, "<@U0OTHER> isn't enrolled as a reverse-mentor"),
        ("<@U0MENTOR|priya> <@U0OTHER|leo>", None, "<@U0OTHER> isn't enrolled as a mentee"),
        ("<@U0MENTEE|tom> <@U0MENTOR|priya>", None, "Put the reverse-mentor first: `/mentor admin pair <@U0MENTOR> <@U0MENTEE>`"),
        ("<@U0MENTEE|tom> <@U0OTHER|leo>", {"U0MENTEE": Role.MENTEE, "U0OTHER": Role.MENTEE}, "<@U0MENTEE> is already enrolled as a mentee"),
        ("<@U0BOT|flipside> <@U0MENTEE|tom>", None, "<@U0BOT> is a bot"),
        ("<@U0MENTOR|priya> <@U0GONE|old>", {"U0MENTOR": Role.MENTOR, "U0GONE": Role.MENTEE}, "<@U0GONE>'s Slack account is deactivated"),
    ],
)
async def test_a_pair_that_breaks_a_rule_is_refused_with_the_reason(slack: SlackRequests, db, clock, text, enrol, reason):
    await _setup(db, clock, enrol=enrol)
    body = await slack.command_reply("U0ADMIN", f"admin pair {text}")
    assert body["response_type"] == "ephemeral"
    assert reason in text_of(body)
    assert await _pairs(db) == []


async def test_someone_already_in_an_active_pair_is_refused(slack: SlackRequests, db, clock):
    programme = await _setup(db, clock, enrol={"U0OTHER": Role.MENTEE})
    async with db.begin() as session:
        await make_pair(session, programme=programme, now=clock.now())
    body = await slack.command_reply("U0ADMIN", "admin pair <@U0MENTOR|priya> <@U0OTHER|leo>")
    assert "<@U0MENTOR> is already in a pair, and the programme allows one pair per person" in text_of(body)
    assert await _pairs(db) == [("U0MENTOR", "U0MENTEE", "active")]


async def test_a_programme_that_allows_two_pairs_each_lets_someone_mentor_twice(slack: SlackRequests, db, clock):
    programme = await _setup(db, clock, enrol={"U0OTHER": Role.MENTEE}, max_pairs_per_person=2)
    async with db.begin() as session:
        await make_pair(session, programme=programme, now=clock.now())
    await slack.command_reply("U0ADMIN", "admin pair <@U0MENTOR|priya> <@U0OTHER|leo>")
    assert await _pairs(db) == [("U0MENTOR", "U0MENTEE", "active"), ("U0MENTOR", "U0OTHER", "active")]


async def test_the_same_two_people_are_not_paired_twice(slack: SlackRequests, db, clock):
    programme = await _setup(db, clock, max_pairs_per_person=2)
    async with db.begin() as session:
        await make_pair(session, programme=programme, now=clock.now())
    body = await slack.command_reply("U0ADMIN", "admin pair <@U0MENTOR|priya> <@U0MENTEE|tom>")
    assert "already paired" in text_of(body)


async def test_typed_pair_with_one_person_explains_how(slack: SlackRequests, db, clock):
    await _setup(db, clock)
    body = await slack.command_reply("U0ADMIN", "admin pair <@U0MENTOR|priya>")
    assert "/mentor admin pair @priya @tom" in text_of(body)


async def test_the_pair_form_pairs_and_welcomes(slack: SlackRequests, workspace: Workspace, db, clock):
    await _setup(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin pair")
    response = await slack.view_submission("U0ADMIN", view, with_values(view, mentor="U0MENTOR", mentee="U0MENTEE"))
    assert response.text == ""
    await workspace.wait_for_calls("chat.postMessage", 3)
    assert await _pairs(db) == [("U0MENTOR", "U0MENTEE", "active")]
    assert "is now the reverse-mentor" in dms_to(workspace, "U0ADMIN")[0]


@pytest.mark.parametrize(
    ("mentor", "mentee", "block", "reason"),
    [
        ("U0MENTOR", "U0MENTOR", "mentee", "themselves"),
        ("U0OTHER", "U0MENTEE", "mentor", "isn't enrolled as a reverse-mentor"),
        ("U0MENTOR", "U0BOT", "mentee", "is a bot"),
    ],
)
async def test_the_pair_form_shows_a_refusal_under_the_person_it_is_about(slack: SlackRequests, workspace: Workspace, db, clock, mentor, mentee, block, reason):
    await _setup(db, clock)
    view = await open_modal(slack, workspace, "U0ADMIN", "admin pair")
    body = (await slack.view_submission("U0ADMIN", view, with_values(view, mentor=mentor, mentee=mentee))).json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == [block]
    assert reason in body["errors"][block]
    assert await _pairs(db) == []
