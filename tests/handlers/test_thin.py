"""Handlers are thin: ack, parse, call one flow, render with prompts, send. Read from the source, so
that a transaction, a store write or a sentence creeping back into a handler fails here.

THIN lists the handler modules made thin so far (issue 15); the others join it as they are."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
THIN = ["reflections.py", "check_ins.py", "sessions.py", "nudge_settings.py", "away.py"]
MOST_LINES = 250
SENTENCE = re.compile(r"^[A-Z][a-z']* [\w' ,:;-]+[.!?]$")  # a capitalised phrase with a full stop: words for people


def _source(name: str) -> str:
    return (HANDLERS / name).read_text()


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


@pytest.mark.parametrize("name", THIN)
def test_a_thin_handler_module_is_short(name):
    assert len(_source(name).splitlines()) <= MOST_LINES


@pytest.mark.parametrize("name", THIN)
def test_a_thin_handler_neither_opens_a_transaction_nor_writes_to_the_store(name):
    source = _source(name)
    assert ".begin()" not in source
    assert "session.add(" not in source
    assert "from store" not in source and "import store" not in source


@pytest.mark.parametrize("name", THIN)
def test_a_thin_handler_reaches_the_services_through_the_typed_accessor(name):
    assert 'context["services"]' not in _source(name)


@pytest.mark.parametrize("name", THIN)
def test_a_thin_handler_holds_no_words_for_people(name):
    tree = ast.parse(_source(name))
    skipped = _docstrings(tree) | _log_arguments(tree)
    strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped]
    assert [text for text in strings if SENTENCE.match(text)] == []
