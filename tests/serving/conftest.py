"""Fixtures of the serving tests: a backend per case, a migrated store, a seeded and published warehouse."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from c360.serving.publish import publish
from c360.serving.store import Store, dispose_engines
from c360.settings import Settings, get_settings
from c360.warehouse import Warehouse
from c360.webhooks.outbox import record_events
from pipeline_sql.migrate import migrate
from tests.conftest import migrated
from tests.serving.backends import STORES, Backend, backend_for, migrate_store
from tests.serving.data import Expected, seeded_warehouse


@pytest.fixture(params=STORES)
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Each case once per serving store (SQLite, PostgreSQL); ``parametrize(..., indirect=True)`` narrows it."""
    with backend_for(request.param) as chosen:
        yield chosen


@pytest.fixture
def serving(home: Path, backend: Backend, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings (also in the environment, for the CLI) with a migrated serving store on ``backend``."""
    for name, value in backend.env().items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    settings = get_settings()
    migrate_store(settings)
    yield settings
    dispose_engines()
    get_settings.cache_clear()


@pytest.fixture
def wh(serving: Settings, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Warehouse:
    """The embedded warehouse of ``serving``, migrated."""
    return migrated(Warehouse.from_settings(serving), tmp_path_factory, worker_id)


@pytest.fixture
def seeded(wh: Warehouse) -> Expected:
    """The fixture data in the warehouse (run-1 scored, not yet published): a copy of the seeded one, migrated
    again for this test's settings (a repeatable script they render differently)."""
    template, expected = seeded_warehouse()
    shutil.copyfile(template, wh.duckdb_path)
    migrate(wh)
    return expected


@pytest.fixture
def published(serving: Settings, seeded: Expected) -> Expected:
    """The fixture data with run-1 published."""
    publish(serving, outbox=record_events)
    return seeded


@pytest.fixture
def store(serving: Settings) -> Store:
    return Store.from_settings(serving)
