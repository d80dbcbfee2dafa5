"""The page's own tables keep up with what the bot sends."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_emoji_shortcode_the_prompts_use_is_drawn_by_the_page():
    script = (ROOT / "sandbox" / "static" / "app.js").read_text(encoding="utf-8")
    table = script[script.index("const EMOJI = {"):script.index("};", script.index("const EMOJI = {"))]
    known = set(re.findall(r'"?([a-z0-9_+-]+)"?:\s*"', table))
    used = {code for path in (ROOT / "prompts").rglob("*") if path.suffix in (".py", ".json")
            for code in re.findall(r":([a-z0-9_+-]+):", path.read_text(encoding="utf-8"))}
    assert used - known == set()
