"""The serving store: one SQLAlchemy URL (SQLite beside the warehouse by default, PostgreSQL in production).

Tables are SQLAlchemy Core; ``c360/serving/migrations`` creates them (Alembic, applied by
``c360 migrate``). The tables of API keys, the events inbox and webhooks live beside their code
(``c360.auth.keys``, ``c360.sources.inbox``, ``c360.webhooks.tables``) in this module's MetaData;
``c360.schema`` gathers them all. Every run's rows are keyed by the run's ``seq``; which run is served is the one row
of ``serving_state``, moved by a publish (forward only) or an explicit rollback, each a new *version*.
Earlier runs stay readable for pinned paging cursors, and ``served_changes`` records, per version, the
subscribers whose served state changed: the change feed's sync tokens are versions, never clock times.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pydantic_core
import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from c360.errors import ConfigError
from c360.serving.errors import ServingStoreUnavailable
from c360.settings import Settings
from c360.text import masked_url

metadata = sa.MetaData()


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A UTC timestamp: stored naive (SQLite has no time zones), always returned aware."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


# One row per published scoring run (kind: publish, or backfill for a day older than the served one, whose
# scores go to score_history only); which of them is served is serving_state's.
served_runs = sa.Table(
    "served_runs",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(64), nullable=False, unique=True),
    sa.Column("score_date", sa.Date, nullable=False),
    sa.Column("model_version", sa.String(64), nullable=False),
    sa.Column("scored_at", UTCDateTime, nullable=False),
    sa.Column("published_at", UTCDateTime, nullable=False),
    sa.Column("previous_seq", sa.Integer),  # the run served when this one was published
    sa.Column("subscribers", sa.Integer, nullable=False),
    sa.Column("tier_high", sa.Float, nullable=False),
    sa.Column("tier_medium", sa.Float, nullable=False),
    sa.Column("high_count", sa.Integer, nullable=False),
    sa.Column("medium_count", sa.Integer, nullable=False),
    sa.Column("low_count", sa.Integer, nullable=False),
    sa.Column("pruned", sa.Boolean, nullable=False),  # its subscriber rows are gone (retention)
    sa.Column("kind", sa.String(16), nullable=False, server_default="publish"),  # publish | backfill
)

# The one row saying what is served: the version (moved by every publish of a newer day and every rollback),
# its run, and the oldest sync token the change feed still answers. Every publish updates this row before
# anything else, so publishes are serialized by its row lock (PostgreSQL) or the write lock (SQLite).
serving_state = sa.Table(
    "serving_state",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),  # always 1
    sa.Column("store_id", sa.String(32), nullable=False),  # in every sync token: a token of another store is not ours
    sa.Column("version", sa.Integer, nullable=False),  # 0 until the first publish
    sa.Column("run_seq", sa.Integer, sa.ForeignKey("served_runs.seq")),
    sa.Column("feed_floor", sa.Integer, nullable=False),  # sync tokens older than this answer 410
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# Every version of the served state: which run it served, how it got there, and why (rollbacks).
serving_versions = sa.Table(
    "serving_versions",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("run_seq", sa.Integer, sa.ForeignKey("served_runs.seq"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # publish | rollback
    sa.Column("previous_version", sa.Integer),
    sa.Column("reason", sa.String(500)),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

# The change feed: one row per subscriber whose served state (score, tier, model, or removal) changed in a
# version, with the state before (prev_*), so a delta over several versions can drop what changed back.
served_changes = sa.Table(
    "served_changes",
    metadata,
    sa.Column("subscriber_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("state", sa.String(8), nullable=False),  # served | removed
    sa.Column("churn_risk_score", sa.Float),
    sa.Column("risk_tier", sa.String(8)),
    sa.Column("model_version", sa.String(64)),
    sa.Column("prev_state", sa.String(8), nullable=False),  # absent | served | removed
    sa.Column("prev_score", sa.Float),
    sa.Column("prev_tier", sa.String(8)),
    sa.Column("prev_model", sa.String(64)),
    sa.Column("removal", sa.JSON(none_as_null=True)),  # removed: reason, removed_at, score_date, ..., last
    sa.Index("ix_served_changes_version", "version", "subscriber_id"),  # a delta: a version range, by id
)

# Tombstones: subscribers served before and absent from the served run, with why and their last score.
served_removals = sa.Table(
    "served_removals",
    metadata,
    sa.Column("subscriber_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("removal", sa.JSON, nullable=False),  # reason, removed_at, score_date, cancelled_at, was_high, last
)

# The snapshot of one run: profile (from DIM_SUBSCRIBERS and the facts) and health score per subscriber.
served_subscribers = sa.Table(
    "served_subscribers",
    metadata,
    sa.Column("run_seq", sa.Integer, sa.ForeignKey("served_runs.seq"), primary_key=True),
    sa.Column("subscriber_id", sa.String(64), primary_key=True),
    sa.Column("status", sa.String(32)),
    sa.Column("plan", sa.String(64)),
    sa.Column("signup_date", sa.Date),
    sa.Column("tenure_days", sa.Integer),
    sa.Column("lifetime_value", sa.Float),
    sa.Column("demographic_segment", sa.String(64)),
    sa.Column("profile_as_of", sa.Date),
    sa.Column("cancelled_at", UTCDateTime),
    sa.Column("articles_viewed", sa.Integer),
    sa.Column("total_time_spent", sa.Integer),
    sa.Column("distinct_sections", sa.Integer),
    sa.Column("days_since_last_read", sa.Integer),
    sa.Column("support_tickets_90d", sa.Integer),
    sa.Column("churn_risk_score", sa.Float),  # NULL: in the profile snapshot but not scored by this run
    sa.Column("risk_tier", sa.String(8)),
    sa.Column("previous_risk_tier", sa.String(8)),
    sa.Column("score_date", sa.Date),
    sa.Column("scored_at", UTCDateTime),
    sa.Column("model_version", sa.String(64)),
    sa.Column("updated_at", UTCDateTime),  # when score, tier or model last changed (incremental sync)
    # the health score as the API renders it (c360.serving.rendered), at publish; the only copy of its drivers
    sa.Column("health_json", sa.Text),
    sa.Index("ix_served_subscribers_tier", "run_seq", "risk_tier", "subscriber_id"),
)

# One score per subscriber per score_date, for C360_SERVING_HISTORY_DAYS.
score_history = sa.Table(
    "score_history",
    metadata,
    sa.Column("subscriber_id", sa.String(64), primary_key=True),
    sa.Column("score_date", sa.Date, primary_key=True),
    sa.Column("run_id", sa.String(64), nullable=False),
    sa.Column("churn_risk_score", sa.Float, nullable=False),
    sa.Column("risk_tier", sa.String(8), nullable=False),
    sa.Column("model_version", sa.String(64), nullable=False),
    sa.Column("scored_at", UTCDateTime, nullable=False),
    sa.Index("ix_score_history_date", "score_date"),
)

# The models that scored published runs (from CHURN_MODEL_REGISTRY).
served_models = sa.Table(
    "served_models",
    metadata,
    sa.Column("model_version", sa.String(64), primary_key=True),
    sa.Column("trained_at", UTCDateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("data_window_start", sa.Date, nullable=False),
    sa.Column("data_window_end", sa.Date, nullable=False),
    sa.Column("features", sa.JSON, nullable=False),
    sa.Column("metrics", sa.JSON, nullable=False),
    sa.Column("train_rows", sa.Integer, nullable=False),
    sa.Column("test_rows", sa.Integer, nullable=False),
)

# The model lifecycle as the warehouse last showed it at a publish: every registered model with its gate
# decision (c360.model.lifecycle.ModelRecord) and its realised performance per closed score date.
served_model_lifecycle = sa.Table(
    "served_model_lifecycle",
    metadata,
    sa.Column("model_version", sa.String(64), primary_key=True),
    sa.Column("trained_at", UTCDateTime, nullable=False),
    sa.Column("model", sa.JSON, nullable=False),  # ModelRecord.to_dict()
    sa.Column("performance", sa.JSON, nullable=False),  # [PerformanceRecord.to_dict()], oldest score date first
    sa.Column("published_at", UTCDateTime, nullable=False),
)


# --- operations (c360/ops) ------------------------------------------------------------------------
# Alerts on the SLAs and failure modes: one row per alert key, open until its condition clears. A raise
# and its resolve are webhook messages (ops.alert.raised / ops.alert.resolved) written with the change.
ops_alerts = sa.Table(
    "ops_alerts",
    metadata,
    sa.Column("alert_key", sa.String(200), primary_key=True),  # kind:subject, the same for a raise and its resolve
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("summary", sa.String(500), nullable=False),
    sa.Column("details", sa.Text, nullable=False),  # JSON
    sa.Column("status", sa.String(16), nullable=False),  # open | resolved
    sa.Column("raised_at", UTCDateTime, nullable=False),
    sa.Column("resolved_at", UTCDateTime),
    sa.Column("times_raised", sa.Integer, nullable=False),
)


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Store:
    """The serving store behind ``C360_SERVING_URL``."""

    engine: sa.Engine  # writes, and everything that needs a transaction
    reader: sa.Engine  # reads (``read()``): the same engine on SQLite, a pool of its own on PostgreSQL

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """The store for these settings (its engines, and so their pools, made once per URL and process)."""
        url = settings.resolved_serving_url
        return cls(_engine(url), _engine(url, reads=True))

    @property
    def display(self) -> str:
        """The URL without its password (nor one in its query string), for messages."""
        return masked_url(self.engine.url.render_as_string(hide_password=True))

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A connection for reads; store failures become ServingStoreUnavailable.

        Each statement sees what was committed when it started, as in a READ COMMITTED transaction (which
        takes a new snapshot per statement too) and in SQLite's own autocommit reads: a read needing several
        statements to agree must check for itself, as the change feed does with its floor.
        """
        with _translated(self), self.reader.connect() as conn:
            yield conn

    @contextmanager
    def driver_read(self) -> Iterator[Any]:
        """The DB-API connection of a pooled reader (sqlite3's or psycopg's), for the hottest reads only: a lookup
        and a batch-get, each one statement in the driver's own SQL.

        SQLAlchemy's Connection and Result cost two thirds of a lookup's read on SQLite (43 us with them, 15 us
        without; docs/benchmarks.md). What they do for a read is kept: the pool's checkout and its checks; a
        driver error raised as SQLAlchemy's, and so as ``read`` raises it (ServingStoreUnavailable for a store
        down or not migrated, never its parameters); a connection the server dropped invalidated with the pool's
        others, as SQLAlchemy's own error handling does.
        """
        error = self.reader.dialect.loaded_dbapi.Error
        with _translated(self):
            try:  # unlike a Connection's, the pool's own checkout raises the driver's error as it is
                proxied = self.reader.raw_connection()
            except error as exc:
                raise self._driver_error(None, exc) from exc
            try:
                yield proxied.driver_connection
            except error as exc:
                raise self._driver_error(proxied, exc) from exc
            finally:
                proxied.close()

    def _driver_error(self, proxied: Any, exc: Any) -> BaseException:  # exc: the driver's Error, whichever driver
        dialect = self.reader.dialect
        disconnect = proxied is not None and dialect.is_disconnect(exc, proxied.dbapi_connection, None)
        if disconnect:
            # as SQLAlchemy's Connection does on a disconnect (engine/base.py, _handle_dbapi_exception): the pool's
            # connections as old as this one are as likely gone, and each is replaced at its next checkout
            self.reader.pool._invalidate(proxied, exc)
        wrapped: BaseException = DBAPIError.instance(
            None, None, exc, dialect.loaded_dbapi.Error, hide_parameters=True, connection_invalidated=disconnect
        )
        return wrapped

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        with _translated(self), self.engine.begin() as conn:
            yield conn

    def refresh_statistics(self) -> None:
        """Let SQLite's planner know the tables' sizes after a publish (PostgreSQL's autovacuum does this), so
        a delta reads the change feed by version, not by scanning it by id. Bounded: an approximate ANALYZE."""
        if self.dialect == "sqlite":
            with self.write() as conn:
                conn.exec_driver_sql("PRAGMA analysis_limit=1000")
                conn.exec_driver_sql("ANALYZE served_changes")
                conn.exec_driver_sql("ANALYZE served_subscribers")


