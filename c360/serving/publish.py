"""``c360 publish``: copy a scoring run, with its point-in-time profile snapshot, into the serving store.

What is served only moves forward. A run of a newer day than the served one (or a newer run of the
same day) becomes the served run: a new version, its change-feed rows and tombstones, its webhook
events. A run of an older day is a *backfill*: its scores go to the score history (the history
endpoint shows them) and nothing served changes, no event is sent. Serving an older day on purpose is
a *rollback* (``rollback=True`` with a reason): a new version serving that run, recorded with the
reason, its changes in the feed, and no webhook events for a run that is replayed.

One serving-store transaction per publish, serialized by the state row's lock (c360.serving.state):
the version becomes visible only at commit, so a publish that fails (or is killed) leaves the
previous run served, and concurrent publishes each compare with the run served before them.
Publishing a run that is already in the store changes nothing.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa

from c360 import failpoints
from c360.errors import UsageError
from c360.serving import activity, analytics, bulk, changes, state
from c360.serving.errors import NothingToPublish
from c360.serving.rendered import health_json
from c360.serving.snapshot import (
    ModelLifecycle,
    ScoringRun,
    point_in_time_profiles,
    read_lifecycle,
    read_model,
    read_subscribers,
    run_of_day,
)
from c360.serving.store import (
    Store,
    score_history,
    served_changes,
    served_model_lifecycle,
    served_models,
    served_runs,
    served_subscribers,
    utcnow,
)
from c360.settings import Settings
from c360.text import screen_rows
from c360.warehouse import Warehouse

log = logging.getLogger(__name__)

_LENGTHS = {
    c.name: c.type.length for c in served_subscribers.columns if isinstance(c.type, sa.String) and c.type.length
}
_SUBSCRIBER_COLUMNS = [
    c.name
    for c in served_subscribers.columns
    if c.name not in ("run_seq", "previous_risk_tier", "updated_at", "health_json")
]


class Outbox(Protocol):
    """Writes the webhook messages of a publish inside its transaction, so they commit with it or not at all.

    ``c360.webhooks.outbox.record_events`` is the one the CLI and the worker pass; publishing never imports
    the webhooks (they read the store's tables, so the dependency goes that way only).
    """

    def __call__(
        self,
        conn: sa.Connection,
        *,
        run_seq: int,
        previous_seq: int | None,
        now: datetime,
        removals: Sequence[changes.Removal] = (),
    ) -> int: ...


@dataclass(frozen=True)
class PublishResult:
    """What a publish did.

    status: ``published`` (now served), ``rolled back`` (an older run served on purpose), ``backfill``
    (history only), ``already published`` or ``superseded`` (a newer run of the same day is served).
    """

    run_id: str
    score_date: date
    status: str
    subscribers: int = 0  # profiles written (scored or not)
    tiers: dict[str, int] = field(default_factory=dict)  # scored subscribers per tier
    previous_run_id: str | None = None
    served_score_date: date | None = None  # the day served after this publish
    version: int | None = None
    changed: int = 0  # subscribers in the change feed for this version (removals included)
    removed: int = 0
    seconds: float = 0.0
    set_aside: list[str] = field(default_factory=list)  # why rows the store cannot hold were left out

    @property
    def scored(self) -> int:
        """Subscribers the run scored."""
        return sum(self.tiers.values())


@dataclass(frozen=True)
class _Snapshot:
    """A scoring run as read from the warehouse, ready to write."""

    run: ScoringRun
    rows: Sequence[dict[str, Any]]
    model: dict[str, Any] | None
    lifecycle: list[ModelLifecycle]
    analytics: analytics.Analytics | None = None


@contextmanager
def full_collections_deferred() -> Iterator[None]:
    """No full collection of CPython's cyclic garbage collector until the block ends; the young ones still run.

    A publish holds the whole served run in memory (at scale 1 with 360 days of history, about two million
    objects the collector tracks: each row's values and drivers), and every full collection traverses all of
    them: four in one publish there, 0.7 s of its CPU (docs/benchmarks.md). Nothing is kept alive by this: the
    rows are freed by reference counting when the publish returns, short-lived cycles (of this thread or the
    worker's webhook engine) by the young collections, and the next full collection comes after the block.

    The thresholds are the process's, so overlapping blocks (two publishes in two threads) share one deferral:
    the first saves the thresholds, the last gives them back, whichever order they end in.
    """
    with _deferral:
        if _deferral.depth == 0:
            _deferral.saved = gc.get_threshold()
            gc.set_threshold(_deferral.saved[0], _deferral.saved[1], _NEVER)
        _deferral.depth += 1
    try:
        yield
    finally:
        with _deferral:
            _deferral.depth -= 1
            if _deferral.depth == 0:
                young, middle, _ = gc.get_threshold()  # a change made meanwhile to the young ones stays
                gc.set_threshold(young, middle, _deferral.saved[2])


class _Deferral:
    """The blocks deferring full collections now, and the thresholds the first of them found."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.depth = 0
        self.saved: tuple[int, int, int] = gc.get_threshold()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *_: object) -> None:
        self._lock.release()


_deferral = _Deferral()
_NEVER = 2**30  # middle-generation collections before a full one is due: more than any publish makes


@full_collections_deferred()
def publish(
    settings: Settings,
    *,
    outbox: Outbox,
    score_date: date | None = None,
    rollback: bool = False,
    reason: str | None = None,
    warehouse: Warehouse | None = None,
    store: Store | None = None,
) -> PublishResult:
    """Publish the latest scoring run (of ``score_date``), its webhook events written by ``outbox``; a rollback
    serves that day's run whatever is newer (and sends no events)."""
    if rollback and (score_date is None or not (reason or "").strip()):
        raise UsageError("a rollback names the day to serve and why: --score-date DATE --rollback --reason TEXT")
    warehouse = warehouse or Warehouse.from_settings(settings)
    store = store or Store.from_settings(settings)
    with warehouse.connect() as conn:
        run = run_of_day(conn, score_date)
        if run is None:
            raise NothingToPublish(f"no scoring run in {warehouse.display}: FCT_CUSTOMER_HEALTH_SCORES is empty")
        if not rollback and _published(store, run.run_id):  # the usual repeat: no need to read the snapshot
            return PublishResult(run.run_id, run.score_date, "already published")
        profiles = point_in_time_profiles(conn, run.score_date)
        rows, model = read_subscribers(conn, run, profiles), read_model(conn, run.model_version)
        aggregates = analytics.read_analytics(conn, run, rows, profiles)
        snapshot = _Snapshot(run, rows, model, read_lifecycle(conn), aggregates)
    if rollback:
        return roll_back(
            store,
            settings,
            snapshot.run,
            snapshot.rows,
            snapshot.model,
            reason=str(reason),
            lifecycle=snapshot.lifecycle,
            aggregates=snapshot.analytics,
        )
    return write_run(
        store,
        settings,
        snapshot.run,
        snapshot.rows,
        snapshot.model,
        outbox=outbox,
        lifecycle=snapshot.lifecycle,
        aggregates=snapshot.analytics,
    )


def write_run(
    store: Store,
    settings: Settings,
    run: ScoringRun,
    rows: Sequence[dict[str, Any]],
    model: dict[str, Any] | None,
    *,
    outbox: Outbox,
    lifecycle: list[ModelLifecycle] | None = None,
    aggregates: analytics.Analytics | None = None,
) -> PublishResult:
    """Write one run: served when it is newer than the served run, else kept as history (a backfill); with
    the model lifecycle the warehouse shows (None: leave it as it is)."""
    started, now = time.perf_counter(), utcnow()
    rows, set_aside = _screened(rows)
    with store.write() as conn:
        current = state.lock(conn, now)
        if lifecycle is not None:
            _record_lifecycle(conn, lifecycle, now)
        # The dashboard's aggregates (c360.serving.analytics) are the served day's: its 26 weeks of engagement,
        # its cohorts, the drift up to it. A backfill or a superseded run leaves them as they are (its day's
        # tiers join the history from the scoring monitor at the next publish that serves).
        if _seq_of(conn, run.run_id) is not None:  # a concurrent publish of the same run won
            return PublishResult(run.run_id, run.score_date, "already published")
        served = _run_row(conn, current.run_seq)
        if served is not None and (run.score_date, run.scored_at) <= (served.score_date, served.scored_at):
            result = _backfill(conn, settings, run, rows, model, served, now)
        else:
            result = _serve(conn, settings, current, run, rows, model, served, now, outbox=outbox)
            if aggregates is not None:  # and each subscriber's 90 days and tickets, kept with the served run
                analytics.record(conn, aggregates, now)
                activity.record(conn, run_seq=int(_seq_of(conn, run.run_id) or 0), activity=aggregates.activity)
        failpoints.hit("publish.before_commit")  # everything written, nothing served yet
    if result.version is not None:
        store.refresh_statistics()
    return _timed(dataclasses.replace(result, set_aside=set_aside), started)


def roll_back(
    store: Store,
    settings: Settings,
    run: ScoringRun,
    rows: Sequence[dict[str, Any]],
    model: dict[str, Any] | None,
    *,
    reason: str,
    lifecycle: list[ModelLifecycle] | None = None,
    aggregates: analytics.Analytics | None = None,
) -> PublishResult:
    """Serve ``run`` again on purpose, whatever is newer: a new version with ``reason``, and no webhook events."""
    started, now = time.perf_counter(), utcnow()
    rows, set_aside = _screened(rows)
    with store.write() as conn:
        current = state.lock(conn, now)
        if lifecycle is not None:
            _record_lifecycle(conn, lifecycle, now)
        if aggregates is not None:  # the dashboard's aggregates (c360.serving.analytics), as the warehouse shows
            analytics.record(conn, aggregates, now)
        served = _run_row(conn, current.run_seq)
        if served is not None and served.run_id == run.run_id:
            return PublishResult(run.run_id, run.score_date, "already published", served_score_date=run.score_date)
        result = _serve(conn, settings, current, run, rows, model, served, now, outbox=None, reason=reason)
        if aggregates is not None:  # each subscriber's 90 days and tickets, kept with the served run
            activity.record(conn, run_seq=int(_seq_of(conn, run.run_id) or 0), activity=aggregates.activity)
        failpoints.hit("publish.before_commit")
    store.refresh_statistics()
    return _timed(dataclasses.replace(result, set_aside=set_aside), started)


def _serve(
    conn: sa.Connection,
    settings: Settings,
    current: state.State,
    run: ScoringRun,
    rows: Sequence[dict[str, Any]],
    model: dict[str, Any] | None,
    served: sa.Row[Any] | None,
    now: datetime,
    *,
    outbox: Outbox | None,
    reason: str | None = None,
) -> PublishResult:
    """Write the run's rows and serve them from a new version, with its changes (and events, unless a rollback)."""
    previous_seq = served.seq if served is not None else None
    tiers = Counter(str(r["risk_tier"]) for r in rows if r["risk_tier"] is not None)
    seq = _seq_of(conn, run.run_id)
    if seq is None:
        seq = _insert_run(conn, settings, run, now, len(rows), tiers, previous_seq, kind="publish")
    else:  # a rollback to a run already in the store: its rows again, as read now
        conn.execute(served_subscribers.delete().where(served_subscribers.c.run_seq == seq))
        conn.execute(served_runs.update().where(served_runs.c.seq == seq).values(pruned=False))
    previous = _previous_scores(conn, previous_seq)
    bulk.insert_rows(conn, served_subscribers, (_subscriber_row(r, seq, now, previous) for r in rows))
    kind = "publish" if outbox else "rollback"
    version = state.advance(conn, current, run_seq=seq, kind=kind, reason=reason, now=now)
    removals = changes.record(
        conn, version=version, seq=seq, previous_seq=previous_seq, score_date=run.score_date, now=now
    )
    if outbox:  # the webhook events of this publish commit with it, or not at all
        outbox(conn, run_seq=seq, previous_seq=previous_seq, now=now, removals=removals)
    _record_history(conn, run, rows, settings.serving_history_days)
    _record_model(conn, model)
    _prune(conn, version, settings.serving_keep_runs)
    state.trim_feed(conn, current, version, settings.changes_retention_runs)
    changed = conn.execute(
        sa.select(sa.func.count()).select_from(served_changes).where(served_changes.c.version == version)
    ).scalar_one()
    return PublishResult(
        run.run_id,
        run.score_date,
        "published" if outbox else "rolled back",
        subscribers=len(rows),
        tiers=dict(tiers),
        previous_run_id=served.run_id if served is not None else None,
        served_score_date=run.score_date,
        version=version,
        changed=int(changed),
        removed=len(removals),
    )


def _backfill(
    conn: sa.Connection,
    settings: Settings,
    run: ScoringRun,
    rows: Sequence[dict[str, Any]],
    model: dict[str, Any] | None,
    served: sa.Row[Any],
    now: datetime,
) -> PublishResult:
    """A run not newer than the served one: its scores into history (unless a newer run of its day is there)."""
    tiers = Counter(str(r["risk_tier"]) for r in rows if r["risk_tier"] is not None)
    if run.score_date == served.score_date:  # the same day, scored earlier than the run served
        return PublishResult(
            run.run_id, run.score_date, "superseded", previous_run_id=served.run_id, served_score_date=served.score_date
        )
    _insert_run(conn, settings, run, now, len(rows), tiers, None, kind="backfill")
    _record_history(conn, run, rows, settings.serving_history_days)
    _record_model(conn, model)
    return PublishResult(
        run.run_id,
        run.score_date,
        "backfill",
        subscribers=len(rows),
        tiers=dict(tiers),
        previous_run_id=served.run_id,
        served_score_date=served.score_date,
    )


def _screened(rows: Sequence[dict[str, Any]]) -> tuple[Sequence[dict[str, Any]], list[str]]:
    """No NUL, lone surrogate or over-long text reaches the store (one such value failed a whole publish); a row
    whose id cannot be stored is set aside, with why."""
    screened, set_aside = screen_rows(rows, key="subscriber_id", lengths=_LENGTHS)
    if set_aside:
        log.warning("publish: %d subscriber row(s) set aside: %s", len(set_aside), "; ".join(set_aside[:5]))
    return screened, set_aside


def _timed(result: PublishResult, started: float) -> PublishResult:
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


def publish_pending(settings: Settings, *, warehouse: Warehouse, store: Store, outbox: Outbox) -> list[PublishResult]:
    """Publish every day's latest scoring run not yet in the store, oldest day first.

    Older days become backfills and the newer ones are served in turn, however they were scored (the worker's
    tasks, ``c360 score``, Snowflake's own task); days before the history kept are left alone. On an empty
    store the newest day is served first and the days before it are its history (backfills): serving each
    past day in turn would make the API answer with months-old scores while it caught up, and spend the
    change feed's versions on them.
    """
    from c360.serving.queries import current_run
    from c360.serving.snapshot import latest_runs

    served = current_run(store)
    since = served.score_date - timedelta(days=settings.serving_history_days) if served else None
    with warehouse.connect() as conn:
        candidates = latest_runs(conn, since=since)
    if served is None and candidates:
        newest = max(candidates, key=lambda r: (r.score_date, r.scored_at))
        kept = newest.score_date - timedelta(days=settings.serving_history_days)
        candidates = [newest, *(r for r in candidates if r is not newest and r.score_date >= kept)]
    with store.read() as conn:
        known = {
            row.run_id
            for row in conn.execute(
                sa.select(served_runs.c.run_id).where(served_runs.c.run_id.in_([r.run_id for r in candidates]))
            )
        }
    first = candidates[:1] if served is None else []  # an empty store's newest day, served before its history
    return [
        publish(settings, outbox=outbox, score_date=run.score_date, warehouse=warehouse, store=store)
        for run in [*first, *sorted(candidates[len(first) :], key=lambda r: (r.score_date, r.scored_at))]
        if run.run_id not in known
    ]


def _published(store: Store, run_id: str) -> bool:
    with store.read() as conn:
        return _seq_of(conn, run_id) is not None


def _seq_of(conn: sa.Connection, run_id: str) -> int | None:
    seq = conn.execute(sa.select(served_runs.c.seq).where(served_runs.c.run_id == run_id)).scalar()
    return int(seq) if seq is not None else None


def _run_row(conn: sa.Connection, seq: int | None) -> sa.Row[Any] | None:
    if seq is None:
        return None
    return conn.execute(sa.select(served_runs).where(served_runs.c.seq == seq)).first()


def _insert_run(
    conn: sa.Connection,
    settings: Settings,
    run: ScoringRun,
    now: datetime,
    subscribers: int,
    tiers: Counter[str],
    previous_seq: int | None,
    *,
    kind: str,
) -> int:
    result = conn.execute(
        served_runs.insert().values(
            run_id=run.run_id,
            score_date=run.score_date,
            model_version=run.model_version,
            scored_at=run.scored_at,
            published_at=now,
            previous_seq=previous_seq,
            subscribers=subscribers,
            tier_high=settings.risk_tier_high,
            tier_medium=settings.risk_tier_medium,
            high_count=tiers.get("High", 0),
            medium_count=tiers.get("Medium", 0),
            low_count=tiers.get("Low", 0),
            pruned=kind == "backfill",  # a backfill keeps no subscriber rows, only history
            kind=kind,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _previous_scores(conn: sa.Connection, previous_seq: int | None) -> dict[str, sa.Row[Any]]:
    """Score, tier, model and updated_at of each subscriber the previous run scored (by id)."""
    if previous_seq is None:
        return {}
    s = served_subscribers.c
    query = sa.select(s.subscriber_id, s.churn_risk_score, s.risk_tier, s.model_version, s.updated_at).where(
        s.run_seq == previous_seq, s.churn_risk_score.is_not(None)
    )
    return {row.subscriber_id: row for row in conn.execute(query)}


def _record_history(conn: sa.Connection, run: ScoringRun, rows: Sequence[dict[str, Any]], keep_days: int) -> None:
    """The run's scores become its day's history, unless a run of that day scored later is there already;
    history more than keep_days before the newest day goes."""
    h = score_history.c
    newer = conn.execute(
        sa.select(h.run_id).where(h.score_date == run.score_date, h.scored_at > run.scored_at).limit(1)
    ).first()
    if newer is None:
        conn.execute(score_history.delete().where(h.score_date == run.score_date))
        bulk.insert_rows(
            conn,
            score_history,
            (
                {
                    "subscriber_id": r["subscriber_id"],
                    "score_date": r["score_date"],
                    "run_id": run.run_id,
                    "churn_risk_score": r["churn_risk_score"],
                    "risk_tier": r["risk_tier"],
                    "model_version": r["model_version"],
                    "scored_at": r["scored_at"],
                }
                for r in rows
                if r["churn_risk_score"] is not None
            ),
        )
    newest = conn.execute(sa.select(sa.func.max(h.score_date))).scalar()
    if newest is not None:
        conn.execute(score_history.delete().where(h.score_date <= newest - timedelta(days=keep_days)))


def _record_model(conn: sa.Connection, model: dict[str, Any] | None) -> None:
    if model is not None:
        conn.execute(served_models.delete().where(served_models.c.model_version == model["model_version"]))
        conn.execute(served_models.insert().values(**{c.name: model[c.name] for c in served_models.columns}))


def _record_lifecycle(conn: sa.Connection, lifecycle: list[ModelLifecycle], now: datetime) -> None:
    """The models and their realised performance, as the warehouse shows them now, replace the store's."""
    conn.execute(served_model_lifecycle.delete())
    if lifecycle:
        conn.execute(
            served_model_lifecycle.insert(),
            [
                {
                    "model_version": m.model_version,
                    "trained_at": m.trained_at,
                    "model": m.model,
                    "performance": m.performance,
                    "published_at": now,
                }
                for m in lifecycle
            ],
        )


def _prune(conn: sa.Connection, version: int, keep_runs: int) -> None:
    """Drop the rows of runs not served by the newest ``keep_runs`` versions (their cursors then answer 410)."""
    kept = state.runs_of_recent_versions(conn, version, keep_runs)
    stale = [
        row.seq
        for row in conn.execute(
            sa.select(served_runs.c.seq).where(served_runs.c.seq.not_in(kept), served_runs.c.pruned.is_(False))
        )
    ]
    if stale:
        conn.execute(served_subscribers.delete().where(served_subscribers.c.run_seq.in_(stale)))
        conn.execute(served_runs.update().where(served_runs.c.seq.in_(stale)).values(pruned=True))
        log.info("pruned the rows of %d run(s) no longer among the last %d served", len(stale), keep_runs)


def _subscriber_row(row: dict[str, Any], seq: int, now: datetime, previous: dict[str, sa.Row[Any]]) -> dict[str, Any]:
    """The row to insert: previous_risk_tier from the previous run, updated_at kept from it where score, tier
    and model are unchanged (else now), and the health score rendered once (c360.serving.rendered)."""
    values = {c: row.get(c) for c in _SUBSCRIBER_COLUMNS}
    values["run_seq"] = seq
    if row["churn_risk_score"] is None:
        return values | {"previous_risk_tier": None, "updated_at": None, "health_json": None}
    before = previous.get(row["subscriber_id"])
    unchanged = before is not None and (before.churn_risk_score, before.risk_tier, before.model_version) == (
        values["churn_risk_score"],
        values["risk_tier"],
        values["model_version"],
    )
    values["previous_risk_tier"] = before.risk_tier if before is not None else None
    values["updated_at"] = before.updated_at if unchanged and before is not None else now
    values["health_json"] = health_json(values | {"drivers": row["drivers"]})
    return values


@dataclass
class PublishJob:
    """Worker job: publish each scoring run the warehouse holds and the store does not (``publish_pending``).

    This is how publishing stays the last step of scoring however the scoring task ran (the worker's
    scheduler on DuckDB, Snowflake's own task).
    """

    settings: Settings
    outbox: Outbox
    name: str = "publish"
    interval: float = 60.0
    report: Callable[[str], None] = log.info
    _marker: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.interval = self.settings.publish_poll_interval
        self._warehouse = Warehouse.from_settings(self.settings)
        self._store = Store.from_settings(self.settings)

    def tick(self) -> None:
        """Look for runs not yet published; publish them."""
        from c360.serving.snapshot import scores_marker

        marker = None
        if self._warehouse.target == "snowflake":
            with self._warehouse.connect() as conn:
                marker = scores_marker(conn)
            if marker == self._marker:
                return
        results = publish_pending(self.settings, warehouse=self._warehouse, store=self._store, outbox=self.outbox)
        self._marker = marker  # only once the look succeeded: a failed publish is retried next tick
        for result in results:
            if result.status in ("published", "backfill"):
                self.report(f"publish: {describe(result)}")


def describe(result: PublishResult) -> str:
    """One line about what a publish did, for the CLI and the worker's log."""
    run = f"run {result.run_id} ({result.score_date})"
    tiers = ", ".join(f"{t} {result.tiers.get(t, 0):,}" for t in ("High", "Medium", "Low"))
    # one wording everywhere: "scored" counts the run's scores (the tiers add up to it); "profiles served"
    # counts every subscriber the run serves a profile for, the cancelled and unscored ones included
    scored = f"{result.scored:,} subscribers scored ({tiers})"
    counts = f"{scored} and {result.subscribers:,} profiles served (cancelled and unscored subscribers included)"
    if result.status == "already published":
        return f"{run} is already published; nothing changed"
    if result.status == "superseded":
        return f"{run} is older than the run served for that day ({result.previous_run_id}); nothing changed"
    if result.status == "backfill":
        return (
            f"{run} is a backfill: {result.score_date} is older than the served day {result.served_score_date}, "
            f"so its scores went to the score history only ({scored}); the served run and webhooks are unchanged"
        )
    previous = f"; previous run {result.previous_run_id}" if result.previous_run_id else ""
    if result.set_aside:
        reasons = "; ".join(sorted(set(result.set_aside))[:5])
        previous += f"\n{len(result.set_aside):,} subscriber row(s) set aside, not served: {reasons}"
    verb = "now served" if result.status == "published" else "rolled back to, now served (no webhook events sent)"
    return (
        f"{run} {verb}: {counts}; version {result.version}: {result.changed:,} changed in the feed, "
        f"{result.removed:,} removed{previous} ({result.seconds:.2f} s)"
    )
