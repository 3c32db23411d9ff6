"""``pipeline_sql`` stands on its own: ``c360`` depends on it, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

import pipeline_sql

PACKAGE = Path(pipeline_sql.__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_pipeline_sql_module_imports_c360() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 5
    offenders = {
        str(path.relative_to(PACKAGE.parent)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] in ("c360", "api")
        )
        for path in modules
    }
    assert {path: found for path, found in offenders.items() if found} == {}
