"""Every command, button, modal and event the app listens for is covered by the security tests.

The listeners are read from the handler modules' own `register(app)`; the coverage lists live in
the isolation, authorization and hostile-input tests. A listener added without a probe there fails here.
"""

from __future__ import annotations

from bot.commands import words
from bot.flows.pair_changes import PAIR_VERBS
from bot.flows.pair_end import END_CHANGES
from prompts.help import ADMIN_COMMANDS, COMMANDS
from tests.hostile import test_commands as hostile
from tests.security import test_authorization as authorization
from tests.security import test_double_clicks as double_clicks
from tests.security import test_isolation as isolation
from tests.security.support import registered_listeners

LISTENERS = registered_listeners()


def _subcommand_of(text: str) -> str:
    """The registered subcommand a command text reaches ("" for the catch-all)."""
    given = [word.lower() for word in words(text)]
    best = ""
    for subcommand in LISTENERS.subcommands:
        wanted = subcommand.split()
        if wanted and given[: len(wanted)] == wanted and len(subcommand) > len(best):
            best = subcommand
    return best


def _admin_verbs() -> set[str]:
    """`/mentor admin <verb>` as help lists them, and the pair changes that share one line there."""
    listed = {words(command)[2] for command, _ in ADMIN_COMMANDS}
    return listed | set(PAIR_VERBS) | set(END_CHANGES) | {"reopen"}


def test_the_inventory_finds_the_apps_listeners():
    assert {"charter", "admin", "admin report", ""} <= LISTENERS.subcommands
    assert {"charter_agree", "admin_pair_resume"} <= LISTENERS.actions
    assert {"charter_submit", "admin_setup"} <= LISTENERS.views
    assert {"app_home_opened", "message"} <= LISTENERS.events


def test_every_subcommand_is_sent_from_another_workspace():
    reached = {_subcommand_of(text) for _, text in isolation.COMMAND_PROBES}
    assert LISTENERS.subcommands - reached == set()


def test_every_subcommand_in_help_is_sent_from_another_workspace():
    typed = {" ".join(words(text)[:1]) for _, text in isolation.COMMAND_PROBES}
    listed = {words(command)[1] for command, _ in COMMANDS}
    assert listed - typed == set()


def test_every_admin_verb_is_sent_from_another_workspace():
    typed = {words(text)[1] for _, text in isolation.COMMAND_PROBES if len(words(text)) > 1 and words(text)[0] == "admin"}
    assert _admin_verbs() - typed == set()


def test_every_button_is_clicked_from_another_workspace_with_this_ones_ids():
    assert LISTENERS.actions - isolation.COVERED_ACTIONS == set()


def test_every_modal_is_submitted_from_another_workspace():
    assert LISTENERS.views - isolation.COVERED_VIEWS == set()


def test_every_event_is_sent_from_another_workspace():
    assert LISTENERS.events - isolation.COVERED_EVENTS == set()


def test_every_admin_verb_is_refused_to_a_participant():
    typed = {words(text)[1] for text in authorization.ADMIN_COMMANDS if len(words(text)) > 1}
    assert _admin_verbs() - typed == set()


def test_every_admin_subcommand_is_refused_to_a_participant():
    admin_subcommands = {subcommand for subcommand in LISTENERS.subcommands if subcommand.startswith("admin")}
    reached = {_subcommand_of(text) for text in authorization.ADMIN_COMMANDS}
    assert admin_subcommands - reached == set()


def test_every_admin_button_and_modal_is_refused_to_a_participant():
    admin_actions = {action for action in LISTENERS.actions if action.startswith("admin")}
    admin_views = {view for view in LISTENERS.views if view.startswith("admin")}
    assert admin_actions - set(authorization.ADMIN_ACTIONS) == set()
    assert admin_views - set(authorization.ADMIN_VIEWS) == set()


def test_every_subcommand_gets_hostile_arguments():
    reached = {_subcommand_of(text) for text in hostile.COMMAND_PREFIXES}
    assert LISTENERS.subcommands - reached == set()
    typed = {words(text)[1] for text in hostile.COMMAND_PREFIXES if len(words(text)) > 1 and words(text)[0] == "admin"}
    assert _admin_verbs() - typed == set()


def test_every_modal_with_a_text_box_gets_hostile_text():
    assert LISTENERS.views - set(hostile.MODAL_TEXT_CASES) - hostile.MODALS_WITHOUT_TEXT == set()


def test_every_button_and_modal_is_sent_twice():
    assert LISTENERS.actions - set(double_clicks.CLICKS) - double_clicks.ACKNOWLEDGED_ONLY == set()
    assert LISTENERS.views - set(double_clicks.FORMS) == set()
