"""Typed replies understood loosely, the order of questions, and who may read a reflection."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.rules.reflection_flow import current_step, led_by, next_step, understand, visibility
from domain.reflection import (
    ActionLine,
    Answer,
    Learning,
    NotUnderstood,
    Skipped,
    Step,
    TopicChoice,
    question_key,
)
from domain.roles import Led, Role
from domain.times import TimeProblem

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday
TOPICS = [TopicChoice("hybrid-working", "Hybrid and remote working"), TopicChoice("ai-tools-at-work", "AI tools at work")]


@pytest.mark.parametrize(
    ("text", "value"),
    [("yes", "yes"), ("Yes!", "yes"), ("yep, we met", "yes"), ("it was cancelled", "cancelled"), ("Canceled", "cancelled"), ("we rescheduled", "cancelled"),
     ("no show", "no_show"), ("they didn't come", "no_show"), ("He did not turn up", "no_show")],
)
def test_took_place_replies(text, value):
    assert understand(Step.TOOK_PLACE, text) == Answer(Step.TOOK_PLACE, value)


def test_a_bare_no_to_took_place_asks_which_kind_of_no():
    assert understand(Step.TOOK_PLACE, "no") == NotUnderstood(Step.TOOK_PLACE, "no_or_which")


@pytest.mark.parametrize(
    ("text", "value"),
    [("me", "me"), ("Mostly me", "me"), ("I did", "me"), ("my partner", "partner"), ("they did", "partner"), ("she did, mostly", "partner"),
     ("even", "even"), ("about even", "even"), ("both of us", "even"), ("50/50", "even")],
)
def test_led_replies(text, value):
    assert understand(Step.LED, text) == Answer(Step.LED, value)


@pytest.mark.parametrize(("text", "value"), [("5", 5), ("five", 5), ("a solid 4", 4), ("4/5", 4), ("One", 1)])
def test_safety_replies(text, value):
    assert understand(Step.SAFETY, text) == Answer(Step.SAFETY, value)


@pytest.mark.parametrize("text", ["6", "0", "great", "11 out of 10"])
def test_safety_outside_one_to_five_is_re_asked(text):
    assert isinstance(understand(Step.SAFETY, text), NotUnderstood)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", "hybrid-working"), ("2", "ai-tools-at-work"), ("3", "other"), ("AI tools", "ai-tools-at-work"),
     ("hybrid and remote working", "hybrid-working"), ("something else", "other")],
)
def test_topic_by_number_or_name(text, value):
    assert understand(Step.TOPIC, text, topics=TOPICS) == Answer(Step.TOPIC, value)


def test_unknown_topic_is_re_asked():
    assert understand(Step.TOPIC, "gardening", topics=TOPICS) == NotUnderstood(Step.TOPIC, "topic")


@pytest.mark.parametrize("step", [step for step in Step if step is not Step.DONE])
def test_skip_works_at_every_question(step):
    assert understand(step, "Skip", topics=TOPICS) == Skipped(step)


def test_learning_text_yes_and_no():
    assert understand(Step.LEARNING, "How slow approvals feel") == Answer(Step.LEARNING, Learning("How slow approvals feel", True))
    assert understand(Step.LEARNING, "yes") == Answer(Step.LEARNING, Learning("", True))
    assert understand(Step.LEARNING, "nothing new") == Answer(Step.LEARNING, Learning("", False))


def test_actions_one_per_line_with_due_dates_in_the_authors_zone():
    reply = understand(Step.ACTIONS, "Read the survey by friday\n- Ask HR by 2026-04-01\n\nTalk to my team", now=NOW, tz="America/New_York")
    assert reply == Answer(
        Step.ACTIONS,
        [ActionLine("Read the survey", date(2026, 3, 6)), ActionLine("Ask HR", date(2026, 4, 1)), ActionLine("Talk to my team")],
    )


def test_a_by_that_is_not_a_date_stays_in_the_text():
    assert understand(Step.ACTIONS, "Read a book by bell hooks", now=NOW) == Answer(Step.ACTIONS, [ActionLine("Read a book by bell hooks")])


def test_an_action_due_in_the_past_is_re_asked():
    assert understand(Step.ACTIONS, "Email Tom by 2026-01-01", now=NOW) == NotUnderstood(
        Step.ACTIONS, "due_day", day_problem=TimeProblem.IN_THE_PAST, typed="2026-01-01"
    )


def test_an_action_due_on_an_ambiguous_day_is_re_asked():
    assert understand(Step.ACTIONS, "Email Tom by 3/4", now=NOW) == NotUnderstood(Step.ACTIONS, "due_day", day_problem=TimeProblem.NUMERIC_DATE, typed="3/4")


def test_share_defaults_to_nothing_until_answered():
    assert understand(Step.SHARE, "yes") == Answer(Step.SHARE, True)
    assert understand(Step.SHARE, "no thanks") == Answer(Step.SHARE, False)
    assert isinstance(understand(Step.SHARE, "maybe"), NotUnderstood)


def test_questions_follow_in_order_and_stop_when_the_session_did_not_happen():
    assert next_step(Answer(Step.TOOK_PLACE, "yes")) is Step.LED
    assert next_step(Answer(Step.TOOK_PLACE, "cancelled")) is Step.DONE
    assert next_step(Skipped(Step.SAFETY)) is Step.TOPIC
    assert next_step(Answer(Step.SHARE, False)) is Step.DONE
    assert current_step(0) is Step.TOOK_PLACE


def test_me_and_my_partner_are_stored_by_the_authors_role():
    assert led_by("me", Role.MENTEE) is Led.MENTEE
    assert led_by("partner", Role.MENTEE) is Led.MENTOR
    assert led_by("partner", Role.MENTOR) is Led.MENTEE
    assert led_by("even", Role.MENTOR) is Led.BALANCED


def test_wording_keys_differ_by_role():
    assert question_key(Step.LED, Role.MENTOR) != question_key(Step.LED, Role.MENTEE)


def test_visibility_rules():
    assert visibility(author_id="A", viewer_id="A", shared=False, viewer_has_reflected=False) is not None
    assert visibility(author_id="A", viewer_id="B", shared=False, viewer_has_reflected=True) is None
    assert visibility(author_id="A", viewer_id="B", shared=True, viewer_has_reflected=False) is None
    assert visibility(author_id="A", viewer_id="B", shared=True, viewer_has_reflected=True) is not None
