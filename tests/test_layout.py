"""The source tree's shape: one of each store function, no import circle between any two modules, and
no module too long to read in one sitting.

The layers themselves are import-linter's contracts in pyproject.toml (run by `make test`).

Read from the source with `ast`, not by importing, so a function-level import counts as much as one at
the top of a file (a circle hidden inside a function still means neither module stands alone).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("domain", "bot", "store", "prompts", "handlers", "sandbox")
# Two different things that share a name, each clear beside its module: not twins.
SAME_NAME_DIFFERENT_THINGS = {"set_status": ["actions.py", "pairs.py"]}  # an action's status; a pair's
MOST_LINES = 400  # issue 15's "done when"; migrations, generated, are not read by hand
MOST_HANDLER_LINES = 250  # past this, a handler module still holds its flow
# Modules still over it while issue 15 splits them: each leaves this list as its split lands.


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, ast.Module]:
    return {
        _module_name(path): ast.parse(path.read_text(encoding="utf-8"))
        for package in PACKAGES
        for path in sorted((PROJECT_ROOT / package).glob("*.py"))
    }


def _imports(tree: ast.Module, modules: set[str]) -> set[str]:
    """Our modules this one imports, anywhere in it (`from bot import logs` counts as bot.logs)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            named = {f"{node.module}.{alias.name}" for alias in node.names}
            found |= (named & modules) or ({node.module} & modules)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names} & modules
    return found


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that reach each other through imports (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                circles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return circles


def test_no_store_function_is_written_twice_in_two_modules():
    defined: dict[str, list[str]] = defaultdict(list)
    for path in sorted((PROJECT_ROOT / "store").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                defined[node.name].append(path.name)
    twins = {name: modules for name, modules in defined.items() if len(modules) > 1}
    assert twins == SAME_NAME_DIFFERENT_THINGS


def test_no_modules_import_each_other_in_a_circle():
    sources = _sources()
    graph = {module: _imports(tree, set(sources)) - {module} for module, tree in sources.items()}
    assert _circles(graph) == []


def test_no_module_is_longer_than_a_newcomer_can_read():
    lengths = {
        str(path.relative_to(PROJECT_ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for package in PACKAGES
        for path in sorted((PROJECT_ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }
    too_long = {name for name, lines in lengths.items() if lines > MOST_LINES}
    assert too_long == set()


def test_no_handler_module_is_longer_than_a_thin_adapter_needs():
    lengths = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in sorted((PROJECT_ROOT / "handlers").glob("*.py"))}
    assert {name: lines for name, lines in lengths.items() if lines > MOST_HANDLER_LINES} == {}


def test_handlers_reach_the_services_through_the_typed_accessor():
    spelt_out = sorted(path.name for path in (PROJECT_ROOT / "handlers").glob("*.py") if 'context["services"]' in path.read_text(encoding="utf-8"))
    assert spelt_out == []


def _loose_parameters(tree: ast.Module) -> list[str]:
    """Parameters of public functions typed as a bare `Any` (or a list of them): a row could slip in."""
    loose = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_") and node.name != "__init__":
            continue
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        for argument in arguments:
            annotation = ast.unparse(argument.annotation) if argument.annotation is not None else ""
            if annotation in ("Any", "Any | None", "list[Any]", "Sequence[Any]", "Iterable[Any]"):
                loose.append(f"{node.name}({argument.arg}: {annotation})")
    return loose


def test_words_take_records_not_rows():
    """prompts/ renders shared records and plain values: a parameter typed `Any` is where a database
    row was passed (and could reach a field no one meant to show). Payload dicts are fine."""
    sources = _sources()
    loose = {module: found for module, tree in sources.items() if module.startswith("prompts") and (found := _loose_parameters(tree))}
    assert loose == {}
