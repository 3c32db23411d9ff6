"""PostgreSQL serving store at 10,000,000 subscribers (issue 16, section 3).

Targets: publish in at most 60 s (COPY, not INSERT); a health-score lookup p99 at most 2 ms at 1 connection
with the API cache off; one change-feed page of 500 at most 10 ms.

What is measured, against an empty PostgreSQL database named by ``--url`` (created and dropped by the caller):

* ``write_run`` at ``--baseline`` subscribers (default 1,000,000), the real publish path from a scoring run
  already read, COPY (c360.serving.bulk) against executemany INSERT, interleaved, each into a fresh schema;
* the store-write part of a publish at ``--subscribers`` (default 10,000,000): a real publish holds every row
  in memory (10 M dicts are more than this machine's share), so the same steps run on rows generated as they
  are written: the run row, the subscriber rows (bench/serving_data.py's rows, health JSON rendered as publish
  renders it) through bulk.insert_rows, the new version and its change rows (c360.serving.changes.record, the
  real INSERT ... SELECT), the score history through bulk.insert_rows, one commit; then ANALYZE;
* with ``--floor``, the server's own part of those writes (bench.pg_scale.server_floor): the rows copied back
  from a binary dump, no Python per row; with the change rows, the least a publish of them can take here;
* ``c360 serve`` on that store (one worker, ``C360_API_CACHE_SIZE=0``): GET health-score of random ids with wrk
  at 1 connection; pages of 500 of the change feed (a full sync and a delta) at 1 connection, from the start and
  from the middle of the ids; EXPLAIN ANALYZE of each query.

    python -m bench.pg_scale --url postgresql+psycopg://postgres@127.0.0.1:5432/c360_bench [--port 18200]

Disk: about 1.7 KB per subscriber (served_subscribers 1.4 KB with its indexes, change rows, history), so
10 M needs about 17 GB free (with ``--floor``, about 45 GB: the dump and the copies too); ``--reuse`` measures
the serving again without filling.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from bench import load, measure, serving_data
from bench.feed import percentile
from bench.measure import median, save

C360 = str(Path(sys.executable).parent / "c360")
TARGETS = {"publish_s": 60.0, "lookup_p99_ms": 2.0, "feed_page_ms": 10.0}
PAGE = 500


def settings_for(url: str, home: Path, schema: str | None = None) -> Any:
    from c360.settings import Settings

    if schema:
        url = f"{url}?options=-csearch_path%3D{schema}"
    return Settings(home=home, serving_url=url)


def migrated(settings: Any) -> Any:
    from c360.serving.migrate import upgrade
    from c360.serving.store import Store

    upgrade(settings)
    return Store.from_settings(settings)


def baseline(url: str, home: Path, n: int, repeats: int) -> dict[str, list[float]]:
    """``write_run`` of ``n`` subscribers, COPY and INSERT interleaved, each into a new schema (dropped after)."""
    from c360.serving import bulk
    from c360.serving.publish import write_run
    from c360.serving.snapshot import ScoringRun
    from c360.webhooks.outbox import record_events

    now = datetime.now(UTC)
    day = now.date() - timedelta(days=1)
    rows = [serving_data.row(0, i, day, now) for i in range(n)]
    for r in rows:  # as read from the warehouse: publish adds these itself
        for name in ("run_seq", "previous_risk_tier", "updated_at", "health_json"):
            del r[name]
        r["drivers"] = serving_data.DRIVERS
    copy_path = bulk._use_copy
    seconds: dict[str, list[float]] = {"copy": [], "insert": []}
    admin = sa.create_engine(url, poolclass=sa.pool.NullPool)
    for attempt in range(repeats):
        for way in ("copy", "insert"):
            schema = f"bench_{way}_{attempt}"
            with admin.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
            settings = settings_for(url, home, schema)
            store = migrated(settings)
            bulk._use_copy = copy_path if way == "copy" else lambda *_: False
            try:
                started = time.perf_counter()
                result = write_run(store, settings, ScoringRun("bench-1", day, "bench-model", now), rows, None,
                                   outbox=record_events)  # fmt: skip
                seconds[way].append(round(time.perf_counter() - started, 2))
                assert result.status == "published" and result.subscribers == n, result
            finally:
                bulk._use_copy = copy_path
                store.engine.dispose()
                with admin.begin() as conn:
                    conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
            print(f"bench pg_scale: write_run of {n:,}, {way}: {seconds[way][-1]} s", file=sys.stderr)
    admin.dispose()
    return seconds


def fill(store: Any, settings: Any, n: int) -> dict[str, float]:
    """The store-write steps of a first publish of ``n`` subscribers, one transaction; seconds per step."""
    from c360.serving import bulk, changes, state
    from c360.serving.store import score_history, served_runs, served_subscribers

    now = datetime.now(UTC)
    day = now.date() - timedelta(days=1)
    steps: dict[str, float] = {}

    def timed(name: str, step: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        out = step()
        steps[name] = round(time.perf_counter() - started, 1)
        print(f"bench pg_scale: {name}: {steps[name]} s", file=sys.stderr)
        return out

    started = time.perf_counter()
    with store.write() as conn:
        current = state.lock(conn, now)
        seq = conn.execute(
            served_runs.insert().values(
                run_id="bench-10m", score_date=day, model_version="bench-model", scored_at=now, published_at=now,
                previous_seq=None, subscribers=n, tier_high=0.3, tier_medium=0.1, high_count=0, medium_count=0,
                low_count=0, pruned=False, kind="publish",
            ).returning(served_runs.c.seq)
        ).scalar_one()  # fmt: skip
        timed("subscribers_copy", lambda: bulk.insert_rows(
            conn, served_subscribers, (serving_data.row(seq, i, day, now) for i in range(n))))  # fmt: skip
        version = state.advance(conn, current, run_seq=seq, kind="publish", reason=None, now=now)
        timed("change_rows", lambda: changes.record(
            conn, version=version, seq=seq, previous_seq=None, score_date=day, now=now))  # fmt: skip
        history = (
            {"subscriber_id": serving_data.subscriber_id(i), "score_date": day, "run_id": "bench-10m",
             "churn_risk_score": serving_data.score(i), "risk_tier": serving_data.tier(serving_data.score(i)),
             "model_version": "bench-model", "scored_at": now}
            for i in range(n)
        )  # fmt: skip
        timed("history_copy", lambda: bulk.insert_rows(conn, score_history, history))
        commit_started = time.perf_counter()
    steps["commit"] = round(time.perf_counter() - commit_started, 1)
    steps["publish_total"] = round(time.perf_counter() - started, 1)
    with store.write() as conn:
        timed("analyze", lambda: conn.exec_driver_sql("ANALYZE served_subscribers, served_changes, score_history"))
    return steps


def server_floor(store: Any, work: Path) -> dict[str, float]:
    """The server's own part of the fill's two COPYs, with no Python per row: each table's rows, written out in
    COPY's binary format, copied back in 1 MiB chunks into an empty table of the same definition (indexes,
    primary and foreign keys), both in one transaction as a publish writes them; seconds per table. The change
    rows' ``INSERT ... SELECT`` (``change_rows`` of the fill) is the server's alone already. Their sum is the
    least a publish of these rows can take on this server, however its rows are produced."""
    pooled = store.engine.raw_connection()
    driver = pooled.driver_connection  # psycopg's own connection: its COPY API
    seconds: dict[str, float] = {}
    tables = ("served_subscribers", "score_history")
    try:
        with driver.cursor() as cursor:
            for table in tables:
                with (
                    (work / f"{table}.copy").open("wb") as out,
                    cursor.copy(f"COPY {table} TO STDOUT (FORMAT BINARY)") as copy,
                ):
                    for data in copy:
                        out.write(data)
                cursor.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
                keys = cursor.execute(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'",
                    (table,),
                ).fetchall()
                for (definition,) in keys:
                    cursor.execute(f"ALTER TABLE floor_{table} ADD {definition}")
        driver.commit()
        with driver.cursor() as cursor:
            for table in tables:
                started = time.perf_counter()
                with (
                    (work / f"{table}.copy").open("rb") as source,
                    cursor.copy(f"COPY floor_{table} FROM STDIN (FORMAT BINARY)") as copy,
                ):
                    while chunk := source.read(1 << 20):
                        copy.write(chunk)
                seconds[table] = round(time.perf_counter() - started, 1)
                print(f"bench pg_scale: server floor, {table}: {seconds[table]} s", file=sys.stderr)
        started = time.perf_counter()
        driver.commit()
        seconds["commit"] = round(time.perf_counter() - started, 1)
    finally:
        driver.rollback()  # after a failure: the drops below run in a transaction of their own
        with driver.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS floor_{table}")
                (work / f"{table}.copy").unlink(missing_ok=True)
        driver.commit()
        pooled.close()
    return seconds


@contextlib.contextmanager
def serve(argv: list[str], env: dict[str, str], port: int, probe: str) -> Iterator[str]:
    """A server (one worker) on ``port``; yields its base URL once ``probe`` answers."""
    with measure.server(argv, env, port, probe):
        yield f"http://127.0.0.1:{port}"


def wrk_c1(wrk: str | None, url: str, kind: str, args: argparse.Namespace, key: str, n: int) -> dict[str, Any]:
    """Three load runs at one connection: each run's p50, p99, req/s, and the errors (non-2xx included)."""
    runs = [load.run(wrk, url, kind, connections=1, seconds=args.seconds, token=key, n=n) for _ in range(3)]
    return {
        "p50_ms": [r.p50_ms for r in runs], "p99_ms": [r.p99_ms for r in runs], "rps": [round(r.rps) for r in runs],
        "errors": sum(r.errors for r in runs),
    }  # fmt: skip


