"""The model tests read the run's built warehouse (``built``, tests/conftest.py) and a trained copy of it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AS_OF, Built, using_home

LATEST_LABELLED = AS_OF - timedelta(days=35)  # the newest weekly snapshot with a complete 30-day label
__all__ = ["AS_OF", "LATEST_LABELLED", "Built", "using_home"]


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
