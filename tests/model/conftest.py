"""A small generated warehouse, built once per session; tests copy it (and a trained copy) into their home.

Scale 0.1 (2,500 subscribers) is the smallest at which the model's test AUC sits reliably above the 0.80
gate, so the tests see the real model, not a toy.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from c360.pipeline.run import STEPS, run_pipeline
from c360.settings import Settings
from c360.sources.generate import generate
from c360.sources.ingest import ingest
from c360.warehouse import Warehouse
from pipeline_sql.migrate import migrate

AS_OF = date(2026, 11, 24)
LATEST_LABELLED = AS_OF - timedelta(days=35)  # the newest weekly snapshot with a complete 30-day label
SCALE = 0.1
DAYS = 130  # ten labelled weekly snapshots: 5 to train on, 4 purged, 1 to test on; 100 days to train
SEED = 7
DATA_TASKS = ("sfe_process_subscribers_task", "sfe_process_engagement_task", "sfe_daily_build_task")
DATA_STEPS = [s for s in STEPS if s.task in DATA_TASKS]  # the warehouse only: no model yet


@dataclass(frozen=True)
class Built:
    """A built home (warehouse and, once trained, model artifacts) to copy from."""

    sources: Path
    home: Path

    def copy(self, home: Path) -> Warehouse:
        """A private, writable copy under ``home`` (the caller's C360_HOME)."""
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.home / "warehouse.duckdb", home / "warehouse.duckdb")
        if (self.home / "models").exists():
            shutil.copytree(self.home / "models", home / "models", dirs_exist_ok=True)
        return Warehouse.from_settings(Settings(home=home, warehouse_lock_timeout=5))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Generated, ingested and built up to the daily analytics; no model yet."""
    root = tmp_path_factory.mktemp("model-built")
    sources = root / "sources"
    generate(sources, scale=SCALE, days=DAYS, seed=SEED, as_of=AS_OF)
    home = root / "home"
    warehouse = Warehouse.from_settings(Settings(home=home, warehouse_lock_timeout=5))
    migrate(warehouse)
    files = [sources / "subscription_events.jsonl", sources / "content_engagement.csv"]
    results = ingest(warehouse, [*files, sources / "support_tickets.parquet"])
    assert all(r.status == "loaded" for r in results), results
    run_pipeline(warehouse, as_of=AS_OF, steps=DATA_STEPS)
    return Built(sources, home)


@pytest.fixture(scope="session")
def trained(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The built warehouse with a current model (trained as of AS_OF) and a scoring run of AS_OF."""
    from c360.pipeline.model_steps import score_subscribers, train_model

    home = tmp_path_factory.mktemp("model-trained") / "home"
    warehouse = built.copy(home)
    outcome = train_model(warehouse, as_of=AS_OF)
    assert outcome.entry.status == "current", outcome.entry.message
    score_subscribers(warehouse, as_of=AS_OF)
    return Built(built.sources, home)
