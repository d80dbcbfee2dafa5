"""The privacy surfaces stay inside Slack's limits, and the confirmation word is read as the label asks for it."""

from __future__ import annotations

from domain.erasure import Erasure
from prompts import privacy as words


def test_the_menu_and_the_modal_fit_slacks_limits():
    menu = words.build_privacy_menu(k=5, retention_days=365)
    modal = words.build_delete_modal(partner_ids=["U0MENTEE"])
    assert len(modal["title"]["text"]) <= 24 and len(modal["submit"]["text"]) <= 24 and len(modal["close"]["text"]) <= 24
    for block in menu["blocks"] + modal["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        for element in block.get("elements", []):
            assert len(element["text"]["text"]) <= 75


def test_the_confirmation_word_is_read_exactly_with_spaces_around():
    assert words.confirm_errors(" DELETE ") == {}
    assert words.confirm_errors("DELETE") == {}
    for wrong in (None, "", "yes", "DELETE ME", "delete", "Delete"):
        assert words.CONFIRM_BLOCK in words.confirm_errors(wrong)


def test_an_erasure_that_found_nothing_says_so():
    assert "nothing about you left" in words.build_deleted(Erasure(token="deleted-0"))["text"]


def test_an_erasure_lists_what_went_in_counts():
    text = words.build_deleted(Erasure(token="deleted-0", reflections=1, goals=2, profile=1))["blocks"][0]["text"]["text"]
    assert "1 reflection\n" in text and "2 goals" in text and "your profile" in text
