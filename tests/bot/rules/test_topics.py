"""The topic a reminder proposes, from the roadmap as it stands when the reminder is sent."""

from bot.rules.topics import proposed_topic

ROADMAP = [("a", "Alpha", True), ("b", "Beta", False), ("c", "Gamma", False)]


def test_a_booked_topic_still_to_cover_is_kept():
    assert proposed_topic("c", ROADMAP) is None


def test_a_booked_topic_covered_since_gives_way_to_the_next_uncovered():
    assert proposed_topic("a", ROADMAP) == ("b", "Beta")


def test_a_booking_without_a_topic_gets_the_next_uncovered():
    assert proposed_topic("", ROADMAP) == ("b", "Beta")


def test_a_topic_off_the_roadmap_is_kept_and_an_empty_or_finished_roadmap_proposes_nothing():
    assert proposed_topic("catalogue-topic", ROADMAP) is None
    assert proposed_topic("", []) is None
    assert proposed_topic("a", [("a", "Alpha", True)]) is None
