"""Benchmark of the REST API (issue: REST API v1; issue 16), with its ceilings measured in the same run.

* ceilings (bench/bare.py), same uvicorn settings: a raw ASGI app sending constant bytes, and a bare FastAPI
  endpoint returning a constant JSON; and for the warm lookup, from one of its answers captured in the run, a
  raw app sending that answer's bytes and the least Python that answers it (key, scope, rate limit, cache, ETag
  and counts in plain dicts and ints), which say how much of the gap to the raw app is left to any Python code;
* GET health-score with a warm cache (25,000 served subscribers): throughput at 32 connections at least
  0.8 of the raw ASGI ceiling's (issue 16; 0.6 of bare FastAPI's before), p99 at most 2 ms at 1 connection;
* GET health-score with the cache off and 1,000,000 served subscribers: p99 at most 5 ms at 1 connection;
  two workers at least 1.7 times one worker's throughput (issue 16);
* POST batch-get of 100 random ids (1,000,000 subscribers): p99 at most 1 ms at 1 connection (issue 16);
* events: accepted by the API to visible in STG_UNIFIED_CUSTOMER with `c360 worker` running, p95 at most 5 s.

Every server (each worker count, each ceiling, each --before-src tree) is up for the whole run and the
scenarios are interleaved in every repeat; beside throughput, the server's own CPU time per request (its
processes' user and system time over the run, from /proc) is reported, which a busy machine disturbs less.

Latency is quoted at 1 connection (service time); throughput at 32 (on 2 cores queueing dominates
latency there). Every figure is the median of --repeats runs of --seconds each, for each --workers.

    python -m bench.api [--seconds 5] [--repeats 3] [--workers 1,2] [--large 1000000] [--quick]
                        [--before-src DIR] [--ports 18100-18199]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from bench import load, serving_data
from bench.measure import free_port, machine, median, save
from bench.measure import server as server_process

PYTHON = sys.executable
C360 = str(Path(sys.executable).parent / "c360")
PORTS: list[int] = []  # --ports: the range to serve on, used up in order
PIDS: dict[str, int] = {}  # the process serving each URL
TARGETS = {
    "warm_share_of_raw": 0.80, "warm_p99_ms": 2.0, "cold_p99_ms": 5.0, "cold_two_workers": 1.7, "batch_p99_ms": 1.0,
    "events_p95_s": 5.0,
}  # fmt: skip


def prepare(home: Path, subscribers: int) -> tuple[dict[str, str], str, float]:
    """A migrated home with ``subscribers`` served; its environment, an admin key, the fill time."""
    env = {**os.environ, "C360_HOME": str(home), "C360_API_RATE_LIMIT": "1000000000"}
    subprocess.run([C360, "migrate"], env=env, check=True, capture_output=True)
    from c360.settings import Settings

    seconds = serving_data.fill(Settings(home=home), subscribers) if subscribers else 0.0
    created = subprocess.run(
        [C360, "keys", "create", "--name", "bench", "--scopes", "admin"], env=env, check=True, capture_output=True
    )
    return env, created.stdout.decode().strip().splitlines()[-1], seconds


@contextlib.contextmanager
def server(argv: list[str], env: dict[str, str], probe: str) -> Iterator[str]:
    """A server on the next port of --ports (else a free one); yields its base URL once ``probe`` answers."""
    port = PORTS.pop(0) if PORTS else free_port()
    url = f"http://127.0.0.1:{port}"
    with server_process(argv, env, port, probe) as process:
        PIDS[url] = process.pid
        yield url


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and its descendants (uvicorn's workers) so far."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        for task in Path(f"/proc/{pid}/task").iterdir():
            total += sum(cpu_seconds(int(child)) for child in (task / "children").read_text().split())
    except (FileNotFoundError, ProcessLookupError):
        pass  # a process that ended meanwhile
    return total


def cache_counts(url: str) -> tuple[float, float]:
    """Cache hits and misses so far (all workers)."""
    text = httpx.get(url + "/metrics").text
    found = dict(re.findall(r'^c360_api_cache_lookups_total\{result="(\w+)"\} (\S+)$', text, re.MULTILINE))
    return float(found.get("hit", 0)), float(found.get("miss", 0))


def measure(
    wrk: str | None, urls: dict[str, str], scenarios: dict[str, tuple[str, str, str, int]], args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """Medians of the repeats at 1 connection (latency) and 32 connections (throughput) of every scenario
    (name: server, request kind, key, subscribers), the scenarios interleaved in each repeat."""
    runs: dict[tuple[str, int], list[tuple[load.Result, float]]] = {}  # each run and its server CPU per request
    for _ in range(args.repeats):
        for connections in (1, 32):
            for name, (url, kind, token, n) in scenarios.items():
                cpu = cpu_seconds(PIDS[urls[url]])
                result = load.run(wrk, urls[url], kind, connections=connections, seconds=args.seconds, token=token, n=n)
                cpu = cpu_seconds(PIDS[urls[url]]) - cpu
                runs.setdefault((name, connections), []).append((result, 1e6 * cpu / max(result.requests, 1)))
    figures: dict[str, dict[str, Any]] = {name: {} for name in scenarios}
    for (name, connections), measured in runs.items():
        found = [r for r, _ in measured]
        client = [r.client_cpu_us for r in found if r.client_cpu_us is not None]  # only wrk's is measured
        figures[name][f"c{connections}"] = {
            "cpu_us": round(median([cpu for _, cpu in measured]), 1),
            "client_cpu_us": round(median(client), 1) if client else None,
            "rps": round(median([r.rps for r in found])),
            "p50_ms": round(median([r.p50_ms for r in found]), 3),
            "p90_ms": round(median([r.p90_ms for r in found]), 3),
            "p99_ms": round(median([r.p99_ms for r in found]), 3),
            "errors": sum(r.errors for r in found),
            "runs_rps": [round(r.rps) for r in found],
            "runs_p99_ms": [round(r.p99_ms, 3) for r in found],
        }
    return figures


def _uvicorn(workers: int) -> list[str]:
    """uvicorn with `c360 serve`'s settings, for the ceilings (bench.bare)."""
    argv = [PYTHON, "-m", "uvicorn", "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    return [*argv, "--no-server-header", "--loop", "uvloop", "--http", "httptools"]


def capture(url: str, token: str, work: Path) -> str:
    """A warm health-score answer of ``url`` (its headers and body) and the SHA-256 of the key it needs, in a
    file for the ceilings that answer the same (bench.bare); the file's path."""
    headers = {"Authorization": f"Bearer {token}"}
    httpx.get(f"{url}/v1/subscribers/{serving_data.subscriber_id(1)}/health-score", headers=headers)  # cached now
    answer = httpx.get(f"{url}/v1/subscribers/{serving_data.subscriber_id(1)}/health-score", headers=headers)
    answer.raise_for_status()
    sent = [(name, value) for name, value in answer.headers.items() if name != "date"]  # the server adds its own
    path = work / "warm-answer.json"
    digest = hashlib.sha256(token.encode()).hexdigest()
    path.write_text(json.dumps({"headers": sent, "body": answer.text, "key_sha256": digest}), encoding="utf-8")
    return str(path)


def warm_up(wrk: str | None, url: str, token: str, n: int) -> float:
    """Load random ids until at least 99% of lookups hit (each worker has its own cache); the last hit ratio."""
    ratio = 0.0
    for _ in range(12):
        before = cache_counts(url)
        load.run(wrk, url, "score", connections=32, seconds=10, token=token, n=n)
        hits, misses = (a - b for a, b in zip(cache_counts(url), before, strict=True))
        ratio = hits / max(hits + misses, 1)
        if ratio >= 0.99:
            break
    return ratio


def events_latency(home: Path, samples: int) -> dict[str, Any]:
    """Seconds from a 202 to the subscriber's row in STG_UNIFIED_CUSTOMER, with `c360 worker` running."""
    from c360.settings import Settings
    from c360.warehouse import Warehouse

    env, token, _ = prepare(home, 0)
    warehouse = Warehouse.from_settings(Settings(home=home, warehouse_lock_timeout=30))
    with server([C360, "serve"], env, "/healthz") as url:
        return _time_events(env, warehouse, url, token, samples)


def _time_events(env: dict[str, str], warehouse: Any, url: str, token: str, samples: int) -> dict[str, Any]:
    home = Path(env["C360_HOME"])
    log = (home / "worker.log").open("w")
    worker = subprocess.Popen([C360, "worker"], env=env, stderr=log)
    waits: list[float] = []
    try:
        for i in range(samples):
            event = {
                "event_id": f"bench-{i}-{time.time_ns()}", "subscriber_id": f"bench-live-{i}", "event_type": "signup",
                "event_timestamp": "2025-11-20T09:00:00Z", "plan": "basic",
            }  # fmt: skip
            posted = httpx.post(
                f"{url}/v1/events/subscription", json={"events": [event]}, headers={"Authorization": f"Bearer {token}"}
            )
            accepted = time.perf_counter()
            assert posted.status_code == 202 and posted.json()["accepted"] == 1, posted.text
            while True:
                with warehouse.connect() as conn:
                    found = conn.scalar(
                        "SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER WHERE subscriber_id = :id",
                        {"id": event["subscriber_id"]},
                    )
                if found:
                    waits.append(time.perf_counter() - accepted)
                    break
                if time.perf_counter() - accepted > 120 or worker.poll() is not None:
                    tail = (home / "worker.log").read_text()[-2000:]
                    raise RuntimeError(f"an event did not reach staging within 120 s; worker log: {tail}")
                time.sleep(0.05)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        log.close()
    waits.sort()
    return {
        "samples": samples,
        "p50_s": round(median(waits), 2),
        "p95_s": round(waits[max(0, int(0.95 * len(waits)) - 1)], 2),
        "max_s": round(waits[-1], 2),
    }


def run_all(args: argparse.Namespace, wrk: str | None, small: Any, large: Any, counts: list[int]) -> dict[int, Any]:
    """Every scenario for each worker count in ``counts``, all servers up at once and measured interleaved: each
    repeat runs every scenario once, so a change in the machine's load reaches them all (and both sides of
    every ratio: warm cache to ceiling, this tree to a --before-src tree, two workers to one) alike."""
    (small_env, small_key), (large_env, large_key) = small, large
    cold_env = {**large_env, "C360_API_CACHE_SIZE": "0"}
    warm_env = {**small_env, "C360_API_CACHE_SIZE": str(2 * args.small), "C360_API_CACHE_TTL": "86400"}
    trees: dict[str, str | None] = {"": None, **{f"@{i}": src for i, src in enumerate(args.before_src, 1)}}
    urls: dict[str, str] = {}
    scenarios: dict[str, tuple[str, str, str, int]] = {}  # "<workers>/<scenario>": server, kind, key, subscribers
    with contextlib.ExitStack() as stack:
        for w in counts:
            serve = [C360, "serve", "--workers", str(w)]
            for name, app in (("raw", "bench.bare:raw"), ("bare", "bench.bare:app")):
                urls[f"{w}/{name}"] = stack.enter_context(server([*_uvicorn(w), app], small_env, "/"))
                scenarios[f"{w}/{name}"] = (f"{w}/{name}", "bare", "", 1)
            for suffix, src in trees.items():
                tree = {"PYTHONPATH": src} if src else {}
                warm, cold = f"{w}/warm{suffix}", f"{w}/cold{suffix}"
                urls[warm] = stack.enter_context(server(serve, {**warm_env, **tree}, "/healthz"))
                urls[cold] = stack.enter_context(server(serve, {**cold_env, **tree}, "/healthz"))
                scenarios[f"{w}/score_warm{suffix}"] = (warm, "score", small_key, args.small)
                scenarios[f"{w}/score_cold{suffix}"] = (cold, "score", large_key, args.large)
                scenarios[f"{w}/batch_get_100{suffix}"] = (cold, "batch", large_key, args.large)
        answer = capture(urls[f"{counts[0]}/warm"], small_key, Path(small_env["C360_HOME"]))
        ceiling_env = {**small_env, "C360_BENCH_RESPONSE": answer}
        ceiling_env["C360_BENCH_SUBSCRIBERS"] = str(args.small)
        for w in counts:  # the warm answer's own ceilings: its bytes alone, and the least Python that answers it
            for name, kind in (("response", "bare"), ("least", "score")):
                factory = [*_uvicorn(w), "--factory", f"bench.bare:{name}"]
                urls[f"{w}/{name}"] = stack.enter_context(server(factory, ceiling_env, "/"))
                scenarios[f"{w}/{name}"] = (f"{w}/{name}", kind, small_key, args.small)
        result: dict[str, Any] = {"load_before": os.getloadavg()}
        warms = [name for name in urls if "/warm" in name]
        for name in warms:
            result[f"{name}_up_hit_ratio"] = round(warm_up(wrk, urls[name], small_key, args.small), 4)
        before = {name: cache_counts(urls[name]) for name in warms}
        result.update(measure(wrk, urls, scenarios, args))
        for name in warms:
            hits, misses = (a - b for a, b in zip(cache_counts(urls[name]), before[name], strict=True))
            result[name.replace("/warm", "/score_warm")]["hit_ratio"] = round(hits / max(hits + misses, 1), 4)
        result["load_after"] = os.getloadavg()
    by_workers: dict[int, dict[str, Any]] = {
        w: {key.split("/", 1)[1]: value for key, value in result.items() if key.startswith(f"{w}/")} for w in counts
    }
    for w, figures in by_workers.items():
        figures["load_before"], figures["load_after"] = result["load_before"], result["load_after"]
        for suffix in trees:
            for name in ("bare", "raw", "response", "least"):
                share = figures["score_warm" + suffix]["c32"]["rps"] / figures[name]["c32"]["rps"]
                figures[f"warm{suffix}_share_of_{name}"] = round(share, 2)
            if w != counts[0]:
                cold = (
                    figures["score_cold" + suffix]["c32"]["rps"]
                    / by_workers[counts[0]]["score_cold" + suffix]["c32"]["rps"]
                )
                figures[f"cold{suffix}_times_{counts[0]}_worker"] = round(cold, 2)
    return by_workers


def _us(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def markdown(result: dict[str, Any]) -> str:
    """The figures as the table docs/benchmarks.md shows (``@1`` …: the --before-src trees)."""
    lines = [
        "| workers | scenario | req/s at 32 conn | p50 / p99 at 1 conn (ms) | share of raw ASGI | share of bare "
        "| server CPU per request at 32 conn (µs) | CPU share of raw ASGI | wrk CPU per request (µs) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    names = {"raw": "raw ASGI (ceiling)", "response": "raw ASGI sending the warm answer's bytes",
             "least": "the least Python answering the warm lookup", "bare": "bare FastAPI",
             "score_warm": "health-score, warm cache",
             "score_cold": "health-score, cache off", "batch_get_100": "batch-get 100 ids, cache off"}  # fmt: skip
    for workers, figures in result["workers"].items():
        raw, bare, raw_cpu = (
            figures["raw"]["c32"]["rps"],
            figures["bare"]["c32"]["rps"],
            figures["raw"]["c32"]["cpu_us"],
        )
        for key in figures:
            base, _, tree = key.partition("@")
            if base not in names or not isinstance(figures[key], dict):
                continue
            f = figures[key]
            scale = f"{result['large']:,}" if base in ("score_cold", "batch_get_100") else f"{result['small']:,}"
            label = names[base] + ("" if base in ("raw", "response", "least", "bare") else f" ({scale} subscribers)")
            label += f" [before-src {tree}]" if tree else ""
            lines.append(
                f"| {workers} | {label} | {f['c32']['rps']:,} | {f['c1']['p50_ms']:.2f} / {f['c1']['p99_ms']:.2f} | "
                f"{f['c32']['rps'] / raw:.2f} | {f['c32']['rps'] / bare:.2f} | {f['c32']['cpu_us']:.1f} | "
                f"{raw_cpu / f['c32']['cpu_us']:.2f} | {_us(f['c32'].get('client_cpu_us'))} |"
            )
    for workers, figures in result["workers"].items():
        for key, ratio in figures.items():
            if key.startswith("cold") and "_times_" in key:
                tree, _, base = key.removeprefix("cold").partition("_times_")
                source = f" [before-src {tree[1:]}]" if tree else ""
                lines.append(f"\nHealth-score, cache off{source}: {workers} workers did {ratio:.2f} times the "
                             f"req/s of {base.split('_')[0]} at 32 connections, in the same run.")  # fmt: skip
    if "events" in result:
        e = result["events"]
        lines.append(f"\nEvents accepted to visible in STG_UNIFIED_CUSTOMER ({e['samples']} events, worker running): "
                     f"p50 {e['p50_s']} s, p95 {e['p95_s']} s, max {e['max_s']} s.")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="Duration of each load run.")
    parser.add_argument("--repeats", type=int, default=3, help="Runs per figure; the median is reported.")
    parser.add_argument("--workers", default="1,2", help="Comma-separated worker counts to measure.")
    parser.add_argument("--small", type=int, default=25_000, help="Served subscribers for the warm-cache case.")
    parser.add_argument("--large", type=int, default=1_000_000, help="Served subscribers for the cache-off cases.")
    parser.add_argument("--events", type=int, default=20, help="Events timed through the worker (0: skip).")
    parser.add_argument("--quick", action="store_true", help="A smoke run: 2 s, 1 repeat, 100,000 subscribers.")
    parser.add_argument(
        "--before-src",
        action="append",
        default=[],
        help="Also serve this source tree's API (PYTHONPATH=DIR, e.g. `git archive main api c360 pipeline_sql` "
        "unpacked; repeatable), interleaved with this one, over the same stores.",
    )
    parser.add_argument("--ports", help="Serve on ports of this range (e.g. 18100-18199) instead of any free one.")
    args = parser.parse_args(argv)
    if args.ports:
        first, _, last = args.ports.partition("-")
        PORTS.extend(range(int(first), int(last) + 1))
    if args.quick:
        args.seconds, args.repeats, args.large, args.events = 2.0, 1, min(args.large, 100_000), min(args.events, 5)
    wrk = load.ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="c360-bench-api-") as work:
        print(f"bench api: filling serving stores ({args.small:,} and {args.large:,} subscribers)", file=sys.stderr)
        small_env, small_key, _ = prepare(Path(work) / "small", args.small)
        large_env, large_key, fill_seconds = prepare(Path(work) / "large", args.large)
        result: dict[str, Any] = {
            "driver": "wrk" if wrk else "httpx (client-bound)", "seconds": args.seconds, "repeats": args.repeats,
            "small": args.small, "large": args.large, "large_fill_seconds": round(fill_seconds, 1),
            "targets": TARGETS, "workers": {},
        }  # fmt: skip
        counts = [int(w) for w in args.workers.split(",")]
        print(f"bench api: {', '.join(map(str, counts))} worker(s), interleaved", file=sys.stderr)
        result["workers"] = run_all(args, wrk, (small_env, small_key), (large_env, large_key), counts)
        save("api", result)  # a later failure keeps what was measured
        if args.events:
            print("bench api: events through the worker", file=sys.stderr)
            try:
                result["events"] = events_latency(Path(work) / "events", args.events)
            except (RuntimeError, subprocess.CalledProcessError) as exc:
                result["events_error"] = str(exc)
                print(f"bench api: events: {exc}", file=sys.stderr)
    print(f"machine: {machine()}")
    print(markdown(result))
    print(f"figures: {save('api', result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
