"""Shared fixtures: an isolated C360_HOME per test, a migrated embedded warehouse, the real CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from c360.settings import Settings, get_settings
from c360.warehouse import Warehouse

REPO = Path(__file__).resolve().parents[1]
C360 = Path(sys.executable).parent / "c360"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh C360_HOME with every C360_* variable of the outer environment cleared."""
    for name in list(os.environ):
        if name.startswith("C360_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("C360_HOME", str(tmp_path))
    monkeypatch.setenv("C360_WAREHOUSE_LOCK_TIMEOUT", "5")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture
def settings(home: Path) -> Settings:
    return get_settings()


@pytest.fixture
def warehouse(settings: Settings) -> Warehouse:
    """The embedded warehouse under the test's home, with every migration applied."""
    from pipeline_sql.migrate import migrate

    wh = Warehouse.from_settings(settings)
    migrate(wh)
    return wh


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the installed ``c360`` command as a user would; the current C360_* environment applies."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(C360), *args], capture_output=True, text=True, env=full_env, timeout=timeout, cwd=REPO, check=False
    )
