"""The one settings object: documented in one generated page, validated with messages naming the variable."""

from __future__ import annotations

from pathlib import Path

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
