"""The welcome DM says how often a pair meets in words a person would use, and whose rhythm it is:
the pair's charter when they have one, otherwise the programme's suggestion, which the charter sets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.views import programme_view
from domain.roles import Role
from prompts import welcome as welcome_prompts
from store.models import Programme
from tests.handlers.pairing_support import text_of

PROGRAMME = programme_view(Programme(id=1, team_id="T", name="Spring cohort", starts_on=date(2026, 3, 4), ends_on=date(2026, 9, 2), created_by="U0ADMIN"))


def _welcome(cadence_days: int, **kwargs) -> str:
    body = welcome_prompts.build_welcome(Role.MENTEE, partner_id="U0PARTNER", programme=replace(PROGRAMME, cadence_days=cadence_days), **kwargs)
    return text_of(body["blocks"])


@pytest.mark.parametrize(
    ("days", "words"),
    [(7, "every week"), (14, "every two weeks"), (21, "every three weeks"), (28, "every month"), (30, "every month"), (45, "every 45 days")],
)
def test_the_programmes_rhythm_is_said_in_words_and_offered_as_a_suggestion_the_charter_sets(days, words):
    text = _welcome(days)
    assert f"The programme suggests meeting {words}; your charter sets your own rhythm." in text
    assert "once a " not in text and f"a {days} days" not in text


def test_a_pair_whose_charter_sets_another_rhythm_is_told_the_charters():
    text = _welcome(30, charter_cadence_days=14)
    assert "You meet every two weeks, as your charter says." in text
    assert "every month" not in text
