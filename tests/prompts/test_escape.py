"""Whatever a person types, the mrkdwn our prompts build from it holds no `<` of theirs (issue 14, finding 7).

The only `<...>` left in what we render is markup we build ourselves from ids we hold: mentions,
channel links and dates. Anything else would be a person's `<!channel>` or disguised link going live.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given

from bot.views import (
    action_view,
    charter_view,
    goal_view,
    person_view,
    programme_view,
    reflection_view,
    roadmap_view,
)
from domain.roles import Role
from prompts import (
    actions,
    admin,
    charter,
    goals,
    profile,
    reflection_conversation,
    reflection_read_back,
    session_list,
    session_reminders,
    sessions,
    tips,
    topics,
)
from prompts.blocks import excerpt
from store.models import Action, Charter, Goal, Person, Programme, Reflection, RoadmapItem
from tests.hostile.strategies import EXAMPLES, HOSTILE

START = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
# Our own links too: "Add to calendar" to Google's and Outlook's pages, where typed text is only ever URL-encoded.
OWN_CALENDAR_LINK = r"<https://(?:calendar\.google\.com|outlook\.office\.com)/[^<>|\s]*\|(?:Google Calendar|Outlook)>"
OWN_MARKUP = re.compile(r"<@[UW][A-Z0-9]+>|<#C[A-Z0-9]+>|<!date\^\d+\^\{date_long\}\|[^<>]*>|" + OWN_CALENDAR_LINK)


def _mrkdwn(node: Any) -> Iterator[str]:
    """A message's `text` (Slack formats it) and every mrkdwn text object in its blocks."""
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" or ("blocks" in node and "text" in node):
            yield str(node["text"])
        for key, value in node.items():
            if key != "text" or isinstance(value, dict | list):
                yield from _mrkdwn(value)
    elif isinstance(node, list):
        for value in node:
            yield from _mrkdwn(value)


def _rendered(typed: str) -> list[Any]:
    """Every prompt that echoes typed text to someone, built with `typed` in each typed field."""
    action = action_view(Action(id=1, team_id="T", pair_id=1, owner_id="U0MENTEE", text=typed, due_on=date(2026, 3, 20)))
    goal = goal_view(Goal(id=1, team_id="T", pair_id=1, owner_id="U0MENTEE", text=typed, org_benefit=typed, note=typed))
    (item,) = roadmap_view([RoadmapItem(id=1, team_id="T", pair_id=1, topic_key="own:1", title=typed, position=1)])
    view = sessions.SessionView(id=1, starts_at=START, minutes=45, topic=typed, location=typed, status="booked", partner_id="U0MENTEE", tz="UTC")
    before = charter_view(Charter(id=1, team_id="T", pair_id=1, updated_at=START))
    after = charter_view(Charter(id=1, team_id="T", pair_id=1, own_rules=typed, mentor_responsibilities=typed, mentee_responsibilities=typed, version=2, updated_at=START))
    shared = reflection_view(Reflection(id=1, team_id="T", session_id=1, pair_id=1, author_id="U0MENTEE", topic_key="own:1", learning=typed, shared=True, completed_at=START))
    entry = reflection_read_back.ReflectionEntry(when="Tue 3 Mar", own=shared, partner=shared, partner_reflected=True, partner_id="U0MENTEE")
    programme = programme_view(Programme(id=1, team_id="T", name=typed, starts_on=date(2026, 3, 1), ends_on=date(2026, 9, 1), created_by="U0ADMIN"))
    return [
        actions.build_actions_list([action], viewer_id="U0MENTOR"),
        actions.build_due_reminder(action),
        actions.build_reminder_done(action),
        goals.build_goals_list(pair_id=1, my_goals=[goal], partner_id="U0MENTEE", partner_goals=[goal], can_edit=True),
        goals.build_progress_modal(goal),
        topics.build_roadmap_request(pair_id=1, items=[item], from_id="U0MENTOR", changed_after_agreeing=False),
        sessions.build_booking_message(view, booked_by_reader=False),
        sessions.build_cancelled_notice(view, cancelled_by_reader=False, reason=typed),
        sessions.build_moved_notice(view, moved_by_reader=False, previous=START - timedelta(days=1), reason=typed),
        session_list.build_sessions_list([view], [view]),
        session_reminders.build_mentor_reminder(view, minutes_before=60, topic_key="hybrid-working"),
        charter.build_agreement_request(after, pair_id=1, from_id="U0MENTOR", changes=charter.charter_changes(before, after)),
        reflection_read_back.build_reflections_list([entry], viewer_role=Role.MENTOR, topic_titles={"own:1": typed}),
        reflection_conversation.build_completed(held=True, created=[action]),
        tips.build_stalled_goal(typed),
        profile.build_enrolled_invite(Role.MENTEE, programme=programme),
        profile.build_profile_saved(person_view(Person(team_id="T", user_id="U0MENTEE", department=typed))),
        admin.build_setup_saved(programme, created=True, admins=["U0ADMIN"]),
    ]


@EXAMPLES
@given(typed=HOSTILE)
def test_no_rendered_mrkdwn_carries_a_typed_angle_bracket(typed: str):
    for body in _rendered(typed):
        for text in _mrkdwn(body):
            assert "<" not in OWN_MARKUP.sub("", text), text


def test_the_check_sees_a_typed_broadcast_when_it_is_not_escaped():
    """The property above can fail: a raw `<!channel>` in mrkdwn is caught by it."""
    leaked = {"text": "x", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "<@U0MENTEE> says <!channel>"}}]}
    assert any("<" in OWN_MARKUP.sub("", text) for text in _mrkdwn(leaked))


def test_an_excerpt_drops_control_and_bidi_characters_and_collapses_whitespace():
    typed = "tom\u202erow \u2066at\u2069\n\n\t3pm\u200b\x07"
    assert excerpt(typed) == "tomrow at 3pm"


def test_an_excerpt_is_cut_with_an_ellipsis_and_escaped():
    quoted = excerpt("<!channel> " + "word " * 100)
    assert quoted.startswith("&lt;!channel&gt; word") and quoted.endswith("…")
    assert len(quoted.replace("&lt;", "<").replace("&gt;", ">")) <= 80


def test_an_excerpt_cannot_close_the_code_span_it_is_quoted_in():
    assert "`" not in excerpt("3pm` *bold*")
