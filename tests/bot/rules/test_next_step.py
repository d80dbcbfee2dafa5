"""The one next step for a person, from their pair's state."""

from bot.rules.next_step import PairProgress, next_step
from domain.next_step import NextStep

AGREED = PairProgress(
    has_charter=True,
    i_agreed_charter=True,
    partner_agreed_charter=True,
    my_goals=2,
    roadmap_topics=5,
    i_agreed_roadmap=True,
    partner_agreed_roadmap=True,
)


def _with(**changes) -> PairProgress:
    return PairProgress(**{**AGREED.__dict__, **changes})


def test_a_new_pair_starts_with_the_charter():
    assert next_step(PairProgress()) is NextStep.START_CHARTER


def test_a_charter_the_partner_proposed_is_mine_to_agree():
    assert next_step(_with(i_agreed_charter=False, my_goals=0, roadmap_topics=0)) is NextStep.AGREE_CHARTER


def test_after_agreeing_the_charter_come_my_goals_even_while_the_partner_has_not_agreed():
    assert next_step(_with(partner_agreed_charter=False, my_goals=0)) is NextStep.SET_GOALS


def test_with_goals_set_and_fewer_than_four_topics_choose_topics():
    assert next_step(_with(roadmap_topics=3, i_agreed_roadmap=False, partner_agreed_roadmap=False)) is NextStep.CHOOSE_TOPICS


def test_a_roadmap_the_partner_proposed_is_mine_to_agree():
    assert next_step(_with(i_agreed_roadmap=False)) is NextStep.AGREE_TOPICS


def test_with_my_part_done_i_wait_for_my_partner():
    assert next_step(_with(partner_agreed_roadmap=False)) is NextStep.WAIT_FOR_PARTNER
    assert next_step(_with(partner_agreed_charter=False)) is NextStep.WAIT_FOR_PARTNER


def test_all_agreed_and_nothing_booked_means_book_the_first_session():
    assert next_step(AGREED) is NextStep.BOOK_FIRST_SESSION


def test_all_agreed_with_a_session_booked_leaves_nothing_pending():
    assert next_step(_with(has_session=True)) is NextStep.NOTHING_PENDING


def test_a_paused_pair_has_no_step_to_take():
    assert next_step(_with(paused=True, has_charter=False)) is NextStep.PAUSED
