"""The command line answers bad configuration and arguments with one clear line and an exit code."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"C360_WAREHOUSE_URL": "not a url"}, "error: C360_WAREHOUSE_URL is not a valid SQLAlchemy URL: 'not a url'"),
        (  # a URL that does not parse still never shows its password
            {"C360_WAREHOUSE_URL": "duckdb://u:s3cret@h:port/db"},
            "error: C360_WAREHOUSE_URL is not a valid SQLAlchemy URL: 'duckdb://u:***@h:port/db'",
        ),
        (
            {"C360_WAREHOUSE_URL": "postgresql://u:secret@h/db"},
            "error: C360_WAREHOUSE_URL must be duckdb:///path or snowflake://..., not postgresql:// (postgresql://u:***@h/db)",
        ),
        ({"C360_WAREHOUSE_URL": "duckdb:///:memory:"}, "error: C360_WAREHOUSE_URL must name a DuckDB file"),
        ({"C360_WAREHOUSE_LOCK_TIMEOUT": "soon"}, "error: C360_WAREHOUSE_LOCK_TIMEOUT: Input should be a valid number"),
        ({"C360_RISK_TIER_MEDIUM": "0.9"}, "error: C360_RISK_TIER_MEDIUM must be below C360_RISK_TIER_HIGH"),
        ({"C360_ENV": "staging"}, "error: C360_ENV: Input should be 'development', 'test' or 'production'"),
    ],
)
def test_bad_configuration(home: Path, env: dict[str, str], expected: str) -> None:
    proc = run_cli("status", env=env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines()[0].startswith(expected)
    assert "secret" not in proc.stderr and "Traceback" not in proc.stderr


def test_a_serving_url_that_does_not_parse_never_shows_its_password(home: Path) -> None:
    proc = run_cli("keys", "list", env={"C360_SERVING_URL": "postgresql+psycopg://app:s3cret@db:port/x"})
    assert proc.returncode == 2, proc.stderr
    assert "C360_SERVING_URL is not a valid SQLAlchemy URL: 'postgresql+psycopg://app:***@db:port/x'" in proc.stderr
    assert "s3cret" not in proc.stderr and "Traceback" not in proc.stderr


def test_a_password_in_a_urls_query_string_is_never_shown(home: Path) -> None:
    # SQLAlchemy's hide_password masks only user:password@; libpq and Snowflake also take ?password=
    serving = {"C360_SERVING_URL": "postgresql+psycopg://u@127.0.0.1:1/x?password=hunter2"}  # nobody listens
    migrated = run_cli("migrate", env=serving)
    down = run_cli("keys", "list", env=serving)
    unreachable = run_cli("status", env={"C360_WAREHOUSE_URL": "snowflake://svc@acct-x/DB?password=hunter2&token=t0k"})
    for proc in (migrated, down, unreachable):
        assert "hunter2" not in proc.stdout + proc.stderr and "t0k" not in proc.stdout + proc.stderr
    assert down.returncode != 0 and "?password=***" in down.stderr


def test_unreachable_warehouse(home: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    proc = run_cli("status", env={"C360_WAREHOUSE_URL": f"duckdb:///{blocker}/sub/warehouse.duckdb"})
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: cannot create {blocker}/sub")


def test_a_file_that_is_not_a_duckdb_database(home: Path) -> None:
    (home / "warehouse.duckdb").write_text("this is not a database")
    proc = run_cli("status")
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: cannot open {home}/warehouse.duckdb:")


def test_bad_dates_and_targets(home: Path) -> None:
    proc = run_cli("pipeline", "run", "--as-of", "2026-13-01")
    assert (proc.returncode, proc.stderr.strip()) == (
        2,
        "error: invalid --as-of '2026-13-01': expected a date as YYYY-MM-DD",
    )
    proc = run_cli("migrate", "--dry-run", "--target", "oracle")
    assert proc.stderr.strip() == "error: invalid --target 'oracle': expected duckdb or snowflake"
    proc = run_cli("migrate", "--target", "snowflake")
    assert "only --dry-run renders for another target" in proc.stderr


@pytest.mark.parametrize(
    "command", [["pipeline", "run"], ["status"], ["worker", "--once"], ["pipeline", "task", "x"], ["publish"]]
)
def test_commands_before_migrate_say_what_to_do(home: Path, command: list[str]) -> None:
    proc = run_cli(*command)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: duckdb:///{home}/warehouse.duckdb needs ")
    assert proc.stderr.strip().endswith("run `c360 migrate` first")


def test_migrate_then_dry_run(home: Path) -> None:
    applied = run_cli("migrate")
    assert applied.returncode == 0, applied.stderr
    assert "applied V001__raw_layer.sql" in applied.stdout
    again = run_cli("migrate")
    assert "0 applied" in again.stdout
    dry = run_cli("migrate", "--dry-run", "--target", "snowflake")
    assert dry.returncode == 0 and "CREATE OR REPLACE TASK SFE_STG_MEDIA.sfe_process_subscribers_task" in dry.stdout


def test_generate_validates_its_arguments(home: Path, tmp_path: Path) -> None:
    proc = run_cli("generate", "--out", str(tmp_path / "x"), "--scale", "0", "--as-of", "2026-11-24")
    assert proc.returncode != 0 and proc.stderr.startswith("error: ") and "scale" in proc.stderr


def test_unknown_task(home: Path) -> None:
    run_cli("migrate")
    proc = run_cli("pipeline", "task", "nope")
    assert proc.returncode == 2 and "no started task named nope" in proc.stderr


def test_worker_jobs_are_checked_before_anything_runs(home: Path) -> None:
    unknown = run_cli("worker", "--once", "--jobs", "webhooks,nope")
    assert unknown.returncode == 2  # a usage error, like a bad option
    expected = "error: unknown worker job(s) nope: expected some of tasks, landing, inbox, publish, webhooks, alerts"
    assert unknown.stderr.strip() == expected
    empty = run_cli("worker", "--once", "--jobs", " , ")
    assert (empty.returncode, empty.stderr.strip()) == (
        2,
        "error: no worker job named: expected some of tasks, landing, inbox, publish, webhooks, alerts",
    )
    # a delivery-only worker needs no warehouse, but a migrated serving store
    unmigrated = run_cli("worker", "--once", "--jobs", "webhooks")
    assert unmigrated.returncode == 2
    assert unmigrated.stderr.strip().endswith("is not migrated; run `c360 migrate` first")
    assert run_cli("migrate").returncode == 0
    ran = run_cli("worker", "--once", "--jobs", "webhooks")
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr.startswith("worker: webhooks on ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest"], "Missing argument 'paths'"),
        (["serve", "--port", "0"], "Invalid value for '--port': 0 is not in the range 1<=x<=65535"),
        (["no-such-command"], "No such command 'no-such-command'"),
    ],
)
def test_usage_errors_are_usage_errors_not_internal_ones(home: Path, args: list[str], message: str) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "internal error" not in proc.stderr


def test_a_worker_whose_metrics_port_or_landing_folder_cannot_be_had_says_which(home: Path, tmp_path: Path) -> None:
    # both were "internal error: OSError ..." with exit 70
    assert run_cli("migrate").returncode == 0
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        busy = run_cli("worker", "--jobs", "alerts", "--once", "--metrics-port", str(port), process=True)
    finally:
        taken.close()
    assert busy.returncode == 2, busy.stderr
    assert f"error: --metrics-port {port}: cannot listen on 127.0.0.1:{port}: Address already in use" in busy.stderr
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    blocked = run_cli("worker", "--jobs", "landing", "--once", env={"C360_LANDING_DIR": str(a_file)})
    assert blocked.returncode == 2 and "internal error" not in blocked.stderr
    assert blocked.stderr.startswith(f"error: C360_LANDING_DIR: cannot create {a_file}/subscription_events: Not a")


def test_status_says_the_serving_store_is_unavailable_rather_than_that_nothing_is_served(home: Path) -> None:
    assert run_cli("migrate").returncode == 0
    down = run_cli("status", env={"C360_SERVING_URL": "postgresql+psycopg://u@127.0.0.1:1/x"})
    assert down.returncode == 0, down.stderr  # a report: the warehouse's part is still shown
    assert "serving store postgresql+psycopg://u@127.0.0.1:1/x is unavailable" in down.stdout
    assert "served run: unknown" in down.stdout and "served run: none" not in down.stdout
    assert "served run: none" in run_cli("status").stdout  # a store that answers and serves nothing yet


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sources", "/no/such/folder"], "--sources /no/such/folder: not a folder `c360 generate` wrote"),
        (["--as-of", "2026-12-01", "--key", "k", "--days", "0"], "--days must be the generation's, between 35 and"),
        (["--as-of", "2026-12-01", "--key", "k", "--scale", "-1"], "scale must be > 0 and <= 100, got -1.0"),
        (["--as-of", "2026-12-01", "--key", "k", "--api", "notaurl"], "--api 'notaurl': give the API's base URL"),
    ],
)
def test_simulate_answers_bad_arguments_as_usage_errors(home: Path, args: list[str], message: str) -> None:
    # each was "internal error: FileNotFoundError / ValueError / UnsupportedProtocol", exit 70
    proc = run_cli("simulate", *args)
    assert proc.returncode == 2 and proc.stderr.startswith(f"error: {message}"), proc.stderr
