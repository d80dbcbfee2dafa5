"""Settings: the mode picked from what is set, and one clear line per bad value."""

import pytest

from bot.config import DEFAULT_DATABASE_URL, SettingsError, choose_mode, load_settings
from tests.conftest import ENCRYPTION_KEY as KEY


def test_mode_is_socket_when_an_app_token_is_set():
    assert choose_mode({"SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s"}) == "socket"


def test_mode_is_http_when_only_a_signing_secret_is_set():
    assert choose_mode({"SLACK_SIGNING_SECRET": "s"}) == "http"


def test_mode_is_sandbox_when_nothing_is_set():
    assert choose_mode({}) == "sandbox"


def test_sandbox_needs_nothing_and_defaults_apply():
    settings = load_settings({})
    assert settings.mode == "sandbox"
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.port == 3000
    assert settings.sweep_seconds == 60
    assert settings.slack_api_url == "https://slack.com/api/"


def test_http_mode_reads_everything():
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-123",
            "SLACK_SIGNING_SECRET": "secret",
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
            "DATABASE_URL": "postgres://u@h/db",
            "PORT": "8080",
            "LOG_LEVEL": "debug",
            "SWEEP_SECONDS": "5",
            "FLIPSIDE_ENCRYPTION_KEY": KEY,
        }
    )
    assert settings.mode == "http"
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
    assert (settings.port, settings.log_level, settings.sweep_seconds) == (8080, "DEBUG", 5)


def test_every_problem_is_reported_on_its_own_line():
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": "s", "PORT": "eighty", "LOG_LEVEL": "LOUD", "DATABASE_URL": "mysql://x", "FLIPSIDE_ENCRYPTION_KEY": KEY},
        )
    problems = caught.value.problems
    assert len(problems) == 4
    assert any(line.startswith("SLACK_BOT_TOKEN must start with 'xoxb-'") for line in problems)
    assert any(line.startswith("PORT='eighty' is not a whole number") for line in problems)
    assert any(line.startswith("LOG_LEVEL='LOUD'") for line in problems)
    assert any(line.startswith("DATABASE_URL='mysql://x' is not supported") for line in problems)


def test_socket_mode_needs_both_tokens():
    with pytest.raises(SettingsError) as caught:
        load_settings({"SLACK_APP_TOKEN": "wrong", "FLIPSIDE_ENCRYPTION_KEY": KEY}, "socket")
    assert caught.value.problems == [
        "SLACK_BOT_TOKEN is missing: socket mode needs the bot token (xoxb-...).",
        "SLACK_APP_TOKEN must start with 'xapp-' (an app-level token).",
    ]


def test_connected_modes_need_an_encryption_key_and_a_valid_one():
    with pytest.raises(SettingsError) as caught:
        load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, "http")
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith("FLIPSIDE_ENCRYPTION_KEY is missing: make one with")
    with pytest.raises(SettingsError) as caught:
        load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "FLIPSIDE_ENCRYPTION_KEY": "short"}, "http")
    assert caught.value.problems == ["FLIPSIDE_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), comma-separated."]


def test_http_mode_without_signing_secret_is_refused():
    with pytest.raises(SettingsError) as caught:
        load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "FLIPSIDE_ENCRYPTION_KEY": KEY}, "http")
    assert caught.value.problems == ["SLACK_SIGNING_SECRET is missing: http mode verifies every request with it."]


def test_out_of_range_port_is_refused():
    with pytest.raises(SettingsError) as caught:
        load_settings({"PORT": "70000"})
    assert caught.value.problems == ["PORT=70000 is out of range (expected 1 to 65535)."]


def test_the_outbox_lease_defaults_to_five_minutes_and_can_be_set():
    assert load_settings({}).outbox_lease_seconds == 300
    assert load_settings({"OUTBOX_LEASE_SECONDS": "20"}).outbox_lease_seconds == 20
    with pytest.raises(SettingsError) as caught:
        load_settings({"OUTBOX_LEASE_SECONDS": "0"})
    assert caught.value.problems == ["OUTBOX_LEASE_SECONDS=0 is out of range (expected 1 to 86400)."]


def test_setup_admins_are_read_as_slack_user_ids():
    settings = load_settings({"FLIPSIDE_SETUP_ADMINS": "U0AMARA, W0HRLEAD"})
    assert settings.setup_admins == ("U0AMARA", "W0HRLEAD")
    assert load_settings({}).setup_admins == ()


def test_a_setup_admin_that_is_not_a_user_id_is_refused_with_how_to_find_one():
    with pytest.raises(SettingsError) as caught:
        load_settings({"FLIPSIDE_SETUP_ADMINS": "U0AMARA,amara@example.com"})
    assert caught.value.problems == [
        "FLIPSIDE_SETUP_ADMINS: 'amara@example.com' is not a Slack user id (U... or W..., from the person's profile: More > Copy member ID)."
    ]


