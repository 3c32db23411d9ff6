"""Publish from a ``snowflake://`` warehouse (fakesnow): the production path's reads, as far as runs here."""

from __future__ import annotations

from collections.abc import Iterator

import fakesnow
import pytest

from c360.serving import queries
from c360.serving.migrate import upgrade
from c360.serving.publish import publish
from c360.serving.store import Store, dispose_engines
from c360.settings import Settings, get_settings
from c360.warehouse import Warehouse
from c360.webhooks.outbox import record_events
from pipeline_sql.migrate import template_variables
from pipeline_sql.scripts import load_scripts
from tests.serving.data import seed_warehouse


@pytest.fixture
def snowflake(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Settings, Warehouse]]:
    """C360_WAREHOUSE_URL=snowflake://…, answered by fakesnow, with the tables publish reads."""
    monkeypatch.setenv("C360_WAREHOUSE_URL", "snowflake://u:p@acct/db/public")
    get_settings.cache_clear()
    configured = get_settings()
    with fakesnow.patch():
        warehouse = Warehouse.from_settings(configured)
        assert warehouse.target == "snowflake"
        with warehouse.connect() as conn:
            for script in load_scripts(variables=template_variables(warehouse.task_parameters)):
                # tables (and the feature labels) only: no streams or tasks here
                if (
                    script.name[:4] in ("V001", "V002", "V003", "V005", "V006", "V009", "V010")
                    or "feature_labels" in script.name
                ):
                    for statement in script.statements:
                        conn.execute(statement)
        upgrade(configured)
        yield configured, warehouse
    dispose_engines()
    get_settings.cache_clear()


@pytest.mark.slow  # fakesnow translates every statement of the publish's reads: 8 s of CPU
def test_publish_reads_a_snowflake_warehouse(snowflake: tuple[Settings, Warehouse]) -> None:
    settings, warehouse = snowflake
    expected = seed_warehouse(warehouse)
    result = publish(settings, outbox=record_events)
    assert result.status == "published" and result.subscribers == len(expected.ids)
    store = Store.from_settings(settings)
    run = queries.current_run(store)
    assert run is not None and run.run_id == result.run_id
    some = next(iter(expected.scored))
    health = queries.get_health_score(store, run=run, subscriber_id=some)
    assert health["churn_risk_score"] == pytest.approx(expected.scored[some])
    assert publish(settings, outbox=record_events).status == "already published"
