"""Shared fixtures: an isolated C360_HOME per test, a migrated embedded warehouse, the real CLI, and one
generated and built warehouse per test run (``built``) for the pipeline and model tests.

Tests run in parallel with pytest-xdist (``make test-fast``): whatever a test shares lives under a name of
its own (tmp_path, a PostgreSQL schema and Redis key prefix per store in tests/serving/backends.py, free
ports), and ``built`` is built once by whichever worker comes first, then copied into each worker's own
directory (DuckDB lets one process at a time open a file).
"""

from __future__ import annotations

import fcntl
import gc
import logging
import os
import shutil
import socket
import ssl
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from c360.pipeline.run import STEPS
from c360.settings import Settings, get_settings
from c360.warehouse import Warehouse

REPO = Path(__file__).resolve().parents[1]
C360 = Path(sys.executable).parent / "c360"

# The built warehouse: scale 0.1 (2,500 subscribers) is the smallest at which the model's test AUC sits
# reliably above the 0.80 gate, so the model tests see the real model, not a toy; 130 days give ten labelled
# weekly snapshots (5 to train on, 4 purged, 1 to test on).
AS_OF = date(2026, 11, 24)
SCALE = 0.1
DAYS = 130
SEED = 7
DATA_TASKS = ("sfe_process_subscribers_task", "sfe_process_engagement_task", "sfe_daily_build_task")
DATA_STEPS = [s for s in STEPS if s.task in DATA_TASKS]  # the warehouse steps of `c360 pipeline run`, no model

# httpx builds a TLS context for every client (loading ~150 CA certificates: 20 to 150 ms of CPU), even for one
# that only speaks plain HTTP to a server on loopback, as every test client does: they pass this one instead
# (``verify=TLS``), built once per process.
TLS = ssl.create_default_context()

# `make test-fast` runs every property test with at most 10 examples (`--hypothesis-profile=fast`); `make test`,
# CI's command, with each test's own number: ``max_examples=examples(N)``.
hypothesis_settings.register_profile("fast", max_examples=10)


