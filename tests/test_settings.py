"""The one settings object: documented in one generated page, validated with messages naming the variable."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from c360.errors import ConfigError
from c360.settings import Settings, get_settings, reference_markdown
from tests.conftest import REPO, run_cli


def test_configuration_page_is_generated_from_the_settings() -> None:
    page = (REPO / "docs" / "configuration.md").read_text()
    assert page == reference_markdown(), "regenerate: .venv/bin/python -m c360.settings > docs/configuration.md"
    for name, field in Settings.model_fields.items():
        assert field.description, f"C360_{name.upper()} needs a description"


def test_the_deployment_guide_says_who_reads_every_variable() -> None:
    guide = (REPO / "docs" / "deploy.md").read_text()
    missing = [f"C360_{name.upper()}" for name in Settings.model_fields if f"`C360_{name.upper()}`" not in guide]
    assert missing == [], f"docs/deploy.md does not mention {missing}"


def test_defaults_live_under_home(home: Path) -> None:
    settings = get_settings()
    assert settings.resolved_warehouse_url == f"duckdb:///{home}/warehouse.duckdb"
    assert settings.resolved_serving_url == f"sqlite:///{home}/serving.sqlite"


def test_bad_values_name_their_variable(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("C360_DUCKDB_THREADS", "0")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match=r"^C360_DUCKDB_THREADS: Input should be greater than or equal to 1"):
        get_settings()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("lots", "not a size such as 3.5GB or 512MiB (got 'lots')"),
        ("", "not a size such as 3.5GB or 512MiB (got '')"),
        ("3.5", "not a size"),
        ("-1GB", "not a size"),
        ("4 GBs", "not a size"),
        ("3.5GB\udcff", "not a size"),  # a byte that is not UTF-8 in the environment
        ("0GB", "outside 16 MiB to 1 PiB (got '0GB')"),
        ("99999999999GB", "outside 16 MiB to 1 PiB"),
    ],
)
def test_a_memory_limit_duckdb_cannot_read_is_refused_naming_its_variable(
    home: Path, monkeypatch: pytest.MonkeyPatch, value: str, reason: str
) -> None:
    monkeypatch.setenv("C360_DUCKDB_MEMORY_LIMIT", value)
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match=r"^C360_DUCKDB_MEMORY_LIMIT: ") as refused:
        get_settings()
    assert reason in str(refused.value)


def test_a_long_bad_value_is_quoted_not_echoed_whole(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("C360_DUCKDB_MEMORY_LIMIT", "1" * 10_000 + "GB")
    get_settings.cache_clear()
    with pytest.raises(ConfigError) as refused:
        get_settings()
    assert str(refused.value).endswith("... (10,004 characters))")
    assert len(str(refused.value)) < 200


@pytest.mark.parametrize("value", ["3.5GB", "512 MiB", "2gb", "1TB", "100000000B", " 16MiB ", "1024TiB"])
def test_every_memory_limit_accepted_is_one_duckdb_reads(
    home: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("C360_DUCKDB_MEMORY_LIMIT", value)
    get_settings.cache_clear()
    limit = get_settings().duckdb_memory_limit
    query = "SELECT current_setting('memory_limit')"
    with duckdb.connect() as default, duckdb.connect(config={"memory_limit": limit}) as con:
        assert con.sql(query).fetchall() != default.sql(query).fetchall()  # the limit took, not the 80 % of RAM


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "C360_SECRET_KEY must be set when C360_ENV is production"),
        ("short-but-set", "C360_SECRET_KEY must be at least 32 characters when C360_ENV is production (it has 13)"),
        ("c360-development-secret-key".ljust(32), "C360_SECRET_KEY is a published default"),
        ("c360-development-secret-key", "C360_SECRET_KEY must be at least 32 characters"),
    ],
)
def test_production_refuses_to_start_with_an_empty_short_or_public_secret_key(
    home: Path, key: str, message: str
) -> None:
    # issue 11 #6: `C360_ENV=production C360_SECRET_KEY= c360 serve` started, with keys derived from ""
    proc = run_cli("serve", "--port", "1", env={"C360_ENV": "production", "C360_SECRET_KEY": key}, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert f"error: {message}" in proc.stderr
    if key.strip():
        assert key.strip() not in proc.stderr  # the value is never echoed
    with pytest.raises(ValueError, match="published default"):
        Settings(env="production", secret_key="changeme".ljust(32))
    Settings(env="production", secret_key="x" * 32)  # long enough and not published: fine


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "C360_ALERT_FACTS_BY",
            "24:00",
            "C360_ALERT_FACTS_BY: String should match pattern",
        ),  # ran, and failed each check
        ("C360_ALERT_PREDICTIONS_BY", "04:60", "C360_ALERT_PREDICTIONS_BY: String should match pattern"),
        ("C360_ALERT_INTERVAL", "1e10", "C360_ALERT_INTERVAL: Input should be less than or equal to 86400"),
        ("C360_PUBLISH_POLL_INTERVAL", "inf", "C360_PUBLISH_POLL_INTERVAL: Input should be less than or equal"),
        ("C360_INBOX_INTERVAL", "nan", "C360_INBOX_INTERVAL: Input should be less than or equal to 86400"),
        ("C360_LANDING_INCOMPLETE_GRACE_SECONDS", "inf", "C360_LANDING_INCOMPLETE_GRACE_SECONDS: Input should be less"),
        ("C360_HOME", "", "C360_HOME: empty: give a directory"),  # was the working directory
        ("C360_LANDING_DIR", " ", "C360_LANDING_DIR: empty: give a directory"),
    ],
)
def test_values_that_crashed_or_silently_misled_the_worker_are_refused_by_name(
    home: Path, variable: str, value: str, message: str
) -> None:
    # 24:00 made the SLA alert fail on every check; 1e10 s overflowed the worker's timer (exit 70); an empty
    # path put the warehouse and the landing folders in whatever directory the command ran in
    result = run_cli("worker", "--jobs", "alerts", "--once", env={variable: value})
    assert result.returncode == 2 and result.stderr.startswith(f"error: {message}"), result.stderr
