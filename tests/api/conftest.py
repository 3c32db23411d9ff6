"""Fixtures of the API tests: a published store on each backend, keys of each kind, the app on loopback."""

from __future__ import annotations

import atexit
import contextlib
import functools
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from c360.auth.keys import create_key, revoke_key
from c360.serving.publish import publish
from c360.serving.store import Store, dispose_engines
from c360.settings import Settings, get_settings
from c360.warehouse import Warehouse
from c360.webhooks.outbox import record_events
from tests.conftest import TLS
from tests.serving.backends import (
    BACKENDS,
    Backend,
    backend_for,
    copy_sqlite_store,
    live_server,
    migrate_store,
    sqlite_store,
)
from tests.serving.data import Expected, seeded_warehouse

KEY_SCOPES = {
    "reader": ["scores:read", "profiles:read"],
    "scores": ["scores:read"],
    "events": ["events:write"],
    "admin": ["admin"],
    "revoked": ["admin"],
}


@dataclass
class Served:
    """A published serving store and what a client needs to call it."""

    settings: Settings
    store: Store
    warehouse: Warehouse
    expected: Expected
    keys: dict[str, str]
    url: str = ""
    app: FastAPI | None = None
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, key: str | None = "reader", **kwargs: Any) -> httpx.Client:
        """An HTTP client on the live server, authenticated with the named key (None: no key)."""
        headers = {"Authorization": f"Bearer {self.keys[key]}"} if key else {}
        client = httpx.Client(verify=TLS, base_url=self.url, headers=headers, timeout=10, **kwargs)
        self.clients.append(client)
        return client


def make_settings(home: Path, backend: Backend, **overrides: Any) -> Settings:
    """Settings for a test app: defaults, the backend, and overrides (never the outer C360_* environment)."""
    values: dict[str, Any] = {
        "home": home,
        "env": "development",
        "api_rate_limit": 100_000,
        "api_auth_failure_limit": 100_000,
    }
    return Settings(**{**values, **backend.settings_kwargs(), **overrides})


def build(home: Path, backend: Backend, **overrides: Any) -> Served:
    """A copy of the seeded warehouse, run-1 published to a migrated store, and one key per kind."""
    settings = make_settings(home, backend, **overrides)
    template, expected = seeded_warehouse()
    warehouse = Warehouse.from_settings(settings)
    warehouse.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, warehouse.duckdb_path)
    if sqlite_store(settings):  # SQLite, with or without Redis: a copy of the same publish into the same store
        copy_sqlite_store(_published_sqlite(*(getattr(settings, name) for name in PUBLISH_SETTINGS)), settings)
    else:
        migrate_store(settings)
        publish(settings, outbox=record_events, warehouse=warehouse)
    store = Store.from_settings(settings)
    keys = {name: create_key(store, name=name, scopes=scopes)[1] for name, scopes in KEY_SCOPES.items()}
    revoke_key(store, key_id=keys["revoked"].split("_")[1])
    return Served(settings, store, warehouse, expected, keys)


# What publishing run-1 into an empty store reads of the settings (c360/serving/publish.py); the rest of a test's
# settings (rate limits, caches, webhooks) only matter to the app serving the store.
PUBLISH_SETTINGS = ("risk_tier_high", "risk_tier_medium", "serving_history_days", "serving_keep_runs",
                    "changes_retention_runs")  # fmt: skip


@functools.cache
def _published_sqlite(*values: Any) -> str:
    """A SQLite store with run-1 published from the seeded warehouse under these PUBLISH_SETTINGS values, once
    per process: the API tests copy it (milliseconds) instead of publishing into each of their ~100 stores
    (0.2 s each: three warehouse connections, the reads and the writes). PostgreSQL stores still publish."""
    home = Path(tempfile.mkdtemp(prefix="c360-published-"))
    atexit.register(shutil.rmtree, home, True)
    settings = Settings(home=home, **dict(zip(PUBLISH_SETTINGS, values, strict=True)))
    migrate_store(settings)
    warehouse = Warehouse.from_settings(settings)
    shutil.copyfile(seeded_warehouse()[0], warehouse.duckdb_path)
    publish(settings, outbox=record_events, warehouse=warehouse)
    dispose_engines()
    return str(Store.from_settings(settings).engine.url.database)


@pytest.fixture(scope="module")
def clean_env() -> Iterator[None]:
    """No C360_* variable of the outer environment leaks into the apps built here."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("C360_"):
                patch.delenv(name)
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="module", params=BACKENDS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, clean_env: None
) -> Iterator[Served]:
    """One published store and live server per module and backend, for tests that only read."""
    with backend_for(request.param) as backend:
        yield from _serve(build(tmp_path_factory.mktemp("served"), backend))


class Servers:
    """Starts stores and servers of a test's own; all stopped when the test ends."""

    def __init__(self, backend: Backend, tmp_path: Path, stack: contextlib.ExitStack) -> None:
        self.backend, self._tmp, self._stack, self._homes = backend, tmp_path, stack, itertools.count()

    def start(self, **overrides: Any) -> Served:
        """A new published store (settings overrides allowed) and a server on it."""
        served = build(self._tmp / f"home{next(self._homes)}", self.backend, **overrides)
        return self._stack.enter_context(contextlib.contextmanager(_serve)(served))

    def replica(self, served: Served) -> Served:
        """A second server (its own app, in-process cache and counters) on the same store."""
        twin = Served(served.settings, served.store, served.warehouse, served.expected, served.keys)
        return self._stack.enter_context(contextlib.contextmanager(_serve)(twin))


@pytest.fixture(params=BACKENDS)
def servers(request: pytest.FixtureRequest, tmp_path: Path, clean_env: None) -> Iterator[Servers]:
    """Stores and servers of one's own, for tests that publish, count or change settings."""
    with backend_for(request.param) as backend, contextlib.ExitStack() as stack:
        yield Servers(backend, tmp_path, stack)


def _serve(served: Served) -> Iterator[Served]:
    served.app = create_app(served.settings)
    with live_server(served.app) as url:
        served.url = url
        yield served
    for client in served.clients:
        client.close()
    dispose_engines()