@contextmanager
def _translated(store: Store) -> Iterator[None]:
    try:
        yield
    except DBAPIError as exc:
        text = str(exc.orig).lower()
        if "no such table" in text or ("relation" in text and "does not exist" in text):
            raise ServingStoreUnavailable(f"serving store {store.display} is not migrated; run `c360 migrate`") from exc
        if exc.connection_invalidated or isinstance(exc, sa.exc.OperationalError):
            first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
            raise ServingStoreUnavailable(f"serving store {store.display} is unavailable: {first}") from exc
        raise


_engines: dict[tuple[str, bool], sa.Engine] = {}
_engines_lock = threading.Lock()


def _engine(url: str, *, reads: bool = False) -> sa.Engine:
    if reads and sa.make_url(url).get_backend_name() != "postgresql":
        reads = False  # SQLite reads outside a transaction already (pysqlite begins one only before a write)
    with _engines_lock:
        if (url, reads) not in _engines:
            _engines[url, reads] = _create_engine(url, reads=reads)
        return _engines[url, reads]


# libpq: give up connecting after 10 s; find a dead peer of an open connection in about 25 s (TCP keepalives)
_PG_LIVENESS = {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                "keepalives_count": 3}  # fmt: skip


def _create_engine(raw: str, *, reads: bool = False) -> sa.Engine:
    try:
        url = sa.make_url(raw)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise ConfigError(f"C360_SERVING_URL is not a valid SQLAlchemy URL: {masked_url(raw)!r}") from None
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"C360_SERVING_URL must be sqlite:///path or postgresql+psycopg://..., not {backend}://")
    # pydantic-core's JSON parser (Rust) reads the JSON columns (drivers) several times faster than
    # json.loads: a batch-get of 100 scores spent a quarter of its time there.
    options: dict[str, Any] = {
        "json_deserializer": pydantic_core.from_json,
        # a failing statement's message must never print its parameters: subscriber rows, payloads, secrets
        "hide_parameters": True,
    }
    if reads:
        # PostgreSQL reads in autocommit: a read in a transaction cost a BEGIN and a ROLLBACK, two round trips
        # more than its one statement (a lookup: 560 against 270 us on loopback, docs/benchmarks.md)
        options["isolation_level"] = "AUTOCOMMIT"
    if backend == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"timeout": 15}
    elif backend == "postgresql":
        # a server that stops answering (a partition drops packets, no reset) held every request and the pool's
        # connections for good: libpq waits for ever by default. The URL's own values win.
        options["connect_args"] = {k: v for k, v in _PG_LIVENESS.items() if k not in url.query}
    try:
        engine = sa.create_engine(url, **options)
    except NoSuchModuleError:
        raise ConfigError(f"C360_SERVING_URL: no driver installed for {url.drivername}") from None
    if backend == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        sa.event.listen(engine, "connect", _postgresql_session)
        sa.event.listen(engine, "checkin", _returned)
        sa.event.listen(engine, "checkout", _alive_after_idle)
    return engine


