"""``c360 publish``: copy a scoring run, with the profile snapshot, into the serving store.

One serving-store transaction per publish: the new ``served_runs`` row becomes visible, and so
served, only at commit, so a publish that fails (or is killed) leaves the previous run served.
Publishing a run that is already in the store changes nothing. Each subscriber's row carries the
tier it had in the previously served run, which is what tier-change notifications compare.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from c360 import failpoints
from c360.serving.errors import NothingToPublish
from c360.serving.snapshot import ScoringRun, latest_run, read_model, read_subscribers, scores_marker
from c360.serving.store import Store, score_history, served_models, served_runs, served_subscribers, utcnow
from c360.settings import Settings
from c360.text import screen_rows
from c360.warehouse import Warehouse
from c360.webhooks.outbox import record_events

log = logging.getLogger(__name__)

_CHUNK = 5_000
_LENGTHS = {
    c.name: c.type.length for c in served_subscribers.columns if isinstance(c.type, sa.String) and c.type.length
}
_SUBSCRIBER_COLUMNS = [c.name for c in served_subscribers.columns if c.name not in ("run_seq", "previous_risk_tier")]


@dataclass(frozen=True)
class PublishResult:
    """What a publish did."""

    run_id: str
    score_date: date
    status: str  # published | already published
    subscribers: int = 0
    tiers: dict[str, int] = field(default_factory=dict)
    previous_run_id: str | None = None
    seconds: float = 0.0
    set_aside: list[str] = field(default_factory=list)  # why rows the store cannot hold were left out


def publish(
    settings: Settings,
    *,
    score_date: date | None = None,
    warehouse: Warehouse | None = None,
    store: Store | None = None,
) -> PublishResult:
    """Publish the latest scoring run (of ``score_date``); NothingToPublish when the warehouse has none."""
    warehouse = warehouse or Warehouse.from_settings(settings)
    store = store or Store.from_settings(settings)
    with warehouse.connect() as conn:
        run = latest_run(conn, score_date)
        if run is None:
            on = f" for {score_date}" if score_date else ""
            raise NothingToPublish(f"no scoring run in {warehouse.display}{on}: FCT_CUSTOMER_HEALTH_SCORES is empty")
        if _published(store, run.run_id):
            return PublishResult(run.run_id, run.score_date, "already published")
        rows = read_subscribers(conn, run)
        model = read_model(conn, run.model_version)
    return write_run(store, settings, run, rows, model)


def write_run(
    store: Store, settings: Settings, run: ScoringRun, rows: Sequence[dict[str, Any]], model: dict[str, Any] | None
) -> PublishResult:
    """Write one run's rows and make it the served run, in one transaction."""
    started = time.perf_counter()
    now = utcnow()
    # no NUL, lone surrogate or over-long text reaches the store (one such value failed the whole publish)
    rows, set_aside = screen_rows(rows, key="subscriber_id", lengths=_LENGTHS)
    if set_aside:
        log.warning("publish: %d subscriber row(s) set aside: %s", len(set_aside), "; ".join(set_aside[:5]))
    tiers = Counter(str(r["risk_tier"]) for r in rows if r["risk_tier"] is not None)
    try:
        with store.write() as conn:
            previous = conn.execute(sa.select(served_runs).order_by(served_runs.c.seq.desc()).limit(1)).first()
            seq = _insert_run(conn, settings, run, now, len(rows), tiers, previous.seq if previous else None)
            for chunk in _chunks(rows, _CHUNK):
                conn.execute(
                    served_subscribers.insert(),
                    [_subscriber_row(r, seq, now) for r in chunk],
                )
            if previous is not None:
                _carry_over(conn, seq, previous.seq)
            # the webhook events of this publish commit with it, or not at all (see c360.webhooks.outbox)
            record_events(conn, run_seq=seq, previous_seq=previous.seq if previous else None, now=now)
            _record_history(conn, seq, run, settings.serving_history_days)
            if model is not None:
                conn.execute(served_models.delete().where(served_models.c.model_version == model["model_version"]))
                conn.execute(served_models.insert().values(**{c.name: model[c.name] for c in served_models.columns}))
            _prune(conn, seq, settings.serving_keep_runs)
            # everything is written but nothing is served yet: a crash here must leave the previous run served
            failpoints.hit("publish.before_commit")
    except IntegrityError:
        if _published(store, run.run_id):  # a concurrent publish of the same run won
            return PublishResult(run.run_id, run.score_date, "already published")
        raise
    return PublishResult(
        run.run_id,
        run.score_date,
        "published",
        subscribers=len(rows),
        tiers=dict(tiers),
        previous_run_id=previous.run_id if previous else None,
        seconds=time.perf_counter() - started,
        set_aside=set_aside,
    )


