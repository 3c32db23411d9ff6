"""Fixtures of the webhook tests: a migrated serving store per backend, publishing, the engine, receivers."""

from __future__ import annotations

import atexit
import contextlib
import functools
import itertools
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from c360.serving.publish import PublishResult, write_run
from c360.serving.snapshot import ScoringRun
from c360.serving.store import Store, dispose_engines
from c360.settings import Settings, get_settings
from c360.warehouse import Warehouse
from c360.webhooks import endpoints
from c360.webhooks.delivery import Engine
from c360.webhooks.outbox import record_events
from c360.webhooks.tables import webhook_attempts, webhook_messages
from tests.serving.backends import STORES, Backend, backend_for, migrate_store
from tests.webhooks.receiver import Receiver

ALL_EVENTS = ["subscriber.churn_risk.high", "subscriber.risk_tier.changed"]
FAST = {  # short retries, leases and polls: the suite's deliveries take milliseconds
    "webhook_allow_private_urls": True,
    "webhook_retry_schedule": "0.05,0.05,0.05",  # tests of the schedule itself give their own
    "webhook_poll_interval": 0.05,
    "webhook_timeout": 2.0,
    "webhook_lease_seconds": 3.0,
}


def tier(score: float) -> str:
    return "High" if score >= 0.30 else "Medium" if score >= 0.10 else "Low"


@dataclass
class Hooks:
    """A migrated serving store and what the tests do with it."""

    settings: Settings
    store: Store
    home: Path
    runs: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def endpoint(self, url: str, event_types: list[str] | None = None) -> tuple[str, str]:
        """A new endpoint's id and secret."""
        created, secret = endpoints.create(self.store, self.settings, url=url, event_types=event_types or ALL_EVENTS)
        return created.id, secret

    def publish(self, scores: dict[str, float]) -> PublishResult:
        """Publish a scoring run with these scores (the first one into an empty store is the baseline)."""
        n = next(self.runs)
        day = date(2025, 11, 1) + timedelta(days=n)
        now = datetime.now(UTC)
        rows = [
            {"subscriber_id": sid, "churn_risk_score": score, "risk_tier": tier(score), "score_date": day,
             "scored_at": now, "model_version": "churn-test", "status": "active",
             "drivers": [{"feature": "days_since_last_read", "value": 21, "contribution": 0.18,
                          "direction": "increases_risk"}]}
            for sid, score in scores.items()
        ]  # fmt: skip
        return write_run(
            self.store, self.settings, ScoringRun(f"run-{n}", day, "churn-test", now), rows, None, outbox=record_events
        )

    def messages(self, endpoint_id: str | None = None) -> list[sa.Row[Any]]:
        query = sa.select(webhook_messages).order_by(webhook_messages.c.seq)
        if endpoint_id:
            query = query.where(webhook_messages.c.endpoint_id == endpoint_id)
        with self.store.read() as conn:
            return list(conn.execute(query))

    def attempts(self, message_id: str) -> list[sa.Row[Any]]:
        with self.store.read() as conn:
            return list(
                conn.execute(
                    sa.select(webhook_attempts)
                    .where(webhook_attempts.c.message_id == message_id)
                    .order_by(webhook_attempts.c.attempted_at)
                )
            )

    def wait_until(self, check: Callable[[], bool], timeout: float = 15.0, what: str = "the condition") -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            time.sleep(0.05)

    def settled(self, count: int, timeout: float = 15.0) -> list[sa.Row[Any]]:
        """Wait until ``count`` messages exist and none is pending; returns them."""

        def done() -> bool:
            rows = self.messages()
            return len(rows) >= count and all(r.status != "pending" for r in rows)

        self.wait_until(done, timeout, f"{count} messages to be delivered or failed")
        return self.messages()

    @contextlib.contextmanager
    def engine(self, **overrides: Any) -> Iterator[Engine]:
        """The delivery engine running in a thread (with settings overrides), stopped afterwards."""
        settings = self.settings.model_copy(update=overrides) if overrides else self.settings
        engine = Engine(settings, store=self.store)
        thread = threading.Thread(target=engine.run_forever, daemon=True)
        thread.start()
        try:
            yield engine
        finally:
            engine.stop()
            thread.join(10)

    def env(self, backend: Backend, **overrides: Any) -> dict[str, str]:
        """The same configuration as C360_* variables, for a ``c360 worker`` process."""
        values: dict[str, Any] = {"C360_HOME": str(self.home), **backend.env()}
        for name, value in {**FAST, **overrides}.items():
            values[f"C360_{name.upper()}"] = str(int(value) if isinstance(value, bool) else value)
        return {k: str(v) for k, v in values.items()}


def make_settings(home: Path, backend: Backend, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "home": home,
        "env": "development",
        "api_rate_limit": 100_000,
        "api_auth_failure_limit": 100_000,
        **FAST,
    }
    return Settings(**{**values, **backend.settings_kwargs(), **overrides})


@pytest.fixture(params=STORES)
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Each case once per serving store (SQLite, PostgreSQL); ``parametrize(..., indirect=True)`` narrows it."""
    with backend_for(request.param) as chosen:
        yield chosen


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("C360_"):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def hooks(tmp_path: Path, backend: Backend, clean_env: None) -> Iterator[Hooks]:
    settings = make_settings(tmp_path, backend)
    migrate_store(settings)
    yield Hooks(settings, Store.from_settings(settings), tmp_path)
    dispose_engines()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.close()


@functools.cache
def migrated_warehouse() -> Path:
    """A migrated (empty) warehouse, once per session: ``c360 worker`` refuses to run without one."""
    home = Path(tempfile.mkdtemp(prefix="c360-webhooks-wh-"))
    atexit.register(shutil.rmtree, home, True)
    warehouse = Warehouse.from_settings(Settings(home=home))
    from pipeline_sql.migrate import migrate

    migrate(warehouse)
    return warehouse.duckdb_path


def give_warehouse(home: Path) -> None:
    """A copy of the migrated warehouse under ``home``."""
    shutil.copyfile(migrated_warehouse(), home / "warehouse.duckdb")
