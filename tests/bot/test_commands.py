"""Reading the workspace a request comes from, whatever its shape."""

from bot.commands import team_of


def test_the_workspace_is_bolts_reading_of_the_request_first():
    assert team_of({"team": {"id": "T0BODY"}, "team_id": "T0FLAT"}, {"team_id": "T0BOLT"}) == "T0BOLT"


def test_without_bolts_reading_the_workspace_is_the_payloads_team_then_team_id_then_the_users_team():
    assert team_of({"team": {"id": "T0BODY"}, "team_id": "T0FLAT", "user": {"team_id": "T0USER"}}, {}) == "T0BODY"
    assert team_of({"team": None, "team_id": "T0FLAT", "user": {"team_id": "T0USER"}}, {"team_id": None}) == "T0FLAT"
    assert team_of({"user": {"id": "U0MENTOR", "team_id": "T0USER"}}, {}) == "T0USER"
    assert team_of({}, {}) == ""
