"""The pair-change rules as plain functions: the two people a pair command names, and a pause's end."""

from datetime import UTC, datetime

import pytest

from bot.flows.pair_changes import BadPauseDate, pause_until
from bot.flows.pairing import pair_mentions
from domain.times import TimeProblem
from tests.factories import day

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # Monday 2 March


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
        ("<@U0A|priya> until next week", day("2026-03-09")),
        ("<@U0A|priya> until 20 March", day("2026-03-20")),
        ("<@U0A|priya> until 2026-03-02", BadPauseDate("2026-03-02", TimeProblem.TODAY)),
        ("<@U0A|priya> until 2026-03-01", BadPauseDate("2026-03-01", TimeProblem.IN_THE_PAST)),
        ("<@U0A|priya> until 3/4", BadPauseDate("3/4", TimeProblem.NUMERIC_DATE)),
        ("<@U0A|priya> until 2026-02-30", BadPauseDate("2026-02-30", TimeProblem.UNPARSEABLE)),
    ],
)
def test_a_pause_ends_on_a_day_after_today_or_not_at_all(tail, expected):
    assert pause_until(tail, tz="Europe/London", now=NOW) == expected