IDLE_BEFORE_PING = 1.0  # seconds a pooled PostgreSQL connection may rest before it is checked on checkout


def _returned(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["returned_at"] = time.monotonic()


def _alive_after_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Check a pooled PostgreSQL connection that rested (a server restart or an idle timeout may have closed it),
    as ``pool_pre_ping`` does, but only then: pinging on every checkout was a round trip per request. A
    connection the server dropped within the last second fails the statement instead (a 503), and SQLAlchemy
    then replaces the whole pool; the next request gets a new connection."""
    returned = record.info.get("returned_at")
    if returned is None or time.monotonic() - returned < IDLE_BEFORE_PING:
        return
    try:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # the ping must not open a transaction the checkout then holds
        cursor = dbapi_connection.cursor()  # DB-API, whichever PostgreSQL driver the URL names
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
            dbapi_connection.autocommit = autocommit
    except Exception as exc:  # any failure means this connection is gone
        raise sa.exc.DisconnectionError(f"a pooled connection failed its check: {exc}") from exc


def _postgresql_session(dbapi_connection: Any, _record: Any) -> None:
    # The store answers lookups and pages of 500 by index: at 5 M subscribers the planner chose a parallel plan
    # for a feed page, whose workers' start-up (18-150 ms) cost 10-100 times the page itself (1.7 ms without),
    # and JIT compiled a delta query for 3 s (docs/benchmarks.md, PostgreSQL serving store).
    dbapi_connection.execute("SET max_parallel_workers_per_gather = 0")
    dbapi_connection.execute("SET jit = off")
    dbapi_connection.commit()  # a SET, not SET LOCAL: it holds for the session once committed


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL: API readers keep reading the committed run while a publish writes the next one.
    # synchronous=FULL: an accepted event is on disk before the API answers 202.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    # reads are page lookups: memory-map the file (one copy, shared by connections and processes), as much of it
    # as the build allows (SQLite clamps this to its SQLITE_MAX_MMAP_SIZE, 2 GB in Debian's): a store of 1,000,000
    # subscribers is 2.1 GB, and its lookups past the first 1 GB, read through SQLite's 2 MB page cache instead,
    # made a batch-get of 100 ids cost a quarter more CPU
    cursor.execute("PRAGMA mmap_size=17179869184")
    cursor.close()


def dispose_engines() -> None:
    """Close every pooled connection (tests, and after forking)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
