"""Thin Slack adapters, one module per capability, each with `register(app)`.

Order matters for `/mentor`: Bolt runs the first listener whose matchers pass, so the catch-all
help listener is registered last.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers import (
    actions,
    admin,
    admin_enrolment,
    admin_home,
    admin_org,
    admin_pair_changes,
    admin_pair_end,
    admin_pairing,
    admin_templates,
    away,
    calendar,
    calendar_connections,
    charter,
    check_ins,
    departures,
    goals,
    help,
    home,
    limits,
    measures,
    messages,
    nudge_settings,
    privacy,
    profile,
    programmes,
    reflections,
    report,
    session_changes,
    sessions,
    suggestions,
    topics,
    workspaces,
)

# `workspaces` (install, uninstall and the org-install context) goes first; `admin` answers any
# `/mentor admin ...` the modules before it did not claim, so it comes after them; help comes last.
MODULES = (
    workspaces,
    limits,
    departures,
    home,
    messages,
    report,
    admin_home,
    check_ins,
    measures,
    reflections,
    actions,
    suggestions,
    sessions,
    session_changes,
    calendar,
    calendar_connections,
    nudge_settings,
    charter,
    goals,
    topics,
    admin,
    admin_enrolment,
    admin_org,
    admin_pairing,
    admin_pair_changes,
    admin_pair_end,
    admin_templates,
    profile,
    privacy,
    programmes,
    away,
    help,
)


def register_all(app: AsyncApp) -> None:
    for module in MODULES:
        module.register(app)
