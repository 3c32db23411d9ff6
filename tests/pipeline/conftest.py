"""A small generated dataset, loaded and built once per session, for tests that only read it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from c360.pipeline.run import STEPS, run_pipeline
from c360.settings import Settings
from c360.sources.generate import generate
from c360.sources.ingest import ingest
from c360.warehouse import Warehouse
from pipeline_sql.migrate import migrate

AS_OF = date(2026, 11, 24)
SCALE = 0.02  # 500 subscribers, ~90k content rows: seconds, not minutes
# the warehouse steps of `c360 pipeline run`; the model's steps are tested with the model
DATA_STEPS = [
    s
    for s in STEPS
    if s.task in ("sfe_process_subscribers_task", "sfe_process_engagement_task", "sfe_daily_build_task")
]


@dataclass(frozen=True)
class Built:
    sources: Path
    warehouse: Warehouse

    def copy(self, home: Path) -> Warehouse:
        """A private, writable copy of the built warehouse under ``home``."""
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.warehouse.duckdb_path, home / "warehouse.duckdb")
        return Warehouse.from_settings(Settings(home=home))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("built")
    sources = root / "sources"
    generate(sources, scale=SCALE, days=90, seed=3, as_of=AS_OF)
    warehouse = Warehouse.from_settings(Settings(home=root / "home", warehouse_lock_timeout=5))
    migrate(warehouse)
    results = ingest(
        warehouse,
        [
            sources / "subscription_events.jsonl",
            sources / "content_engagement.csv",
            sources / "support_tickets.parquet",
        ],
    )
    assert all(r.status == "loaded" for r in results), results
    run_pipeline(warehouse, as_of=AS_OF, steps=DATA_STEPS)
    return Built(sources, warehouse)
