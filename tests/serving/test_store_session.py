"""The serving store's PostgreSQL sessions: planned for index lookups and pages, not for parallel scans."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from c360.serving.store import Store
from c360.settings import Settings


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_postgresql_sessions_plan_without_parallel_workers_or_jit(serving: Settings) -> None:
    store = Store.from_settings(serving)
    for _ in range(2):  # a fresh connection, then one back from the pool after a rollback
        with store.read() as conn:
            workers = conn.execute(sa.text("SHOW max_parallel_workers_per_gather")).scalar_one()
            jit = conn.execute(sa.text("SHOW jit")).scalar_one()
            path = conn.execute(sa.text("SHOW search_path")).scalar_one()
        assert (workers, jit) == ("0", "off")
        assert path.startswith("c360_test_")  # the URL's own options still apply