def feed_pages(client: httpx.Client, params: dict[str, Any], pages: int) -> list[float]:
    """Seconds per page for ``pages`` pages of the change feed, following next_cursor."""
    timings = []
    for _ in range(pages):
        started = time.perf_counter()
        response = client.get("/v1/health-scores/changes", params=params)
        timings.append(time.perf_counter() - started)
        response.raise_for_status()
        body = response.json()
        if not body["next_cursor"]:  # the end of a small store
            break
        assert len(body["data"]) == PAGE, "a full page before the last"
        params = {"cursor": body["next_cursor"], "limit": PAGE}
    return timings


def middle_cursor(settings: Any, store: Any, after: str, since: int | None) -> str:
    """A page cursor of version 1 starting after ``after`` (the feed's own signing), to read mid-table."""
    from c360.serving import feed, state, tokens
    from c360.serving.cursor import cursor_key

    with store.read() as conn:
        store_id = state.read(conn).store_id
    return tokens.sign(feed._PAGE, {"v": 1, "t": since, "a": after, "s": store_id}, cursor_key(settings))


def _filled(store: Any, n: int) -> bool:
    from c360.serving.store import served_runs

    with store.read() as conn:
        found = conn.execute(sa.select(served_runs.c.subscribers).where(served_runs.c.run_id == "bench-10m")).scalar()
    return bool(found == n)


