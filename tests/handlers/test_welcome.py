"""The welcome DMs when a pair is made: each written for its role, each with the charter button."""

from domain.roles import Role
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import enrolments
from store.pairs import open_pairs_of
from tests.factories import TEAM, make_programme
from tests.handlers.admin_helpers import dm_blocks_to, dms_to, text_of


async def _welcomed(slack: SlackRequests, workspace: Workspace, db, clock, **programme_fields) -> None:
    async with db.begin() as session:
        programme = await make_programme(session, now=clock.now(), name="Spring cohort", **programme_fields)
        await enrolments.enrol(session, team_id=TEAM, programme_id=programme.id, user_id="U0MENTOR", role=Role.MENTOR, now=clock.now())
        await enrolments.enrol(session, team_id=TEAM, programme_id=programme.id, user_id="U0MENTEE", role=Role.MENTEE, now=clock.now())
    await slack.command("U0ADMIN", "admin pair <@U0MENTOR|priya> <@U0MENTEE|tom>")
    await workspace.wait_for_calls("chat.postMessage", 2)


def _buttons(blocks) -> list[tuple[str, str, str]]:
    return [(element["action_id"], element["text"]["text"], element["value"]) for block in blocks if block["type"] == "actions" for element in block["elements"]]


async def test_the_reverse_mentor_is_welcomed_as_the_one_who_leads(slack, workspace, db, clock):
    await _welcomed(slack, workspace, db, clock)
    text = dms_to(workspace, "U0MENTOR")[0]
    assert "You are the *reverse-mentor* for <@U0MENTEE> in *Spring cohort*" in text
    assert "What is reverse mentoring?" in text
    assert "*You lead.*" in text
    assert "*Set your own goals.*" in text


async def test_the_reverse_mentor_gets_the_session_template_and_topic_guide(slack, workspace, db, clock):
    await _welcomed(slack, workspace, db, clock)
    text = dms_to(workspace, "U0MENTOR")[0]
    assert "A session in five steps" in text
    for step in ("Check-in", "The topic", "Lived experience", "What each takes away", "Actions"):
        assert f"*{step}*" in text
    assert "What to talk about: a guide for reverse-mentors" in text
    assert "Handle with care" in text


async def test_the_mentee_is_asked_to_protect_the_time_listen_and_let_the_mentor_lead(slack, workspace, db, clock):
    await _welcomed(slack, workspace, db, clock)
    text = dms_to(workspace, "U0MENTEE")[0]
    assert "Your *reverse-mentor* is <@U0MENTOR>" in text
    assert "*Protect the time.*" in text
    assert "*Listen more than you advise.*" in text
    assert "*Let your reverse-mentor lead.*" in text
    assert "A session in five steps" not in text


async def test_both_are_told_what_the_bot_will_do_and_when(slack, workspace, db, clock):
    await _welcomed(slack, workspace, db, clock)
    for user_id in ("U0MENTOR", "U0MENTEE"):
        text = dms_to(workspace, user_id)[0]
        assert "*How I help*" in text
        assert "a reminder a day and an hour before" in text
        assert "60 minutes" in text and "The programme suggests meeting every month; your charter sets your own rhythm." in text


async def test_a_three_weekly_programme_is_welcomed_in_words_not_once_a_21_days(slack, workspace, db, clock):
    await _welcomed(slack, workspace, db, clock, cadence_days=21)
    text = dms_to(workspace, "U0MENTEE")[0]
    assert "The programme suggests meeting every three weeks; your charter sets your own rhythm." in text
    assert "once a 21 days" not in text


async def test_both_welcomes_carry_the_start_your_charter_button(slack, workspace, db, clock):
    await _welcomed(slack, workspace, db, clock)
    async with db.begin() as session:
        [pair] = await open_pairs_of(session, team_id=TEAM, user_id="U0MENTOR")
    for user_id in ("U0MENTOR", "U0MENTEE"):
        assert _buttons(dm_blocks_to(workspace, user_id)[0]) == [("charter_open", "Start your charter", str(pair.id))]


# What an admin sees: the same words in the welcome DM and in `/mentor privacy` (issue 14, "words that match").
SURFACES = ("the programme report and its chart", "the CSV export", "their Home tab", "the final report", "The monthly post to reverse-mentors")
FLAGS = ('"roles reverting"', '"topics drying up"')


def _admin_paragraph(text: str) -> str:
    start = text.index("*What your programme admin sees*")
    return text[start : text.index("of 5.", start) + len("of 5.")]


async def test_the_welcome_and_mentor_privacy_say_the_same_of_what_an_admin_sees(slack, workspace, db, clock):
    await _welcomed(slack, workspace, db, clock)
    privacy = await slack.command_reply("U0MENTOR", "privacy")
    told = {_admin_paragraph(dms_to(workspace, user_id)[0]) for user_id in ("U0MENTOR", "U0MENTEE")} | {_admin_paragraph(text_of(privacy))}
    assert len(told) == 1
    paragraph = told.pop()
    for surface in SURFACES:
        assert surface in paragraph
    for flag in FLAGS:
        assert flag in paragraph
    assert "sessions booked, held and cancelled (by which side, and at short notice)" in paragraph
    assert "each over at least 5 people and changing only once 5 more people have answered" in paragraph
    assert "Never: what you write, any single answer of yours, or any figure from answers for one person or one pair" in paragraph
    assert "What this does not promise" in paragraph
