"""The content kept as data in `prompts/data/`: one loader, so wording changes never touch code."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """`prompts/data/<name>.json`, read once."""
    return json.loads(resources.files("prompts").joinpath(f"data/{name}.json").read_text(encoding="utf-8"))


def topic_catalogue() -> list[dict[str, Any]]:
    """The broad topics that suit reverse mentoring, each with a summary and conversation starters."""
    return load("topics")


def topic_titles() -> dict[str, str]:
    """Catalogue key -> title, in the catalogue's order."""
    return {topic["key"]: topic["title"] for topic in topic_catalogue()}


def tips() -> dict[str, Any]:
    return load("tips")


def programme_templates() -> list[dict[str, Any]]:
    """The built-in programme templates: each one's name, why it is set so, and its settings."""
    return load("programme_templates")
