"""The App Home tab."""

from __future__ import annotations

from typing import Any

from prompts.blocks import context, divider, header, section


def build_welcome_home() -> dict[str, Any]:
    return {
        "type": "home",
        "blocks": [
            header("Welcome to Flipside"),
            section(
                "Flipside supports *reverse mentoring*: a colleague earlier in their career mentors a "
                "senior leader, and both learn. I keep each pair on track with a charter, reminders, "
                "short reflections and a roadmap of topics."
            ),
            divider(),
            section("Type `/mentor help` in any conversation to see what you can do."),
            context("What you write in reflections stays private unless you choose to share it."),
        ],
    }
