"""The admin and welcome surfaces stay inside Slack's limits, whatever the cohort."""

import json
from datetime import date

from bot.rules.programme_form import parse_reminders, read_programme_form
from bot.views import person_view, programme_view
from domain.matching import Proposal
from domain.roles import Role
from prompts import admin as admin_prompts
from prompts import profile as profile_prompts
from prompts import welcome as welcome_prompts
from store.models import Person, Programme

PROGRAMME = programme_view(Programme(id=1, team_id="T", name="Spring cohort", starts_on=date(2026, 3, 4), ends_on=date(2026, 9, 2), created_by="U0ADMIN"))


def _texts(view: dict) -> list[str]:
    return [block["text"]["text"] for block in view["blocks"] if isinstance(block.get("text"), dict)]


def test_every_modal_title_fits_in_24_characters():
    views = [
        admin_prompts.build_setup_modal(None, admins=["U1"], today=date(2026, 3, 4), default_end=date(2026, 9, 2)),
        admin_prompts.build_setup_modal(PROGRAMME, admins=["U1"], today=date(2026, 3, 4), default_end=date(2026, 9, 2)),
        admin_prompts.build_enrol_modal(),
        admin_prompts.build_bulk_modal(),
        admin_prompts.build_pair_modal(),
        admin_prompts.build_match_modal([], catalogue={}, unmatched=[]),
        profile_prompts.build_profile_modal(person_view(Person(team_id="T", user_id="U1"))),
    ]
    assert all(len(view["title"]["text"]) <= 24 for view in views)


def test_a_large_proposal_stays_within_block_and_metadata_limits():
    proposals = [Proposal(f"UMENTOR{index:04d}", f"UMENTEE{index:04d}", ("lived-experience", "hybrid-working"), 3.5, 9.5) for index in range(60)]
    unmatched = [f"UEXTRA{index:04d}" for index in range(20)]
    view = admin_prompts.build_match_modal(proposals[: admin_prompts.MATCH_MAX_PAIRS], catalogue=profile_prompts.topic_catalogue(), unmatched=unmatched)
    assert len(view["blocks"]) <= 100
    assert len(view["private_metadata"]) <= 3000
    assert admin_prompts.read_match_metadata(view["private_metadata"])[1] == unmatched


def test_welcome_messages_fit_slacks_limits():
    for role in Role:
        body = welcome_prompts.build_welcome(role, partner_id="U0PARTNER", programme=PROGRAMME)
        assert len(body["blocks"]) <= 50
        assert all(len(text) <= 3000 for text in _texts(body))
        assert body["text"]


def test_reminder_times_are_read_as_minutes_before_a_session():
    assert parse_reminders("60, 1440") == [1440, 60]
    assert parse_reminders("1440,1440") is None
    assert parse_reminders("2") is None
    assert parse_reminders("") is None


def test_the_end_date_defaults_to_six_months_after_the_start():
    form = read_programme_form(
        {"name": "Spring", "starts_on": "2026-03-04", "cadence_days": "30", "session_minutes": "60", "reminder_minutes": "1440,60",
         "work_start_hour": "8", "work_end_hour": "19", "k_anonymity": "5", "max_pairs_per_person": "1", "admins": []},
        editor="U0ADMIN",
    )
    assert form.errors == {}
    assert form.fields["ends_on"] == date(2026, 9, 2)
    assert form.admins == ["U0ADMIN"]


def test_the_setup_form_keeps_its_state_in_json():
    view = admin_prompts.build_setup_modal(PROGRAMME, admins=["U1"], today=date(2026, 3, 4), default_end=date(2026, 9, 2))
    assert json.loads(view["private_metadata"]) == {"programme_id": 1, "new": False}
