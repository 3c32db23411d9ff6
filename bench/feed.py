"""Change-feed benchmark (issue 10): a delta sync after a publish that changed 5% of 25,000 subscribers.

Two runs of 25,000 subscribers go through the real publish path (``write_run``: change rows, tombstones,
versions); the second changes 1,250 scores (5%), half of them across a tier, and drops 10 subscribers.
Then, against ``c360 serve`` (SQLite store, response cache off so every page is computed), at one
connection: the delta from the first version's token (counted: it must hold exactly the 1,260 changed,
each once) and, as the baseline of the same run, the same number of pages of ``GET /v1/health-scores``.
Target: p99 at most 5 ms per page of 500.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.api import C360, server
from bench.measure import machine, save

TARGET_P99_MS = 5.0
PUBLISH_SECONDS: list[float] = []  # the two publishes of the setup: first into an empty store, then the 5% change
PAGE = 500


def rows(n: int, day: Any, now: datetime, changed: set[int], dropped: set[int]) -> list[dict[str, Any]]:
    """The publish rows of one run: scores by a fixed rule, the ``changed`` ones moved."""
    out = []
    for i in range(n):
        if i in dropped:
            continue
        score = ((i * 7919) % 10_000) / 10_000
        if i in changed:
            score = round(min(0.999, score + 0.25 if i % 2 else score / 2 + 0.001), 4)
        tier = "High" if score >= 0.3 else "Medium" if score >= 0.1 else "Low"
        out.append({
            "subscriber_id": f"sub-{i:07d}", "status": "active", "plan": "standard", "churn_risk_score": score,
            "risk_tier": tier, "score_date": day, "scored_at": now, "model_version": "bench-model",
            "drivers": [{"feature": "days_since_last_read", "label": "Days since the last article read",
                         "value": 21.0, "contribution": 0.18, "direction": "increases_risk", "importance": None}],
        })  # fmt: skip
    return out


def prepare(home: Path, n: int, share: float) -> tuple[dict[str, str], str, str, int]:
    """Two published runs; the environment, a key, the first version's sync token, the expected delta size."""
    env = {**os.environ, "C360_HOME": str(home), "C360_API_RATE_LIMIT": "0", "C360_API_CACHE_SIZE": "0"}
    subprocess.run([C360, "migrate"], env=env, check=True, capture_output=True)
    from c360.serving import feed
    from c360.serving.cursor import cursor_key
    from c360.serving.publish import write_run
    from c360.serving.snapshot import ScoringRun
    from c360.serving.store import Store
    from c360.settings import Settings
    from c360.webhooks.outbox import record_events

    settings = Settings(home=home)
    store = Store.from_settings(settings)
    day = datetime.now(UTC).date() - timedelta(days=2)
    step = int(1 / share)
    changed = set(range(0, n, step))
    dropped = set(range(3, n, n // 10))  # ten no longer scored: removals in the delta
    first, second, nxt = datetime.now(UTC), datetime.now(UTC) + timedelta(seconds=1), day + timedelta(days=1)
    before, after = rows(n, day, first, set(), set()), rows(n, nxt, second, changed, dropped)
    started = time.perf_counter()
    write_run(store, settings, ScoringRun("bench-1", day, "bench-model", first), before, None, outbox=record_events)
    PUBLISH_SECONDS.append(time.perf_counter() - started)
    started = time.perf_counter()
    write_run(store, settings, ScoringRun("bench-2", nxt, "bench-model", second), after, None, outbox=record_events)
    PUBLISH_SECONDS.append(time.perf_counter() - started)
    new_scores = {r["subscriber_id"]: r["churn_risk_score"] for r in after}
    expected = sum(1 for r in before if new_scores.get(r["subscriber_id"]) != r["churn_risk_score"])  # moved, dropped
    token = feed.sync_token_of(store, cursor_key(settings), 1)
    created = subprocess.run(
        [C360, "keys", "create", "--name", "bench", "--scopes", "admin"], env=env, check=True, capture_output=True
    )
    return env, created.stdout.decode().strip().splitlines()[-1], token, expected


def delta(client: httpx.Client, token: str) -> tuple[list[float], list[dict[str, Any]]]:
    """One delta sync: per-page seconds and every change."""
    timings: list[float] = []
    changes: list[dict[str, Any]] = []
    params: dict[str, str | int] = {"sync_token": token, "limit": PAGE}
    while True:
        started = time.perf_counter()
        response = client.get("/v1/health-scores/changes", params=params)
        timings.append(time.perf_counter() - started)
        response.raise_for_status()
        body = response.json()
        changes.extend(body["data"])
        if not body["next_cursor"]:
            return timings, changes
        params = {"cursor": body["next_cursor"], "limit": PAGE}


def listing(client: httpx.Client, pages: int) -> list[float]:
    """The baseline: ``pages`` pages of the plain list."""
    timings, params = [], {"limit": PAGE}
    for _ in range(pages):
        started = time.perf_counter()
        response = client.get("/v1/health-scores", params=params)
        timings.append(time.perf_counter() - started)
        params = {"limit": PAGE, "cursor": response.json()["next_cursor"]}
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench feed")
    parser.add_argument("--subscribers", type=int, default=25_000)
    parser.add_argument("--share", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args([a for a in (argv or []) if a.startswith("--")])
    with tempfile.TemporaryDirectory(prefix="c360-bench-feed-") as tmp:
        env, key, token, expected = prepare(Path(tmp), args.subscribers, args.share)
        with (
            server([C360, "serve"], env, "/healthz") as url,
            httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as client,
        ):
            delta(client, token)  # warm up
            pages: list[float] = []
            base: list[float] = []
            counts = set()
            for _ in range(args.rounds):
                timings, changes = delta(client, token)
                ids = [c["subscriber_id"] for c in changes]
                counts.add((len(ids), len(set(ids)), sum(1 for c in changes if c["removed"])))
                pages.extend(timings)
                base.extend(listing(client, len(timings)))
    result = {
        "date": datetime.now(UTC).date().isoformat(),
        "subscribers": args.subscribers,
        "changed_expected": expected,
        "delta_counts": sorted(counts),  # (changes, distinct, removals) per round: one value when stable
        "pages_per_delta": len(pages) // args.rounds,
        "feed_ms": {"p50": 1000 * percentile(pages, 0.5), "p99": 1000 * percentile(pages, 0.99)},
        "list_ms": {"p50": 1000 * percentile(base, 0.5), "p99": 1000 * percentile(base, 0.99)},
        "publish_seconds": [round(s, 2) for s in PUBLISH_SECONDS],
        "target_p99_ms": TARGET_P99_MS,
        "machine": machine(),
    }
    save("feed", result)
    ok = counts == {(expected, expected, 10)} and result["feed_ms"]["p99"] <= TARGET_P99_MS
    print(
        f"delta after {args.share:.0%} of {args.subscribers:,} changed: {sorted(counts)} (expected {expected}); "
        f"feed page p50 {result['feed_ms']['p50']:.2f} ms, p99 {result['feed_ms']['p99']:.2f} ms "
        f"(list baseline p50 {result['list_ms']['p50']:.2f}, p99 {result['list_ms']['p99']:.2f}); "
        f"target p99 <= {TARGET_P99_MS} ms: {'met' if ok else 'NOT met'}; publishes took "
        f"{', '.join(f'{s:.1f} s' for s in PUBLISH_SECONDS)}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