def test_no_smtp_url_means_no_email_invites():
    assert load_settings({}, mode="sandbox").smtp is None


def test_smtp_url_and_calendar_from_are_read_with_the_default_ports():
    smtp = load_settings({"SMTP_URL": "smtp://mailer:p%40ss@mail.example.com", "CALENDAR_FROM": "mentoring@example.com"}, mode="sandbox").smtp
    assert smtp is not None
    assert (smtp.hostname, smtp.port, smtp.username, smtp.password, smtp.use_tls, smtp.from_address) == (
        "mail.example.com", 587, "mailer", "p@ss", False, "mentoring@example.com",
    )
    secure = load_settings({"SMTP_URL": "smtps://mail.example.com", "CALENDAR_FROM": "mentoring@example.com"}, mode="sandbox").smtp
    assert secure is not None and (secure.port, secure.use_tls, secure.username) == (465, True, None)


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({"SMTP_URL": "http://mail.example.com", "CALENDAR_FROM": "m@example.com"}, "SMTP_URL (http://mail.example.com...) must look like"),
        ({"SMTP_URL": "smtp://u:secret@mail.example.com:99999", "CALENDAR_FROM": "m@example.com"}, "SMTP_URL (smtp://mail.example.com...) has a port"),
        ({"SMTP_URL": "smtp://mail.example.com"}, "CALENDAR_FROM is missing"),
        ({"SMTP_URL": "smtp://mail.example.com", "CALENDAR_FROM": "mentoring"}, "CALENDAR_FROM='mentoring' is not an email address"),
        ({"CALENDAR_FROM": "m@example.com"}, "CALENDAR_FROM is set but SMTP_URL is not"),
    ],
)
def test_a_bad_smtp_setting_is_refused_without_echoing_the_password(environ, problem):
    with pytest.raises(SettingsError) as caught:
        load_settings(environ, mode="sandbox")
    assert caught.value.problems[0].startswith(problem)
    assert "secret" not in str(caught.value)


def test_no_calendar_provider_means_connected_calendars_are_off():
    assert load_settings({}, mode="sandbox").calendars is None


def test_a_calendar_provider_is_read_with_its_default_urls_and_the_callback_on_the_public_url():
    environ = {"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1", "FLIPSIDE_ENCRYPTION_KEY": "dGVzdC1rZXktZm9yLWZsaXBzaWRlLXRlc3RzLW9ubHk=",
               "GOOGLE_CLIENT_ID": "id.apps.googleusercontent.com", "GOOGLE_CLIENT_SECRET": "g-secret",
               "FLIPSIDE_PUBLIC_URL": "https://flipside.example.com/"}
    calendars = load_settings(environ, mode="http").calendars

    assert calendars is not None and calendars.microsoft is None and calendars.google is not None
    assert calendars.redirect_uri == "https://flipside.example.com/calendar/oauth/callback"
    assert calendars.google.url("GOOGLE_CALENDAR_API_URL") == "https://www.googleapis.com/calendar/v3/"


@pytest.mark.parametrize(
    ("environ", "mode", "problem"),
    [
        ({"GOOGLE_CLIENT_ID": "id"}, "sandbox", "GOOGLE_CLIENT_SECRET is missing"),
        ({"MICROSOFT_CLIENT_SECRET": "m-secret"}, "sandbox", "MICROSOFT_CLIENT_ID is missing"),
        ({"MICROSOFT_CLIENT_ID": "id", "MICROSOFT_CLIENT_SECRET": "m-secret", "MICROSOFT_GRAPH_URL": "graph"}, "sandbox",
         "MICROSOFT_GRAPH_URL='graph' is not an http(s) URL"),
        ({"GOOGLE_CLIENT_ID": "id", "GOOGLE_CLIENT_SECRET": "g-secret", "SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1",
          "FLIPSIDE_ENCRYPTION_KEY": "dGVzdC1rZXktZm9yLWZsaXBzaWRlLXRlc3RzLW9ubHk="}, "http", "FLIPSIDE_PUBLIC_URL is missing"),
        ({"GOOGLE_CLIENT_ID": "id", "GOOGLE_CLIENT_SECRET": "g-secret", "SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1",
          "FLIPSIDE_ENCRYPTION_KEY": "dGVzdC1rZXktZm9yLWZsaXBzaWRlLXRlc3RzLW9ubHk=", "FLIPSIDE_PUBLIC_URL": "https://f.example.com"},
         "socket", "Calendar connections need http mode"),
    ],
)
def test_a_bad_calendar_setting_is_refused_with_what_to_do(environ, mode, problem):
    with pytest.raises(SettingsError) as caught:
        load_settings(environ, mode=mode)
    assert caught.value.problems[0].startswith(problem)
    assert "secret" not in str(caught.value).replace("CLIENT_SECRET", "")
