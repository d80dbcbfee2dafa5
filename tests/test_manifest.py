"""The Slack app manifest is valid against Slack's schema and asks for exactly what the bot uses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MANIFEST_PATH = PROJECT_ROOT / "app_manifest.yml"
SCHEMA_PATH = PROJECT_ROOT.parent / "shared" / "slack" / "manifest.schema.1.0.0.json"

# The least set: adding a scope here should be a deliberate, reviewed change.
EXPECTED_BOT_SCOPES = {
    "commands",
    "chat:write",
    "im:history",
    "im:write",
    "users:read",
    "users:read.email",
    "files:write",
    "files:read",  # files.info and url_private: an org chart uploaded as a .csv in the DM (issue 19)
    "channels:read",  # conversations.info: the channel an admin names for the monthly post exists (issue 16)
    "groups:read",  # the same for a private channel, and that the bot was invited
}


def load_manifest(path: Path = MANIFEST_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def load_schema() -> dict[str, Any]:
    if not SCHEMA_PATH.is_file():
        pytest.skip(f"Slack's manifest schema is not at {SCHEMA_PATH}; cannot validate the manifest")
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_errors(manifest: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '<root>'}: {error.message}"
        for error in sorted(validator.iter_errors(manifest), key=lambda error: list(error.absolute_path))
    ]


def slash_command(manifest: dict[str, Any], name: str) -> dict[str, Any] | None:
    commands = manifest.get("features", {}).get("slash_commands", [])
    return next((command for command in commands if command.get("command") == name), None)


def test_manifest_is_valid_against_slacks_schema():
    errors = schema_errors(load_manifest(), load_schema())
    assert not errors, "app_manifest.yml breaks Slack's schema:\n" + "\n".join(errors)


def test_schema_check_rejects_a_broken_manifest():
    manifest = load_manifest()
    manifest["display_information"]["description"] = "x" * 141
    manifest["features"]["slash_commands"][0]["should_escape"] = "yes"
    manifest["settings"]["socket_mode"] = True  # misspelt: the schema allows no unknown keys

    errors = schema_errors(manifest, load_schema())

    assert any(error.startswith("display_information/description:") for error in errors)
    assert any(error.startswith("features/slash_commands/0/should_escape:") for error in errors)
    assert any("'socket_mode' was unexpected" in error for error in errors)


def test_mentor_command_exists_and_escapes_channels_users_and_links():
    command = slash_command(load_manifest(), "/mentor")
    assert command is not None
    assert command["should_escape"] is True


def test_bot_events_include_home_opened_and_direct_messages():
    bot_events = set(load_manifest()["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_home_opened", "message.im"} <= bot_events


def test_home_tab_and_messages_tab_are_enabled():
    app_home = load_manifest()["features"]["app_home"]
    assert app_home["home_tab_enabled"] is True
    assert app_home["messages_tab_enabled"] is True
    assert app_home["messages_tab_read_only_enabled"] is False


def test_interactivity_is_on():
    assert load_manifest()["settings"]["interactivity"]["is_enabled"] is True


def test_socket_mode_is_enabled():
    assert load_manifest()["settings"]["socket_mode_enabled"] is True


def test_bot_scopes_are_exactly_the_least_set():
    bot_scopes = load_manifest()["oauth_config"]["scopes"]["bot"]
    assert len(bot_scopes) == len(set(bot_scopes)), "a bot scope is listed twice"
    assert set(bot_scopes) == EXPECTED_BOT_SCOPES


def test_background_color_is_a_hex_colour():
    # Slack's schema spells this constraint "regex", which JSON Schema ignores, so check it here.
    colour = load_manifest()["display_information"]["background_color"]
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", colour)
