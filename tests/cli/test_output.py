"""What the command line prints: its version, JSON where asked, whole cells without a terminal, one clean error."""

from __future__ import annotations

import json
import socket
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import run_cli

SCOPES = "events:write,profiles:read,scores:read,webhooks:manage"


def test_version() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"c360 {version('customer360')}\n"


@pytest.mark.slow  # two Python starts: the other CLI tests run the same entry point in the test's process
def test_the_installed_command_is_a_process_with_exit_codes_and_stderr(home: Path) -> None:
    proc = run_cli("--version", process=True)
    assert (proc.returncode, proc.stdout) == (0, f"c360 {version('customer360')}\n"), proc.stderr
    bad = run_cli("status", env={"C360_ENV": "staging"}, process=True)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("error: C360_ENV: Input should be 'development', 'test' or 'production'")
    assert "Traceback" not in bad.stderr


def test_keys_list_without_a_terminal_is_plain_and_whole_and_json_on_request(home: Path) -> None:
    assert run_cli("migrate").returncode == 0
    created = run_cli("keys", "create", "--name", "a-rather-long-name-for-a-crm-integration", "--scopes", SCOPES)
    assert created.returncode == 0, created.stderr
    key_id = created.stdout.strip().split("_")[1]

    listed = run_cli("keys", "list")  # stdout is a pipe here: no box drawing, no cell cut at 80 columns
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == "API keys" and lines[1].split() == ["id", "name", "scopes", "created", "revoked"]
    assert lines[2].split()[:3] == [key_id, "a-rather-long-name-for-a-crm-integration", SCOPES]
    assert "…" not in listed.stdout and "┃" not in listed.stdout

    as_json = json.loads(run_cli("keys", "list", "--json").stdout)
    assert as_json == [
        {
            "key_id": key_id,
            "name": "a-rather-long-name-for-a-crm-integration",
            "scopes": SCOPES.split(","),
            "created_at": as_json[0]["created_at"],
            "revoked_at": None,
        }
    ]


def test_status_json(home: Path) -> None:
    assert run_cli("migrate").returncode == 0
    proc = run_cli("status", "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert set(summary) == {
        "warehouse",
        "tables",
        "rejects",
        "loads",
        "tasks",
        "invalid_events",
        "checks",
        "operations",
    }
    assert set(summary["operations"]) == {"tasks", "landing", "orphans", "alerts", "served", "model", "serving_store"}
    assert summary["operations"]["served"] is None  # nothing published yet
    assert summary["operations"]["serving_store"] is None  # and the store answered: nothing to say of it
    assert {"table": "SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS", "rows": 0} in summary["tables"]
    plain = run_cli("status").stdout
    assert "SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS" in plain and "┃" not in plain


def test_serve_on_a_busy_port_fails_before_announcing_itself(home: Path) -> None:
    assert run_cli("migrate").returncode == 0
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = run_cli("serve", "--port", str(port), timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}: Address already in use"), proc.stderr
    assert "c360 API on" not in proc.stderr and "Traceback" not in proc.stderr


def test_publish_counts_say_which_number_is_which() -> None:
    from datetime import date

    from c360.serving.publish import PublishResult, describe

    tiers = {"High": 56, "Medium": 362, "Low": 4574}
    line = describe(PublishResult("r", date(2026, 11, 24), "published", subscribers=5541, tiers=tiers, version=2))
    # issue 17: "5,541 subscribers (High 56, Medium 362, Low 4,574)" read as if the tiers added up to 5,541
    assert "4,992 subscribers scored (High 56, Medium 362, Low 4,574) and 5,541 profiles served" in line
