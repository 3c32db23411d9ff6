"""Benchmark of the incremental daily build (issue 16, section 1).

A warehouse with ``--days`` of history (generated, ingested and built to AS_OF, the model trained) gets one
more day (the generator's next day: about 50,000 views and 1,000 events at scale 1), then
``c360 pipeline run`` as of that day: daily build, scoring and publish. Measured twice per round, interleaved,
each on a fresh copy of the same warehouse: incremental (the default) and ``--full-refresh``, the full
build of the same run. Targets: incremental at most 10 % of the full build; the incremental day costs the
same (within 25 %) at 360 days of history as at the shortest.

    python -m bench.incremental [--scale 1] [--days 120 360] [--runs 3] [--seed 0] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from bench.measure import median, save

AS_OF = date(2026, 11, 24)  # the built history ends here; the new day is the next one
NEW_DAY = AS_OF + timedelta(days=1)


def split_last_day(src: Path, base: Path, day: Path) -> dict[str, int]:
    """The generated files cut in two: everything before NEW_DAY (base) and NEW_DAY's own rows (day)."""
    base.mkdir(parents=True, exist_ok=True)
    day.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"""
        CREATE TABLE views AS
        SELECT *, TRY_CAST(TRY_CAST(event_timestamp AS TIMESTAMPTZ) AS DATE) = DATE '{NEW_DAY}' AS new
        FROM read_csv('{src / "content_engagement.csv"}', header = true, all_varchar = true, delim = ',',
                      quote = '"', ignore_errors = true)
    """)
    for directory, is_new in ((base, False), (day, True)):
        con.execute(
            f"COPY (SELECT * EXCLUDE (new) FROM views WHERE new IS NOT DISTINCT FROM {is_new}) "
            f"TO '{directory / 'content_engagement.csv'}' (HEADER, QUOTE '\"', FORCE_QUOTE *)"
        )
    con.execute(f"""
        COPY (SELECT * FROM '{src / "support_tickets.parquet"}' WHERE created_at::DATE < DATE '{NEW_DAY}')
        TO '{base / "support_tickets.parquet"}' (FORMAT PARQUET)
    """)
    con.execute(f"""
        COPY (SELECT * FROM '{src / "support_tickets.parquet"}' WHERE created_at::DATE >= DATE '{NEW_DAY}')
        TO '{day / "support_tickets.parquet"}' (FORMAT PARQUET)
    """)
    events = 0
    with (
        (src / "subscription_events.jsonl").open() as lines,
        (base / "subscription_events.jsonl").open("w") as older,
        (day / "subscription_events.jsonl").open("w") as newer,
    ):
        for line in lines:
            if _event_day(line) == NEW_DAY:
                newer.write(line)
                events += 1
            else:
                older.write(line)
    (views,) = con.execute("SELECT count(*) FROM views WHERE new").fetchone() or (0,)
    return {"views": int(views), "events": events}


def _event_day(line: str) -> date | None:
    try:
        stamp = datetime.fromisoformat(str(json.loads(line)["event_timestamp"]).replace("Z", "+00:00"))
    except (ValueError, KeyError, TypeError):
        return None
    return (stamp - stamp.utcoffset()).date() if stamp.utcoffset() is not None else stamp.date()  # type: ignore[operator]


def _use_home(home: Path) -> Any:
    from c360.settings import get_settings
    from c360.warehouse import Warehouse

    os.environ["C360_HOME"] = str(home)
    get_settings.cache_clear()
    return Warehouse.from_settings(get_settings())


def build_base(base: Path, home: Path) -> float:
    """Migrate, ingest the history and run the whole pipeline as of AS_OF (trains the model)."""
    from c360.pipeline.run import run_pipeline
    from c360.serving.migrate import upgrade
    from c360.settings import get_settings
    from c360.sources.ingest import ingest
    from pipeline_sql.migrate import migrate

    warehouse = _use_home(home)
    migrate(warehouse)
    upgrade(get_settings())
    files = [base / n for n in ("subscription_events.jsonl", "content_engagement.csv", "support_tickets.parquet")]
    ingest(warehouse, files)  # loading the same files again (a build interrupted after it) is a no-op
    started = time.perf_counter()
    run_pipeline(warehouse, as_of=AS_OF)
    return time.perf_counter() - started


