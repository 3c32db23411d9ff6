"""The model tests read the run's built warehouse (``built``, tests/conftest.py) and a trained copy of it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import AS_OF, Built, once_per_run, using_home

LATEST_LABELLED = AS_OF - timedelta(days=35)  # the newest weekly snapshot with a complete 30-day label
__all__ = ["AS_OF", "LATEST_LABELLED", "Built", "using_home"]


@pytest.fixture(scope="session")
def trained(built: Built, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Built:
    """The built warehouse with a current model (trained as of AS_OF) and a scoring run of AS_OF. Trained once
    per run (the first xdist worker trains, the others wait), each worker reading its own copy."""
    from c360.pipeline.model_steps import score_subscribers, train_model

    def train(root: Path) -> None:
        warehouse = built.copy(root / "home")
        outcome = train_model(warehouse, as_of=AS_OF)
        assert outcome.entry.status == "current", outcome.entry.message
        score_subscribers(warehouse, as_of=AS_OF)

    shared = once_per_run(tmp_path_factory, worker_id, "trained-warehouse", train)
    home = tmp_path_factory.mktemp("model-trained") / "home"
    Built(built.sources, shared / "home").copy(home)
    return Built(built.sources, home)