def publish_if_newer(settings: Settings, *, warehouse: Warehouse, store: Store) -> PublishResult | None:
    """Publish the warehouse's latest run when it was scored after the served one; None when up to date."""
    with warehouse.connect() as conn:
        run = latest_run(conn)
    if run is None:
        return None
    with store.read() as conn:
        served = conn.execute(
            sa.select(served_runs.c.run_id, served_runs.c.scored_at).order_by(served_runs.c.seq.desc()).limit(1)
        ).first()
    if served is not None and (served.run_id == run.run_id or served.scored_at >= run.scored_at):
        return None
    return publish(settings, score_date=run.score_date, warehouse=warehouse, store=store)


def _published(store: Store, run_id: str) -> bool:
    with store.read() as conn:
        return conn.execute(sa.select(served_runs.c.seq).where(served_runs.c.run_id == run_id)).first() is not None


def _insert_run(
    conn: sa.Connection,
    settings: Settings,
    run: ScoringRun,
    now: datetime,
    subscribers: int,
    tiers: Counter[str],
    previous_seq: int | None,
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
            pruned=False,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _carry_over(conn: sa.Connection, seq: int, previous_seq: int) -> None:
    """previous_risk_tier from the previous run; updated_at kept where score, tier and model are unchanged."""
    cur, prev = served_subscribers, served_subscribers.alias("prev")
    unchanged = sa.and_(
        prev.c.churn_risk_score == cur.c.churn_risk_score,
        prev.c.risk_tier == cur.c.risk_tier,
        prev.c.model_version == cur.c.model_version,
    )
    conn.execute(
        cur.update()
        .where(cur.c.run_seq == seq, prev.c.run_seq == previous_seq, prev.c.subscriber_id == cur.c.subscriber_id)
        .values(
            previous_risk_tier=prev.c.risk_tier,
            updated_at=sa.case((unchanged, prev.c.updated_at), else_=cur.c.updated_at),
        )
    )


def _record_history(conn: sa.Connection, seq: int, run: ScoringRun, keep_days: int) -> None:
    """The run's scores replace any earlier run's for the same score_date; history past keep_days goes."""
    s = served_subscribers.c
    conn.execute(score_history.delete().where(score_history.c.score_date == run.score_date))
    columns = ["subscriber_id", "score_date", "run_id", "churn_risk_score", "risk_tier", "model_version", "scored_at"]
    scored = sa.select(
        s.subscriber_id,
        s.score_date,
        sa.literal(run.run_id),
        s.churn_risk_score,
        s.risk_tier,
        s.model_version,
        s.scored_at,
    ).where(s.run_seq == seq, s.churn_risk_score.is_not(None))
    conn.execute(score_history.insert().from_select(columns, scored))
    cutoff = run.score_date - timedelta(days=keep_days)
    conn.execute(score_history.delete().where(score_history.c.score_date <= cutoff))


def _prune(conn: sa.Connection, seq: int, keep_runs: int) -> None:
    """Drop the rows of runs older than the newest ``keep_runs`` (their cursors then answer 410)."""
    kept = sa.select(served_runs.c.seq).order_by(served_runs.c.seq.desc()).limit(keep_runs).subquery()
    oldest_kept = conn.execute(sa.select(sa.func.min(kept.c.seq))).scalar_one()
    stale = [
        row.seq
        for row in conn.execute(
            sa.select(served_runs.c.seq).where(served_runs.c.seq < oldest_kept, served_runs.c.pruned.is_(False))
        )
    ]
    if stale:
        conn.execute(served_subscribers.delete().where(served_subscribers.c.run_seq.in_(stale)))
        conn.execute(served_runs.update().where(served_runs.c.seq.in_(stale)).values(pruned=True))
        log.info("pruned the rows of %d run(s) older than run %d", len(stale), oldest_kept)


def _subscriber_row(row: dict[str, Any], seq: int, now: datetime) -> dict[str, Any]:
    values = {c: row.get(c) for c in _SUBSCRIBER_COLUMNS}
    # updated_at starts as "changed now"; _carry_over keeps the previous run's where nothing changed
    values.update(run_seq=seq, updated_at=now if row["churn_risk_score"] is not None else None)
    return values


def _chunks(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


@dataclass
class PublishJob:
    """Worker job: publish the warehouse's newest scoring run once it is newer than the served one.

    This is how publishing stays the last step of scoring however the scoring task ran (the worker's
    scheduler on DuckDB, Snowflake's own task).
    """

    settings: Settings
    name: str = "publish"
    interval: float = 60.0
    report: Callable[[str], None] = log.info
    _marker: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.interval = self.settings.publish_poll_interval
        self._warehouse = Warehouse.from_settings(self.settings)
        self._store = Store.from_settings(self.settings)

    def tick(self) -> None:
        """Look for a newer run; publish it."""
        marker = None
        if self._warehouse.target == "snowflake":
            with self._warehouse.connect() as conn:
                marker = scores_marker(conn)
            if marker == self._marker:
                return
        result = publish_if_newer(self.settings, warehouse=self._warehouse, store=self._store)
        self._marker = marker  # only once the look succeeded: a failed publish is retried next tick
        if result is not None and result.status == "published":
            self.report(f"publish: run {result.run_id} ({result.score_date}), {result.subscribers:,} subscribers")
