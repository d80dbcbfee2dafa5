"""OAuth settings: client ID and secret select the install flow; no bot token needed; one line per problem."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_SLACK_SCOPES, SettingsError, load_settings
from tests.conftest import ENCRYPTION_KEY
from tests.test_manifest import load_manifest

OAUTH = {"SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "shh", "SLACK_SIGNING_SECRET": "s", "FLIPSIDE_ENCRYPTION_KEY": ENCRYPTION_KEY}


def test_client_id_and_secret_run_http_mode_with_no_bot_token():
    settings = load_settings(OAUTH)

    assert (settings.mode, settings.oauth, settings.bot_token) == ("http", True, None)
    assert (settings.client_id, settings.client_secret) == ("1111.2222", "shh")


def test_default_scopes_are_the_bot_scopes_in_the_manifest():
    assert set(DEFAULT_SLACK_SCOPES) == set(load_manifest()["oauth_config"]["scopes"]["bot"])
    assert load_settings(OAUTH).scopes == DEFAULT_SLACK_SCOPES


def test_scopes_are_read_comma_separated():
    settings = load_settings({**OAUTH, "SLACK_SCOPES": "commands, chat:write,,users:read"})

    assert settings.scopes == ("commands", "chat:write", "users:read")


def test_a_bot_token_set_beside_oauth_is_not_used():
    assert load_settings({**OAUTH, "SLACK_BOT_TOKEN": "xoxb-1"}).bot_token is None


def test_oauth_without_signing_secret_or_client_secret_says_what_is_missing_line_by_line():
    with pytest.raises(SettingsError) as caught:
        load_settings({"SLACK_CLIENT_ID": "1111.2222", "FLIPSIDE_ENCRYPTION_KEY": ENCRYPTION_KEY})

    problems = caught.value.problems
    assert len(problems) == 2
    assert any(line.startswith("SLACK_CLIENT_SECRET is missing") for line in problems)
    assert any(line.startswith("SLACK_SIGNING_SECRET is missing") for line in problems)


def test_oauth_in_socket_mode_is_refused():
    with pytest.raises(SettingsError) as caught:
        load_settings({**OAUTH, "SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1"})

    assert caught.value.problems == ["SLACK_CLIENT_ID/SLACK_CLIENT_SECRET are set, but the OAuth install needs http mode, not socket."]


def test_retention_after_uninstall_defaults_to_thirty_days_and_is_checked():
    assert load_settings(OAUTH).retention_days_after_uninstall == 30
    assert load_settings({**OAUTH, "RETENTION_DAYS_AFTER_UNINSTALL": "90"}).retention_days_after_uninstall == 90
    with pytest.raises(SettingsError) as caught:
        load_settings({**OAUTH, "RETENTION_DAYS_AFTER_UNINSTALL": "soon"})
    assert caught.value.problems[0].startswith("RETENTION_DAYS_AFTER_UNINSTALL='soon' is not a whole number")


def test_every_variable_is_in_the_env_example():
    from pathlib import Path

    from bot.config import VARIABLES

    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SCOPES", "RETENTION_DAYS_AFTER_UNINSTALL"):
        assert name in VARIABLES
        assert f"\n{name}=" in example
