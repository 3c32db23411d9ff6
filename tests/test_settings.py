"""The one settings object: documented in one generated page, validated with messages naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from c360.errors import ConfigError
from c360.settings import Settings, get_settings, reference_markdown
from tests.conftest import REPO


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
