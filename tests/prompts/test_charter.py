"""What changed between two charters, worded per field, and the modal's limits."""

from __future__ import annotations

from bot.views import charter_view
from domain.views import CharterView
from prompts import charter as charter_prompts
from store.models import Charter


def _charter(**fields) -> CharterView:
    terms = charter_prompts.new_charter_terms(cadence_days=30, session_minutes=60)
    return charter_view(Charter(team_id="T", pair_id=1, **{**terms, **fields}))


def test_identical_charters_have_no_changes():
    assert charter_prompts.charter_changes(_charter(), _charter()) == []


def test_each_changed_setting_gets_its_own_sentence():
    before = _charter()
    after = _charter(driver="alternating", cadence_days=14, session_minutes=45, format="in_person", confidentiality=False)
    assert charter_prompts.charter_changes(before, after) == [
        "*Who books sessions*: was “The reverse-mentor books our sessions”, now “We take turns to book”.",
        "*How often*: was every month, now every two weeks.",
        "*Session length*: was 60 minutes, now 45 minutes.",
        "*How you meet*: was on video, now in person.",
        "*Confidentiality*: no longer included.",
    ]


def test_ground_rules_added_and_removed_are_named():
    before = _charter(ground_rules="phones-away", own_rules="No laptops")
    after = _charter(ground_rules="assume-good-intent", own_rules="No laptops\nWalk and talk when we can")
    changes = charter_prompts.charter_changes(before, after)
    rules = charter_prompts.ground_rules()
    assert changes == [
        f"*Ground rule added*: {rules['assume-good-intent']}",
        f"*Ground rule removed*: {rules['phones-away']}",
        "*Own ground rule added*: Walk and talk when we can",
    ]


def test_responsibilities_show_the_new_wording():
    changes = charter_prompts.charter_changes(_charter(), _charter(mentee_responsibilities="Turn up on time"))
    assert changes == ["*What the mentee takes on*: now “Turn up on time”"]


def test_every_ground_rule_fits_in_a_checkbox_option():
    assert all(len(text) <= 75 for text in charter_prompts.ground_rules().values())
