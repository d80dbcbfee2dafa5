"""Handlers are thin: ack, parse, call one flow, render with prompts, send. Read from the source, so
that a transaction, a store query, a spelt-out services lookup or a sentence creeping back into a
handler module fails here; one over 250 lines is the sign of a flow still in it.

Every handler module is checked, found by its file name, so a new one is held to the same shape from
its first commit (issue 15 made them all thin)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
CHECKED = sorted(path.name for path in HANDLERS.glob("*.py") if path.name != "__init__.py")  # the package only lists the modules
MOST_LINES = 250
SENTENCE = re.compile(r"^[A-Z][a-z']* [\w' ,:;-]+[.!?]$")  # a capitalised phrase with a full stop: words for people


def _source(name: str) -> str:
    return (HANDLERS / name).read_text()


def _tree(name: str) -> ast.Module:
    return ast.parse(_source(name), filename=name)


def _docstrings(tree: ast.Module) -> set[int]:
    nodes = [tree, *(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef))]
    return {
        id(node.body[0].value)
        for node in nodes
        if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }


def _log_arguments(tree: ast.Module) -> set[int]:
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)]
    logged = [call for call in calls if isinstance(call.func.value, ast.Name) and call.func.value.id == "logger"]  # type: ignore[union-attr]
    return {id(argument) for call in logged for argument in call.args}


def test_the_handler_modules_are_found():
    assert {"admin.py", "sessions.py", "home.py"} <= set(CHECKED)


@pytest.mark.parametrize("name", CHECKED)
def test_a_thin_handler_module_is_short(name):
    assert len(_source(name).splitlines()) <= MOST_LINES


@pytest.mark.parametrize("name", CHECKED)
def test_a_thin_handler_opens_no_transaction(name):
    opened = [
        node.lineno for node in ast.walk(_tree(name)) if isinstance(node, ast.Attribute) and node.attr in ("begin", "commit", "add", "exec")
    ]
    assert opened == []


@pytest.mark.parametrize("name", CHECKED)
def test_a_thin_handler_runs_no_store_query(name):
    """Only the models' types may come from store/; every query is a flow's."""
    imported = []
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names if alias.name == "store" or alias.name.startswith("store.")]
        elif isinstance(node, ast.ImportFrom) and node.module == "store":
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("store.") and node.module != "store.models":
            imported.append(node.module)
    assert imported == []


@pytest.mark.parametrize("name", CHECKED)
def test_a_thin_handler_reaches_the_services_through_the_typed_accessor(name):
    spelt_out = [
        node.lineno for node in ast.walk(_tree(name))
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == "services"
    ]
    assert spelt_out == []


@pytest.mark.parametrize("name", CHECKED)
def test_a_thin_handler_holds_no_words_for_people(name):
    tree = _tree(name)
    skipped = _docstrings(tree) | _log_arguments(tree)
    strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped]
    assert [text for text in strings if SENTENCE.match(text)] == []
