"""The packages depend on each other one way: no import cycle between c360's subpackages, nor between api's modules.

Read from the source (every ``import``, in functions too: a deferred import is still a dependency), so a
cycle fails here before it confuses a reader or an import order.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

# Cycles tolerated for now, each with its reason: none (c360.model.service became c360.pipeline.model_steps,
# and the date checks every layer uses live in c360.dates).
ALLOWED: set[frozenset[str]] = set()


def modules(package: str) -> dict[str, Path]:
    """Every module of ``package`` by dotted name (Alembic's migration scripts are files, not modules)."""
    found = {}
    for path in sorted((REPO / package).rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if "migrations" not in parts:
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(name: str, path: Path) -> Iterator[str]:
    """The names ``name`` imports: modules, and modules or attributes imported from them."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
            source = ".".join(part for part in (base, node.module or "") if part)
            yield source
            yield from (f"{source}.{alias.name}" for alias in node.names)


def graph(package: str, unit: int | None) -> dict[str, set[str]]:
    """Which units import which: a unit is a module's first ``unit`` name parts (None: the module itself)."""
    found = modules(package)

    def unit_of(name: str) -> str:
        return ".".join(name.split(".")[:unit]) if unit else name

    edges: dict[str, set[str]] = {unit_of(name): set() for name in found}
    for name, path in found.items():
        for target in imported(name, path):
            while target and target not in found:  # an attribute of a module: the module
                target = target.rpartition(".")[0]
            if target and unit_of(target) != unit_of(name):
                edges[unit_of(name)].add(unit_of(target))
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (top := stack.pop()) != node:
                component.append(top)
            component.append(node)
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize(("package", "unit"), [("c360", 2), ("api", None)])
def test_no_import_cycles(package: str, unit: int | None) -> None:
    found = [c for c in cycles(graph(package, unit)) if frozenset(c) not in ALLOWED]
    assert found == [], f"import cycles in {package}: {found}"


def test_the_check_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    edges = graph("c360", 2)
    assert "c360.serving" in edges["c360.webhooks"]  # the webhooks read the store's tables
    assert "c360.webhooks" not in edges["c360.serving"]  # publishing is handed the outbox


def test_publishing_imports_none_of_the_training_stack() -> None:
    # `c360 publish` reads the model lifecycle (the gate's recorded checks): scikit-learn, LightGBM and SciPy
    # would add a second or more to every publish process for nothing (c360.model.checks)
    code = (
        "import sys, c360.serving.publish, c360.model.lifecycle; "
        "print(sorted(m for m in ('sklearn', 'lightgbm', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"
