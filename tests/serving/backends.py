"""The serving-store backends the suite runs against: SQLite, PostgreSQL, SQLite with Redis.

PostgreSQL (127.0.0.1:5432, trust auth, database ``test``) and Redis (127.0.0.1:6379) are used when
they answer; otherwise their cases are skipped with a reason ``pytest -ra`` prints. Each store gets
a fresh PostgreSQL schema (dropped afterwards) and each Redis user a key prefix of its own (deleted
afterwards), so runs never see each other's data.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import uvicorn

from c360.serving.migrate import render_upgrade, upgrade
from c360.serving.store import Store, dispose_engines
from c360.settings import Settings
from tests.conftest import free_port

PG_URL = os.environ.get("C360_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("C360_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
STORES = ["sqlite", "postgresql"]  # serving store backends
BACKENDS = [*STORES, "redis"]  # the API adds SQLite with Redis (shared cache and rate limits)


@cache
def postgres_down() -> str | None:
    """Why PostgreSQL cannot be used (None: it can)."""
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 2}, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_URL} ({type(exc).__name__}); .ci/run starts it"
    return None


@cache
def redis_down() -> str | None:
    """Why Redis cannot be used (None: it can)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:
        return f"Redis not reachable at {REDIS_URL} ({type(exc).__name__}); .ci/run starts it"
    return None


@dataclass(frozen=True)
class Backend:
    """Where one test's serving store, cache and rate limits live."""

    name: str
    serving_url: str | None  # None: the default SQLite file under C360_HOME
    redis_url: str | None
    redis_prefix: str

    def settings_kwargs(self) -> dict[str, Any]:
        """Settings fields for this backend."""
        return {"serving_url": self.serving_url, "redis_url": self.redis_url, "redis_prefix": self.redis_prefix}

    def env(self) -> dict[str, str]:
        """The same, as C360_* environment variables (for the CLI)."""
        values = {"C360_REDIS_PREFIX": self.redis_prefix}
        if self.serving_url:
            values["C360_SERVING_URL"] = self.serving_url
        if self.redis_url:
            values["C360_REDIS_URL"] = self.redis_url
        return values


@contextlib.contextmanager
def backend_for(name: str) -> Iterator[Backend]:
    """A fresh, isolated backend; skips the test when its service is down."""
    prefix = f"c360test:{uuid.uuid4().hex[:10]}:"
    if name == "postgresql":
        reason = postgres_down()
        if reason:
            pytest.skip(reason)
        with _pg_schema() as url:
            yield Backend(name, url, None, prefix)
        return
    redis_url = None
    if name == "redis":
        reason = redis_down()
        if reason:
            pytest.skip(reason)
        redis_url = REDIS_URL
    try:
        yield Backend(name, None, redis_url, prefix)
    finally:
        if redis_url:
            _delete_prefix(redis_url, prefix)


@contextlib.contextmanager
def _pg_schema() -> Iterator[str]:
    schema = f"c360_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        dispose_engines()  # close pooled connections into the schema before dropping it
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _delete_prefix(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)


def migrate_store(settings: Settings) -> None:
    """The empty serving store of ``settings`` at the newest revision, as ``c360 migrate`` leaves it, for a
    fraction of the cost: Alembic loads every revision's module and reflects on each upgrade (a tenth of a
    second or more, several hundred times a run). A SQLite store is a copy of one migrated once per process; a
    PostgreSQL schema runs the migrations' own SQL (Alembic's offline rendering, what ``c360 migrate --dry-run``
    prints), rendered once per process; tests/serving/test_migrate.py checks that both give the schema the
    migrations give. Each store then gets an id of its own, as the migration gives every store."""
    if sqlite_store(settings):
        copy_sqlite_store(_sqlite_template(), settings)
        return
    engine = Store.from_settings(settings).engine.execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(_postgres_script())  # its own BEGIN and COMMIT
    _new_store_id(settings)


def sqlite_store(settings: Settings) -> bool:
    """Whether the serving store of ``settings`` is a SQLite file."""
    return sa.engine.make_url(settings.resolved_serving_url).get_backend_name() == "sqlite"


def copy_sqlite_store(template: str, settings: Settings) -> None:
    """The SQLite store of ``settings`` as a copy of ``template`` (a store file), with a store id of its own."""
    url = sa.engine.make_url(settings.resolved_serving_url)
    assert url.database, url
    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # SQLite's backup, not a file copy: the template's last writes may still be in its write-ahead log
    with (
        contextlib.closing(sqlite3.connect(template)) as src,
        contextlib.closing(sqlite3.connect(url.database)) as dst,
    ):
        src.backup(dst)
    _new_store_id(settings)


def _new_store_id(settings: Settings) -> None:
    with Store.from_settings(settings).write() as conn:
        conn.execute(sa.text("UPDATE serving_state SET store_id = :id"), {"id": uuid.uuid4().hex})


@cache
def _sqlite_template() -> str:
    home = Path(tempfile.mkdtemp(prefix="c360-store-"))
    atexit.register(shutil.rmtree, home, True)
    path = home / "serving.sqlite"
    upgrade(Settings(home=home, serving_url=f"sqlite:///{path}"))
    return str(path)


@cache
def _postgres_script() -> str:
    return render_upgrade(PG_URL)


class _QuickServer(uvicorn.Server):
    """uvicorn's server, stopping in milliseconds. Its main loop looks at ``should_exit`` every 100 ms and its
    shutdown sleeps another 100 ms before waiting for connections: 0.2 s per server, and the suite starts some
    hundreds. The same steps here, polling every 5 ms (the tests' servers run without a lifespan)."""

    async def main_loop(self) -> None:
        ticks = 0
        while not await self.on_tick(0 if ticks % 200 == 0 else 1):  # tick 0 refreshes the Date header (1 s)
            ticks += 1
            await asyncio.sleep(0.005)

    async def shutdown(self, sockets: list[Any] | None = None) -> None:
        for server in self.servers:
            server.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()  # idle keep-alive connections close now, busy ones after their response
        deadline = time.monotonic() + 10
        while (self.server_state.connections or self.server_state.tasks) and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        for server in self.servers:
            await server.wait_closed()


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port, in a thread; yields the base URL."""
    port = free_port()
    server = _QuickServer(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.005)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
