"""The serving store's PostgreSQL sessions: planned for index lookups and pages, not for parallel scans; reads in
autocommit; a pooled connection the server closed is replaced."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from c360.serving import store as store_module
from c360.serving.errors import ServingStoreUnavailable
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


def _backend_pid(conn: sa.Connection) -> int:
    return int(conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(serving: Settings, pid: int) -> None:
    """Close one server session, as a restart or an idle timeout would (from a connection of its own)."""
    other = sa.create_engine(serving.resolved_serving_url, poolclass=sa.pool.NullPool)
    with other.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    other.dispose()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_postgresql_reads_take_a_snapshot_per_statement_and_writes_one_per_transaction(serving: Settings) -> None:
    store = Store.from_settings(serving)
    for _ in range(2):  # a fresh connection, then a pooled one
        with store.read() as conn:  # autocommit: no BEGIN and ROLLBACK around a read's statement
            first = conn.execute(sa.text("SELECT now()")).scalar_one()
            second = conn.execute(sa.text("SELECT now()")).scalar_one()
            assert second > first
            assert conn.execute(sa.text("SELECT txid_current_if_assigned()")).scalar_one() is None
        with store.write() as conn:  # one transaction: now() is its start
            first = conn.execute(sa.text("SELECT now()")).scalar_one()
            second = conn.execute(sa.text("SELECT now()")).scalar_one()
            assert second == first


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_pooled_postgresql_connection_closed_while_idle_is_replaced_on_checkout(
    serving: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "IDLE_BEFORE_PING", 0.05)
    store = Store.from_settings(serving)
    for session in (store.read, store.write):
        with session() as conn:
            killed = _backend_pid(conn)
        _terminate(serving, killed)
        time.sleep(0.1)  # rested longer than IDLE_BEFORE_PING: checked on checkout, and replaced
        with session() as conn:
            assert _backend_pid(conn) != killed
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1


def _pid_of(conn: Any) -> int:
    """The backend of a SQLAlchemy connection (``read``) or of a driver's (``driver_read``)."""
    if isinstance(conn, sa.Connection):
        return _backend_pid(conn)
    return int(conn.execute("SELECT pg_backend_pid()").fetchone()[0])


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.parametrize("path", ["read", "driver_read"])  # SQLAlchemy's reads; the lookups' driver connection
def test_a_postgresql_restart_fails_one_read_and_the_pool_recovers(
    serving: Settings, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.setattr(store_module, "IDLE_BEFORE_PING", 3600.0)  # never rested long enough to be checked
    store = Store.from_settings(serving)
    session = getattr(store, path)
    with session() as one, session() as two:  # two pooled connections
        killed = {_pid_of(one), _pid_of(two)}
    for pid in killed:  # the server went away under both
        _terminate(serving, pid)
    with pytest.raises(ServingStoreUnavailable, match="unavailable"), session() as conn:
        _pid_of(conn)
    with session() as conn:  # not the other dead connection: the failure invalidated the pool
        assert _pid_of(conn) not in killed
    with store.read() as conn:  # which both paths share
        assert _backend_pid(conn) not in killed


def test_a_driver_read_fails_as_a_read_does_without_its_parameters(serving: Settings) -> None:
    store = Store.from_settings(serving)
    marker = "%(secret)s" if store.dialect == "postgresql" else ":secret"
    statement = f"SELECT health_json FROM served_subscribers_gone WHERE subscriber_id = {marker}"
    with pytest.raises(ServingStoreUnavailable) as failed, store.driver_read() as conn:
        conn.execute(statement, {"secret": "hunter2"})
    assert "is not migrated; run `c360 migrate`" in str(failed.value)
    assert "hunter2" not in str(failed.value) and "hunter2" not in str(failed.value.__cause__)
    with store.driver_read() as conn:  # the connection went back to the pool usable
        assert conn.execute("SELECT 1").fetchone()[0] == 1


def test_a_driver_read_of_an_unreachable_postgresql_store_is_unavailable_without_its_password(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, serving_url="postgresql+psycopg://c360:hunter2@127.0.0.1:1/none")
    store = Store.from_settings(settings)
    with pytest.raises(ServingStoreUnavailable, match="is unavailable") as failed, store.driver_read() as conn:
        conn.execute("SELECT 1")
    assert "hunter2" not in str(failed.value)
