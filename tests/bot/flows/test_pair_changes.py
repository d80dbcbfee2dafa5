"""The pair-change rules as plain functions: the two people a pair command names, and a pause's end."""

import pytest

from bot.flows.pair_changes import BadPauseDate, pause_until
from bot.flows.pairing import pair_mentions
from tests.factories import day

TODAY = day("2026-03-02")


def test_a_pair_command_names_two_people_in_order():
    assert pair_mentions("<@U0A|priya> <@U0B>") == ["U0A", "U0B"]


def test_the_same_person_named_twice_stays_twice_for_the_rule_to_refuse():
    assert pair_mentions("<@U0A|priya> <@U0A>") == ["U0A", "U0A"]


def test_three_people_are_three_even_with_one_repeated():
    assert pair_mentions("<@U0A> <@U0B> <@U0A>") == ["U0A", "U0B"]


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("<@U0A|priya>", None),
        ("<@U0A|priya> until 2026-04-01", day("2026-04-01")),
        ("<@U0A|priya> 2026-03-03", day("2026-03-03")),
        ("<@U0A|priya> until 2026-03-02", BadPauseDate("2026-03-02")),
        ("<@U0A|priya> until next week", BadPauseDate("next week")),
        ("<@U0A|priya> until 2026-02-30", BadPauseDate("2026-02-30")),
    ],
)
def test_a_pause_ends_on_a_day_after_today_or_not_at_all(tail, expected):
    assert pause_until(tail, today=TODAY) == expected