def explain(store: Any, n: int) -> dict[str, str]:
    """EXPLAIN ANALYZE of the lookup and of the feed's queries, mid-table (the delta over several versions needs
    several versions: bench/pg_delta.py)."""
    from c360.serving import feed
    from c360.serving.store import served_subscribers

    s = served_subscribers.c
    middle = serving_data.subscriber_id(n // 2)
    cases = {
        "lookup": (sa.select(served_subscribers).where(s.run_seq == 1, s.subscriber_id == middle), {}),
        "feed_full": (feed._FULL, {"seq": 1, "after": middle, "limit": PAGE + 1}),
        "feed_one_version": (feed._ONE_VERSION, {"seq": 1, "version": 1, "after": middle, "limit": PAGE + 1}),
    }
    plans = {}
    with store.read() as conn:
        for name, (statement, params) in cases.items():
            compiled = statement.compile(dialect=conn.dialect)
            text = f"EXPLAIN (ANALYZE, BUFFERS) {compiled.string}"
            plans[name] = "\n".join(r[0] for r in conn.exec_driver_sql(text, compiled.construct_params(params)))
    return plans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pg_scale", description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="An empty PostgreSQL database (postgresql+psycopg://...).")
    parser.add_argument("--subscribers", type=int, default=10_000_000)
    parser.add_argument("--baseline", type=int, default=1_000_000, help="write_run size, COPY against INSERT (0: skip)")
    parser.add_argument("--repeats", type=int, default=2, help="Interleaved write_run pairs; medians reported.")
    parser.add_argument("--seconds", type=float, default=10.0, help="Duration of each wrk run.")
    parser.add_argument("--pages", type=int, default=200, help="Feed pages timed per case.")
    parser.add_argument("--port", type=int, default=18200)
    parser.add_argument("--reuse", action="store_true", help="Measure the serving of a store a previous run filled.")
    parser.add_argument(
        "--floor", action="store_true", help="Also time the server's own part of the publish's writes (2x the disk)."
    )
    args = parser.parse_args(argv)
    wrk = load.ensure_wrk()
    result: dict[str, Any] = {"subscribers": args.subscribers, "targets": TARGETS, "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="c360-bench-pg-") as work:
        home = Path(work)
        if args.baseline:
            seconds = baseline(args.url, home, args.baseline, args.repeats)
            result["write_run"] = {"subscribers": args.baseline, **seconds,
                                   "median": {k: median(v) for k, v in seconds.items()}}  # fmt: skip
            save("pg_scale", result)
        settings = settings_for(args.url, home)
        store = migrated(settings)
        if not (args.reuse and _filled(store, args.subscribers)):
            result["fill"] = fill(store, settings, args.subscribers)
            result["load_after_fill"] = os.getloadavg()
            save("pg_scale", result)
        if args.floor:
            floor = server_floor(store, home)
            change_rows = result.get("fill", {}).get("change_rows")
            result["server_floor"] = {**floor, "change_rows": change_rows}
            if change_rows is not None:
                result["server_floor"]["publish_total"] = round(sum(floor.values()) + change_rows, 1)
            save("pg_scale", result)
        result["explain"] = explain(store, args.subscribers)
        env = {**os.environ, "C360_HOME": str(home), "C360_SERVING_URL": args.url, "C360_API_CACHE_SIZE": "0",
               "C360_API_RATE_LIMIT": "0"}  # fmt: skip
        created = subprocess.run(
            [C360, "keys", "create", "--name", "bench", "--scopes", "admin"], env=env, check=True, capture_output=True
        )
        key = created.stdout.decode().strip().splitlines()[-1]
        bare = [sys.executable, "-m", "uvicorn", "bench.bare:app", "--log-level", "warning", "--no-access-log"]
        with serve(bare, env, args.port + 1, "/") as url:  # the ceiling of this machine now, same driver
            result["bare_c1"] = wrk_c1(wrk, url, "bare", args, "", 1)
        with serve([C360, "serve"], env, args.port, "/healthz") as url:
            result["lookup_c1"] = wrk_c1(wrk, url, "score", args, key, args.subscribers)
            middle = serving_data.subscriber_id(args.subscribers // 2)
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
                from c360.serving import feed
                from c360.serving.cursor import cursor_key

                token0 = feed.sync_token_of(store, cursor_key(settings), 0)
                cases: dict[str, dict[str, Any]] = {
                    "full_start": {"limit": PAGE},
                    "full_middle": {"cursor": middle_cursor(settings, store, middle, None), "limit": PAGE},
                    "delta_start": {"sync_token": token0, "limit": PAGE},
                    "delta_middle": {"cursor": middle_cursor(settings, store, middle, 0), "limit": PAGE},
                }
                feed_pages(client, {"limit": PAGE}, 5)  # warm up the connection and the statements
                result["feed_ms"] = {}
                for name, params in cases.items():
                    timings = feed_pages(client, params, args.pages)
                    result["feed_ms"][name] = {
                        "p50": round(1000 * percentile(timings, 0.5), 2),
                        "p99": round(1000 * percentile(timings, 0.99), 2),
                        "max": round(1000 * max(timings), 2),
                    }
        result["load_after"] = os.getloadavg()
        with store.read() as conn:
            sizes = conn.exec_driver_sql(
                "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class "
                "WHERE relname IN ('served_subscribers', 'served_changes', 'score_history')"
            )
            result["sizes"] = dict(sizes.tuples().all())
        store.engine.dispose()
    print(f"figures: {save('pg_scale', result)}")
    for name, plan in result["explain"].items():
        print(f"--- {name}\n{plan}")
    summary = {k: v for k, v in result.items() if k != "explain"}
    print(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