def examples(wanted: int) -> int:
    """A property test's number of examples, capped by the loaded Hypothesis profile."""
    profile = hypothesis_settings.default
    return min(wanted, profile.max_examples) if profile is not None else wanted


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
def warehouse(settings: Settings, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Warehouse:
    """The embedded warehouse under the test's home, with every migration applied."""
    return migrated(Warehouse.from_settings(settings), tmp_path_factory, worker_id)


def migrated(wh: Warehouse, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Warehouse:
    """``wh`` with every migration applied: a copy of a warehouse migrated once per run, then ``migrate`` on
    it, which applies whatever this warehouse's settings render differently (a repeatable script's checksum)
    and otherwise finds nothing to do. Applying the 30-odd scripts costs a second of CPU a test; the copy and
    the check a fifth of that. The migrations themselves are tested from empty in tests/pipeline_sql/."""
    from pipeline_sql.migrate import migrate

    template = once_per_run(tmp_path_factory, worker_id, "migrated-warehouse", _migrate_empty) / "warehouse.duckdb"
    wh.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, wh.duckdb_path)
    migrate(wh)
    return wh


def _migrate_empty(root: Path) -> None:
    from pipeline_sql.migrate import migrate

    migrate(Warehouse.from_settings(Settings(home=root, warehouse_lock_timeout=5)))


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120, process: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``c360 args`` as a user would; the current C360_* environment applies, plus ``env``.

    In this process by default, through the installed entry point (``c360.cli:main``) with its own argv,
    environment, working directory, stdin, stdout, stderr and logging: the same code, the same exit codes and
    output, without a Python start and the imports (1-2 s a command on this machine). In a real process
    (``process=True``) when the command must outlive or escape the test: a failpoint (the process SIGKILLs
    itself), a server, a worker that runs until stopped, or a test of the process boundary itself."""
    if process or _needs_a_process(args, env or {}):
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [str(C360), *args], capture_output=True, text=True, env=full_env, timeout=timeout, cwd=REPO, check=False
        )
    return _run_in_process(list(args), env or {})


def _needs_a_process(args: tuple[str, ...], env: dict[str, str]) -> bool:
    command = args[0] if args else ""
    forever = command in ("serve", "dashboard", "simulate") or (command == "worker" and "--once" not in args)
    return forever or "C360_FAILPOINTS" in env or "C360_FAILPOINTS" in os.environ


def _run_in_process(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    from click.testing import CliRunner

    from c360.cli import main

    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_argv, saved_cwd = sys.argv, Path.cwd()
    # click's isolation swaps stdin (empty), stdout and stderr (pipes, not terminals) and sets then restores env
    with CliRunner().isolation(env=env) as (stdout, stderr, _):
        root.handlers.clear()  # the entry point's logging.basicConfig writes to this stderr, as in its own process
        sys.argv = ["c360", *args]
        os.chdir(REPO)
        get_settings.cache_clear()
        try:
            main()
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        except Exception:  # C360_DEBUG=1 lets the traceback out: Python prints it and exits 1
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for handler in root.handlers:
                handler.close()
            root.handlers[:] = saved_handlers
            root.setLevel(saved_level)
            sys.argv = saved_argv
            os.chdir(saved_cwd)
            get_settings.cache_clear()
        out, err = stdout.getvalue().decode(), stderr.getvalue().decode()
    return subprocess.CompletedProcess(["c360", *args], code, out, err)


@contextmanager
def using_home(home: Path) -> Iterator[Settings]:
    """C360_HOME pointing at ``home`` for code that reads the settings itself (the native procedures)."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("C360_")}
    for name in saved:
        del os.environ[name]
    os.environ["C360_HOME"] = str(home)
    get_settings.cache_clear()
    try:
        yield get_settings()
    finally:
        del os.environ["C360_HOME"]
        os.environ.update(saved)
        get_settings.cache_clear()


@dataclass(frozen=True)
class Built:
    """A built home (warehouse and, once trained, model artifacts) and the sources it was built from."""

    sources: Path
    home: Path

    @property
    def warehouse(self) -> Warehouse:
        """The home's warehouse (read it; write to a ``copy``)."""
        return Warehouse.from_settings(Settings(home=self.home, warehouse_lock_timeout=5))

    def copy(self, home: Path) -> Warehouse:
        """A private, writable copy under ``home`` (the caller's C360_HOME)."""
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.home / "warehouse.duckdb", home / "warehouse.duckdb")
        if (self.home / "models").exists():
            shutil.copytree(self.home / "models", home / "models", dirs_exist_ok=True)
        return Warehouse.from_settings(Settings(home=home, warehouse_lock_timeout=5))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Built:
    """Generated, ingested and built up to the daily analytics as of AS_OF; no model yet. Built once per run
    (the first xdist worker builds, the others wait), each worker reading its own copy."""
    shared = once_per_run(tmp_path_factory, worker_id, "built-warehouse", _build)
    mine = tmp_path_factory.mktemp("built")
    shutil.copytree(shared / "sources", mine / "sources")
    built = Built(mine / "sources", mine / "home")
    Built(shared / "sources", shared / "home").copy(built.home)
    return built


def once_per_run(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, build: Callable[[Path], None]
) -> Path:
    """``build(root)`` run once per test run, whatever the number of xdist workers: the first worker to get here
    builds under the run's shared temporary directory while the others wait on a file lock, then all read it.
    Expensive session fixtures (a generated warehouse, a trained model) would otherwise be built per worker."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if worker_id != "master" else base) / name
    with _exclusive(shared.with_suffix(".lock")):
        if not (shared / "done").exists():
            shutil.rmtree(shared, ignore_errors=True)  # a build interrupted half-way
            build(shared)
            (shared / "done").touch()
    return shared


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(root: Path) -> None:
    from c360.pipeline.run import run_pipeline
    from c360.sources.generate import generate
    from c360.sources.ingest import ingest
    from pipeline_sql.migrate import migrate

    sources = root / "sources"
    generate(sources, scale=SCALE, days=DAYS, seed=SEED, as_of=AS_OF)
    with using_home(root / "home") as settings:
        warehouse = Warehouse.from_settings(settings)
        migrate(warehouse)
        files = ["subscription_events.jsonl", "content_engagement.csv", "support_tickets.parquet"]
        results = ingest(warehouse, [sources / name for name in files])
        assert all(r.status == "loaded" for r in results), results
        run_pipeline(warehouse, as_of=AS_OF, steps=DATA_STEPS)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Move what collection built (every imported module, every test item) out of the collector's reach: it lives
    for the whole session, and full collections scanned it again and again (10 of the fast suite's 13 s of GC)."""
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)  # and collect less often: the default 700 allocations is tuned for small heaps
