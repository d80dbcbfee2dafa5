"""Reflections are private unless shared; shared ones show only once the partner has reflected too;
admins never see individual answers. Checked on every path that shows a reflection."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.conftest import START
from tests.factories import make_pair, make_person, make_programme
from tests.factories_sessions import make_reflection, make_session
from tests.handlers.test_reflections import _say

MENTOR, MENTEE, ADMIN = "U0MENTOR", "U0MENTEE", "U0ADMIN"
SECRET = "I worry my team thinks I am out of touch"


@pytest.fixture
async def pair_session(bot):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=30), admin_id=ADMIN)
        await make_person(session, user_id=MENTOR, tz="Asia/Kolkata", now=START)
        await make_person(session, user_id=MENTEE, tz="America/New_York", now=START)
        pair = await make_pair(session, programme=programme, now=START - timedelta(days=30))
        mentoring_session = await make_session(session, pair=pair, starts_at=START - timedelta(hours=5), status="held")
        return mentoring_session


async def _mentee_reflects(bot, mentoring_session, *, shared: bool) -> None:
    async with bot.services.sessions.begin() as session:
        await make_reflection(session, mentoring_session=mentoring_session, author_id=MENTEE, safety=1, learning=SECRET, new_insight=True, shared=shared)


async def _mentor_reflects(bot, mentoring_session) -> None:
    async with bot.services.sessions.begin() as session:
        await make_reflection(session, mentoring_session=mentoring_session, author_id=MENTOR, safety=5, learning="Mine", new_insight=True)


async def _reflections_seen_by(slack, user_id: str) -> str:
    body = await slack.command_reply(user_id, "reflections")
    assert body is not None and body["response_type"] == "ephemeral"
    return json.dumps(body)


async def test_author_sees_their_own_reflection(bot, slack, pair_session):
    await _mentee_reflects(bot, pair_session, shared=False)
    seen = await _reflections_seen_by(slack, MENTEE)
    assert SECRET in seen and "1/5" in seen and "Private to you" in seen


async def test_partner_cannot_see_an_unshared_reflection(bot, slack, pair_session):
    await _mentee_reflects(bot, pair_session, shared=False)
    await _mentor_reflects(bot, pair_session)
    seen = await _reflections_seen_by(slack, MENTOR)
    assert SECRET not in seen and "1/5" not in seen
    assert "kept their reflection private" in seen


async def test_partner_cannot_see_a_shared_reflection_before_reflecting_themselves(bot, slack, pair_session):
    await _mentee_reflects(bot, pair_session, shared=True)
    seen = await _reflections_seen_by(slack, MENTOR)
    assert SECRET not in seen and "1/5" not in seen
    assert "Reflect too" in seen


async def test_partner_sees_a_shared_reflection_once_they_have_reflected(bot, slack, pair_session):
    await _mentee_reflects(bot, pair_session, shared=True)
    await _mentor_reflects(bot, pair_session)
    seen = await _reflections_seen_by(slack, MENTOR)
    assert SECRET in seen and "1/5" in seen


async def test_an_unfinished_reflection_of_the_viewer_does_not_unlock_the_partners(bot, slack, pair_session):
    await _mentee_reflects(bot, pair_session, shared=True)
    async with bot.services.sessions.begin() as session:
        await make_reflection(session, mentoring_session=pair_session, author_id=MENTOR, completed=False)
    assert SECRET not in await _reflections_seen_by(slack, MENTOR)


async def test_admin_sees_no_individual_reflection(bot, slack, pair_session):
    await _mentee_reflects(bot, pair_session, shared=True)
    await _mentor_reflects(bot, pair_session)
    seen = await _reflections_seen_by(slack, ADMIN)
    assert SECRET not in seen and "Mine" not in seen and "1/5" not in seen
    assert "totals only" in seen


async def test_sharing_notifies_the_partner_without_the_content(bot, slack, workspace, pair_session):
    await _mentor_reflects(bot, pair_session)
    for answer in ("yes", "me", "1", "other", SECRET, "none"):
        await _say(slack, workspace, MENTEE, answer, expect_posts=2 if answer == "1" else 1)
    await _say(slack, workspace, MENTEE, "yes", expect_posts=2)
    mentor_dm = json.dumps([message.text + json.dumps(message.blocks) for message in workspace.dm_messages(MENTOR)])
    assert "shared their reflection" in mentor_dm
    assert SECRET not in mentor_dm and "1/5" not in mentor_dm
    admin_dm = json.dumps([message.text + json.dumps(message.blocks) for message in workspace.dm_messages(ADMIN)])
    assert SECRET not in admin_dm
