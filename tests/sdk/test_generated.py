"""The committed SDK is exactly what `make sdk` generates from the committed openapi.yaml."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # the SDK build: openapi-python-client generates the whole package

SDK = REPO / "clients" / "python"
SKIP = {"__pycache__", ".ruff_cache", ".pytest_cache"}
HAND_WRITTEN = {"c360_client/helpers.py"}  # not generated; `make sdk` leaves it alone


def tree(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): path.read_text()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not SKIP & set(path.relative_to(root).parts) and not path.name.endswith(".egg-info")
    }


def test_committed_sdk_matches_a_fresh_generation(tmp_path: Path) -> None:
    out = tmp_path / "python"
    bin_dir = Path(sys.executable).parent
    options = {
        "--path": REPO / "openapi.yaml",
        "--config": REPO / "clients" / "openapi-python-client.yaml",
        "--custom-template-path": REPO / "clients" / "templates",
        "--meta": "uv",
        "--output-path": out,
    }
    command = [str(bin_dir / "openapi-python-client"), "generate", *(str(x) for kv in options.items() for x in kv)]
    result = subprocess.run(
        [*command, "--overwrite", "--fail-on-warning"],
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    fresh = tree(out)
    committed = {name: text for name, text in tree(SDK).items() if name not in HAND_WRITTEN}
    assert sorted(fresh) == sorted(committed), "files differ: run `make sdk` and commit clients/python"
    for name, text in fresh.items():
        diff = "".join(difflib.unified_diff(committed[name].splitlines(True), text.splitlines(True), name, name, n=1))
        assert not diff, f"clients/python/{name} is not what `make sdk` generates:\n{diff[:3000]}"
