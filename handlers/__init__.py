"""Thin Slack adapters, one module per capability, each with `register(app)`.

Order matters for `/mentor`: Bolt runs the first listener whose matchers pass, so the catch-all
help listener is registered last.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers import actions, admin_home, check_ins, help, home, messages, reflections, report

MODULES = (home, messages, report, admin_home, check_ins, reflections, actions, help)


def register_all(app: AsyncApp) -> None:
    for module in MODULES:
        module.register(app)
