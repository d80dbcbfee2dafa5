"""The admin handlers stay thin: ack, parse, call one flow, render with prompts, send.

Read from the source: a handler module that opens a transaction, reaches into store/ for a query, or
spells out `context["services"]` has a flow still in it, and one over 250 lines is the sign of it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
ADMIN_MODULES = sorted(path for path in HANDLERS.glob("admin*.py") if path.name != "admin_home.py")
MAX_LINES = 250


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def test_the_admin_handler_modules_are_found():
    assert "admin.py" in {path.name for path in ADMIN_MODULES}


@pytest.mark.parametrize("path", ADMIN_MODULES, ids=lambda path: path.name)
def test_an_admin_handler_module_is_under_250_lines(path: Path):
    assert len(path.read_text().splitlines()) < MAX_LINES


@pytest.mark.parametrize("path", ADMIN_MODULES, ids=lambda path: path.name)
def test_an_admin_handler_opens_no_transaction(path: Path):
    opened = [node.lineno for node in ast.walk(_tree(path)) if isinstance(node, ast.Attribute) and node.attr in ("begin", "commit", "add", "exec")]
    assert opened == []


@pytest.mark.parametrize("path", ADMIN_MODULES, ids=lambda path: path.name)
def test_an_admin_handler_runs_no_query(path: Path):
    """Only the models' types may come from store/; every query is a flow's."""
    imported = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module == "store":
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("store.") and node.module != "store.models":
            imported.append(node.module)
    assert imported == []


@pytest.mark.parametrize("path", ADMIN_MODULES, ids=lambda path: path.name)
def test_an_admin_handler_takes_its_services_through_the_typed_accessor(path: Path):
    spelt_out = [
        node.lineno for node in ast.walk(_tree(path))
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == "services"
    ]
    assert spelt_out == []
