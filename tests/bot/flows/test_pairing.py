"""The pairing rules as plain functions: reading mentions and pasted lines; who may be paired."""

import pytest

from bot.directory import SlackUser
from bot.flows.pairing import mentions, pair_refusal, parse_bulk_line, parse_role
from domain.roles import Role
from store.models import Pair


def test_mentions_are_read_from_escaped_command_text_in_order_without_repeats():
    assert mentions("mentor <@U0A|amara> <@W0B> and <@U0A|amara>") == ["U0A", "W0B"]
    assert mentions("mentor @amara") == []


def test_roles_accept_plurals():
    assert (parse_role("mentors"), parse_role("Mentee"), parse_role("boss")) == (Role.MENTOR, Role.MENTEE, None)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Priya@Example.com, tom@example.com", ("priya@example.com", "tom@example.com")),
        ("<mailto:priya@example.com>,tom@example.com", ("priya@example.com", "tom@example.com")),
        ("priya@example.com", None),
        ("priya@example.com, tom@example.com, leo@example.com", None),
        ("priya, tom", None),
    ],
)
def test_a_pasted_line_is_two_email_addresses(line, expected):
    assert parse_bulk_line(line) == expected


def _user(user_id: str, **flags) -> SlackUser:
    return SlackUser(id=user_id, name=user_id, tz="UTC", **flags)


def _refusal(mentor="UA", mentee="UB", *, users=None, enrolled=None, open_pairs=None, max_pairs=1):
    users = users or {"UA": _user("UA"), "UB": _user("UB")}
    enrolled = enrolled if enrolled is not None else {"UA": Role.MENTOR, "UB": Role.MENTEE}
    return pair_refusal(mentor_id=mentor, mentee_id=mentee, users=users, enrolled_as=enrolled, open_pairs=open_pairs or {}, max_pairs=max_pairs)


def test_two_enrolled_free_people_may_be_paired():
    assert _refusal() is None


def test_each_rule_gives_its_own_reason():
    busy = {"UA": [Pair(team_id="T", programme_id=1, mentor_id="UA", mentee_id="UC")]}
    assert _refusal("UA", "UA").code == "same_person"
    assert _refusal(users={"UA": None, "UB": _user("UB")}).code == "unknown"
    assert _refusal(users={"UA": _user("UA", is_bot=True), "UB": _user("UB")}).code == "bot"
    assert _refusal(users={"UA": _user("UA"), "UB": _user("UB", deleted=True)}).code == "deactivated"
    assert _refusal(enrolled={"UA": Role.MENTOR}).code == "not_enrolled"
    assert _refusal(enrolled={"UA": Role.MENTEE, "UB": Role.MENTEE}).code == "other_role"
    assert _refusal(open_pairs=busy).code == "busy"
    assert _refusal(open_pairs=busy, max_pairs=2) is None