def one_day(snapshot: Path, day: Path, work: Path, *, full_refresh: bool) -> dict[str, Any]:
    """A fresh copy of the built warehouse, the new day loaded and staged, then the timed pipeline run."""
    from c360.pipeline.run import STEPS, run_pipeline
    from c360.sources.ingest import ingest
    from pipeline_sql.migrate import migrate

    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(snapshot, work)
    warehouse = _use_home(work)
    migrate(warehouse)  # a snapshot built by an earlier version of the procedures gets this one's
    files = [day / n for n in ("subscription_events.jsonl", "content_engagement.csv", "support_tickets.parquet")]
    ingest(warehouse, files)
    staging = [s for s in STEPS if s.purpose is None and s.stream]
    run_pipeline(warehouse, as_of=NEW_DAY, steps=staging)
    started = time.perf_counter()
    result = run_pipeline(warehouse, as_of=NEW_DAY, full_refresh=full_refresh)
    seconds = time.perf_counter() - started
    steps = {s.task: round(s.seconds, 3) for s in result.steps if s.status == "ran"}
    return {
        "seconds": round(seconds, 3),
        "steps": steps,
        "publish_seconds": round(seconds - sum(s.seconds for s in result.steps), 3),
        "publish_write_seconds": round(result.published.seconds, 3) if result.published else None,
        "published": result.published.status if result.published else None,
    }


def history(days: int, scale: float, seed: int, root: Path, runs: int) -> dict[str, Any]:
    from c360.sources.generate import generate

    src = root / f"sources-{days}"
    if not (src / "support_tickets.parquet").exists():
        generate(src, scale=scale, days=days + 1, seed=seed, as_of=NEW_DAY)
    new_day = split_last_day(src, root / f"base-{days}", root / f"day-{days}")
    snapshot = root / f"home-{days}"
    if not (snapshot / "built").exists():
        build_base(root / f"base-{days}", snapshot)
        (snapshot / "built").touch()
    rounds: list[dict[str, Any]] = []
    for i in range(runs):
        figures = {}
        order = [("incremental", False), ("full", True)]
        for mode, full in order if i % 2 == 0 else order[::-1]:
            figures[mode] = one_day(snapshot, root / f"day-{days}", root / "work", full_refresh=full)
        print(json.dumps({"days": days, "round": i + 1, **figures}), flush=True)
        rounds.append(figures)
    incremental = median([r["incremental"]["seconds"] for r in rounds])
    full_seconds = median([r["full"]["seconds"] for r in rounds])
    return {
        "history_days": days,
        "new_day": new_day,
        "incremental_median_seconds": incremental,
        "full_median_seconds": full_seconds,
        "ratio": round(incremental / full_seconds, 3),
        "rounds": rounds,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.incremental", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, nargs="+", default=[120, 360])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=None, help="keep sources and built warehouses here")
    args = parser.parse_args(argv)
    root = args.work or Path(tempfile.mkdtemp(prefix="c360-bench-incremental-"))
    root.mkdir(parents=True, exist_ok=True)
    saved_home = os.environ.get("C360_HOME")
    try:
        results = [history(d, args.scale, args.seed, root, args.runs) for d in args.days]
    finally:
        if saved_home is None:
            os.environ.pop("C360_HOME", None)
        else:
            os.environ["C360_HOME"] = saved_home
        if args.work is None:
            shutil.rmtree(root, ignore_errors=True)
    shortest, longest = results[0], results[-1]
    summary = {
        "scale": args.scale,
        "by_history": {r["history_days"]: {k: v for k, v in r.items() if k != "rounds"} for r in results},
        "incremental_over_full": {r["history_days"]: r["ratio"] for r in results},
        "incremental_longest_over_shortest": round(
            longest["incremental_median_seconds"] / shortest["incremental_median_seconds"], 3
        ),
    }
    path = save(f"incremental-scale{args.scale:g}", {**summary, "all": results})
    print(json.dumps({**summary, "saved": str(path)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
