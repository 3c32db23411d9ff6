"""A live API with test data for the dashboard: a published store with the analytics sources, a dashboard
key, and C360_DASHBOARD_API_URL / C360_DASHBOARD_API_KEY pointing at it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import streamlit as st

from c360.auth.keys import create_key
from c360.serving.publish import publish
from c360.settings import get_settings
from c360.webhooks.outbox import record_events
from tests.api.analytics_data import add_analytics_sources
from tests.api.conftest import Served, _serve, build, clean_env  # noqa: F401 - a fixture used here
from tests.serving.backends import Backend
from tests.serving.data import SCORE_DATE, add_scoring_run

APP = Path(__file__).resolve().parents[2] / "dashboard"
DASHBOARD_SCOPES = ["scores:read", "profiles:read", "analytics:read"]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, clean_env: None) -> Iterator[Served]:  # noqa: F811
    """A live API on SQLite whose second run was published after the analytics sources landed."""
    served = build(
        tmp_path_factory.mktemp("dash"), Backend("sqlite", None, None, "c360test:"), api_run_check_interval=0
    )
    next_day = SCORE_DATE + timedelta(days=1)
    add_analytics_sources(served.warehouse, score_date=next_day)
    add_scoring_run(served.warehouse, "run-2", served.expected.scored, score_date=next_day)
    publish(served.settings, outbox=record_events, warehouse=served.warehouse)
    served.keys["dashboard"] = create_key(served.store, name="dashboard", scopes=DASHBOARD_SCOPES)[1]
    with contextlib.contextmanager(_serve)(served) as running:
        yield running


@pytest.fixture
def dashboard_env(api: Served, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    """The dashboard's settings point at ``api``; its caches start empty."""
    monkeypatch.setenv("C360_DASHBOARD_API_URL", api.url)
    monkeypatch.setenv("C360_DASHBOARD_API_KEY", api.keys["dashboard"])
    get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield api
    get_settings.cache_clear()
