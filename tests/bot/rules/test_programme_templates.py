"""Templates as data: the built-in pilot's settings, a saved template's JSON read back, and bad data."""

import json
from datetime import date

from bot.rules import programme_templates as rules
from domain.programme_templates import TemplateSettings
from domain.thresholds import DEFAULTS


def test_the_built_in_pilot_is_monthly_hour_long_sessions_for_six_months_with_k_five():
    (pilot,) = rules.builtin_templates()
    settings = pilot.settings
    assert pilot.name == "Reverse mentoring pilot" and pilot.builtin and pilot.about
    assert (settings.length_days, settings.cadence_days, settings.session_minutes) == (182, 30, 60)
    assert (settings.reminder_minutes, settings.k_anonymity) == ("1440,60", 5)
    assert len(settings.topic_keys) == 10 and "mentor-leads" in settings.ground_rule_keys


def test_every_setting_of_the_built_in_pilot_has_a_reason():
    from prompts import content

    (entry,) = content.programme_templates()
    assert set(entry["reasons"]) == set(entry["settings"])


def test_settings_survive_being_saved_and_read_back():
    settings = TemplateSettings(cadence_days=21, reminder_minutes="2880,30", k_anonymity=7, topic_keys=("lived-experience",))
    assert rules.saved_template("Quarterly", rules.settings_json(settings)).settings == settings


def test_bad_or_unknown_values_fall_back_to_the_defaults():
    data = {
        "cadence_days": 2, "k_anonymity": 3, "session_minutes": "60", "reminder_minutes": "soon", "work_start_hour": 17, "work_end_hour": 18,
        "thresholds": {"role_reversal_window": 2, "role_reversal_threshold": 3, "low_safety_threshold": 9},
        "topic_keys": ["lived-experience", "no-such-topic"], "ground_rule_keys": ["<!channel>"],
    }
    settings = rules.saved_template("Odd", json.dumps(data)).settings
    default = TemplateSettings()
    assert (settings.cadence_days, settings.k_anonymity, settings.session_minutes, settings.reminder_minutes) == (30, 5, 60, "1440,60")
    assert (settings.work_start_hour, settings.work_end_hour) == (default.work_start_hour, default.work_end_hour)
    assert settings.thresholds == DEFAULTS
    assert settings.topic_keys == ("lived-experience",) and settings.ground_rule_keys == ()
    assert rules.saved_template("Broken", "not json").settings == default


def test_a_template_name_must_be_new_non_blank_and_short():
    templates = rules.builtin_templates()
    assert rules.name_problem("  ", templates) == "blank"
    assert rules.name_problem("x" * 61, templates) == "too_long"
    assert rules.name_problem("REVERSE MENTORING PILOT", templates) == "taken"
    assert rules.name_problem("Quarterly", templates) is None


def test_a_preset_runs_the_templates_length_from_the_day_given():
    (pilot,) = rules.builtin_templates()
    preset = rules.preset_programme(pilot, today=date(2026, 3, 4))
    assert (preset.starts_on, preset.ends_on, preset.template_name) == (date(2026, 3, 4), date(2026, 9, 2), pilot.name)
