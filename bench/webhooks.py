"""Benchmark of webhook delivery (issue: Webhooks), with its ceiling measured in the same run.

* throughput: 10,000 events through the whole path (written to the outbox by a publish, claimed, signed,
  sent, attempt recorded) by `c360 worker` to one local receiver: at least 1,000 deliveries/s, and at
  least 0.8 of the ceiling (issue 16; 0.4 in round one): a raw blast of the same signed POSTs, with the
  same HTTP client (aiohttp) at the same concurrency, from one process to the same receiver;
* latency: publish (commit) to first delivery attempt, small publishes with the worker running: p95 at
  most 1 s;
* the HTTP client choice: the same blast with httpx's AsyncClient (smaller, it is slow) and with the engine's
  own client (``c360.webhooks.sender``), which costs far less CPU per POST than aiohttp: the issue's ceiling
  stays the aiohttp blast;
* with ``--before-src DIR`` (a source tree of another commit, e.g. ``git archive main c360 pipeline_sql``
  unpacked; repeatable), the same whole path again with that tree's engine (``PYTHONPATH=DIR``),
  interleaved with this one in every repeat, to compare engines in the same run.

The receiver is a minimal ASGI app under uvicorn (uvloop, httptools) in a process of its own.

    python -m bench.webhooks [--events 10000] [--repeats 3] [--publishes 30] [--serving-url URL]
                             [--before-src DIR] [--port PORT]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.measure import free_port, machine, median, save

PYTHON = sys.executable
C360 = str(Path(sys.executable).parent / "c360")
TARGETS = {"deliveries_per_s": 1000.0, "share_of_ceiling": 0.80, "latency_p95_s": 1.0}
CHANGED = "subscriber.risk_tier.changed"


# --- the receiver: python -m bench.webhooks --receive PORT ------------------------------------------
_received = 0


async def _receiver_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    global _received
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    if scope["method"] == "GET":
        body = str(_received).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": body})
        return
    _received += 1
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def _receive(port: int) -> int:
    import uvicorn

    uvicorn.run(
        _receiver_app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        http="httptools",
        loop="uvloop",
    )
    return 0


@contextlib.contextmanager
def own_schema(serving_url: str | None) -> Iterator[str | None]:
    """A PostgreSQL store in a schema of its own, dropped after: a store left by an earlier run holds newer runs,
    so this run's publishes would be backfills sending no events, and its endpoints would take deliveries too."""
    if not serving_url or not serving_url.startswith("postgresql"):
        yield serving_url
        return
    import sqlalchemy as sa

    schema = f"bench_webhooks_{os.getpid()}"
    admin = sa.create_engine(serving_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
    try:
        yield f"{serving_url}{'&' if '?' in serving_url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextlib.contextmanager
def receiver(port: int | None = None) -> Iterator[str]:
    """The receiver process (on ``port``, default a free one); yields its URL once it answers."""
    port = port or free_port()
    process = subprocess.Popen([PYTHON, "-m", "bench.webhooks", "--receive", str(port)])
    url = f"http://127.0.0.1:{port}/hook"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the receiver did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(30)


# --- the ceiling: signed POSTs straight from one process -----------------------------------------
async def _blast_aiohttp(url: str, n: int, concurrency: int, body: bytes, secret: str) -> float:
    import aiohttp

    from c360.webhooks import signing

    key, queue = signing.secret_key(secret), iter(range(n))
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=0)
    async with aiohttp.ClientSession(connector=connector, headers={"Content-Type": "application/json"}) as session:

        async def one_lane() -> None:
            for i in queue:  # signing inside the loop, as the engine does
                headers = signing.headers([key], f"msg_{i:08d}", int(time.time()), body)
                async with session.post(url, data=body, headers=headers, allow_redirects=False) as response:
                    await response.read()
                    assert response.status == 204

        started = time.perf_counter()
        await asyncio.gather(*(one_lane() for _ in range(concurrency)))
        return n / (time.perf_counter() - started)


async def _blast_httpx(url: str, n: int, concurrency: int, body: bytes, secret: str) -> float:
    from c360.webhooks import signing

    key, queue = signing.secret_key(secret), iter(range(n))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, headers={"Content-Type": "application/json"}) as client:

        async def one_lane() -> None:
            for i in queue:
                headers = signing.headers([key], f"msg_{i:08d}", int(time.time()), body)
                response = await client.post(url, content=body, headers=headers)
                assert response.status_code == 204

        started = time.perf_counter()
        await asyncio.gather(*(one_lane() for _ in range(concurrency)))
        return n / (time.perf_counter() - started)


async def _blast_sender(url: str, n: int, concurrency: int, body: bytes, secret: str) -> float:
    """The engine's own HTTP client (c360.webhooks.sender) in the same loop: the ceiling of its attempts."""
    from c360.webhooks import signing
    from c360.webhooks.sender import Sender

    key, queue = signing.secret_key(secret), iter(range(n))
    async with Sender(timeout=15.0, allow_private=True) as sender:

        async def one_lane() -> None:
            for i in queue:
                headers = signing.headers([key], f"msg_{i:08d}", int(time.time()), body)
                answer = await sender.send(url, body, headers)
                assert answer.status_code == 204

        started = time.perf_counter()
        await asyncio.gather(*(one_lane() for _ in range(concurrency)))
        return n / (time.perf_counter() - started)


def blast(client: str, url: str, n: int, concurrency: int, body: bytes, secret: str) -> float:
    import uvloop

    run = {"aiohttp": _blast_aiohttp, "httpx": _blast_httpx, "sender": _blast_sender}[client]
    return uvloop.run(run(url, n, concurrency, body, secret))


# --- the whole path ------------------------------------------------------------------------------
class Site:
    """A migrated home, an endpoint on the receiver, a running `c360 worker`, and publishing."""

    def __init__(self, home: Path, url: str, serving_url: str | None, concurrency: int) -> None:
        from c360.serving.store import Store
        from c360.settings import Settings
        from c360.webhooks import endpoints

        self.env = {
            **os.environ,
            "C360_HOME": str(home),
            "C360_WEBHOOK_ALLOW_PRIVATE_URLS": "1",
            "C360_WEBHOOK_ENDPOINT_CONCURRENCY": str(concurrency),
        }
        if serving_url:
            self.env["C360_SERVING_URL"] = serving_url
        subprocess.run([C360, "migrate"], env=self.env, check=True, capture_output=True)
        self.settings = Settings(home=home, serving_url=serving_url, webhook_allow_private_urls=True)
        self.store = Store.from_settings(self.settings)
        endpoint, self.secret = endpoints.create(self.store, self.settings, url=url, event_types=[CHANGED])
        self.endpoint_id = endpoint.id
        self.runs = 0
        self.worker: subprocess.Popen[bytes] | None = None

    def publish(self, scores: dict[str, float]) -> tuple[float, float]:
        """A scoring run with these scores; (wall time at commit, seconds the publish took)."""
        from c360.serving.publish import write_run
        from c360.serving.snapshot import ScoringRun
        from c360.webhooks.outbox import record_events

        self.runs += 1
        day, now = date(2025, 1, 1) + timedelta(days=self.runs), datetime.now(UTC)
        rows = [
            {
                "subscriber_id": sid,
                "churn_risk_score": s,
                "risk_tier": "High" if s >= 0.3 else "Low",
                "score_date": day,
                "scored_at": now,
                "model_version": "bench",
                "status": "active",
                "drivers": [
                    {
                        "feature": "days_since_last_read",
                        "value": 21,
                        "contribution": 0.18,
                        "direction": "increases_risk",
                    }
                ],
            }
            for sid, s in scores.items()
        ]
        started = time.perf_counter()
        write_run(
            self.store,
            self.settings,
            ScoringRun(f"bench-{self.runs}", day, "bench", now),
            rows,
            None,
            outbox=record_events,
        )
        return time.time(), time.perf_counter() - started

    def start_worker(self, source: str | None = None) -> None:
        """`c360 worker --jobs webhooks`, running the engine of ``source`` (a source tree) when given; waits for its
        start. The webhook job alone: another tree's worker with the warehouse jobs would refuse a warehouse
        migrated by this one's scripts (and their ticks are not what is measured)."""
        env = {**self.env, "PYTHONPATH": source} if source else self.env
        self.worker = subprocess.Popen([C360, "worker", "--jobs", "webhooks"], env=env, stderr=subprocess.DEVNULL)
        time.sleep(3)

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.terminate()
            self.worker.wait(60)

    def delivered(self, since_seq: int) -> tuple[int, datetime | None]:
        import sqlalchemy as sa

        from c360.webhooks.tables import webhook_messages as m

        with self.store.read() as conn:
            row = conn.execute(
                sa.select(sa.func.count(), sa.func.max(m.c.delivered_at)).where(
                    m.c.seq > since_seq, m.c.status == "delivered"
                )
            ).one()
        return int(row[0]), row[1]

    def last_seq(self) -> int:
        import sqlalchemy as sa

        from c360.webhooks.tables import webhook_messages as m

        with self.store.read() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(m.c.seq), 0))).scalar_one())

    def first_attempts(self, since_seq: int) -> list[datetime]:
        import sqlalchemy as sa

        from c360.webhooks.tables import webhook_attempts as a
        from c360.webhooks.tables import webhook_messages as m

        with self.store.read() as conn:
            return list(
                conn.execute(
                    sa.select(sa.func.min(a.c.attempted_at))
                    .select_from(a.join(m, m.c.id == a.c.message_id))
                    .where(m.c.seq > since_seq)
                    .group_by(a.c.message_id)
                ).scalars()
            )


def cpu_seconds(pid: int) -> float:
    """A process's CPU time (user + system) so far, from /proc: robust to the load, unlike rates."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(site: Site, ids: list[str], tier: float) -> dict[str, float]:
    """Publish a run flipping every subscriber's tier; deliveries/s from commit to the last one recorded, and
    the worker's CPU per delivery."""
    assert site.worker is not None
    before = site.last_seq()
    cpu_before = cpu_seconds(site.worker.pid)
    committed, publish_seconds = site.publish(dict.fromkeys(ids, tier))
    deadline = time.monotonic() + 600
    while True:
        count, last = site.delivered(before)
        if count >= len(ids):
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {count} of {len(ids)} delivered in 600 s")
        time.sleep(0.1)
    worker_cpu = cpu_seconds(site.worker.pid) - cpu_before
    assert last is not None
    seconds = last.timestamp() - committed
    starts = sorted(t.timestamp() for t in site.first_attempts(before))
    low, high = starts[len(starts) // 10], starts[len(starts) * 9 // 10]
    steady = 0.8 * len(starts) / (high - low)  # the middle 80 % of attempts: no start-up, no tail
    return {
        "events": len(ids),
        "seconds": round(seconds, 3),
        "deliveries_per_s": round(len(ids) / seconds),
        "steady_per_s": round(steady),
        "publish_seconds": round(publish_seconds, 3),
        "worker_cpu_us": round(worker_cpu / len(ids) * 1e6, 1),  # per delivery
    }


def latency(site: Site, publishes: int, per_publish: int) -> dict[str, float]:
    """Small publishes at random intervals; publish commit to each event's first attempt."""
    ids = [f"lat-{i:03d}" for i in range(per_publish)]
    site.publish(dict.fromkeys(ids, 0.05))
    samples: list[float] = []
    for n in range(publishes):
        time.sleep(random.uniform(0.3, 1.0))
        before = site.last_seq()
        committed, _ = site.publish(dict.fromkeys(ids, 0.5 if n % 2 == 0 else 0.05))
        deadline = time.monotonic() + 30
        while len(firsts := site.first_attempts(before)) < per_publish and time.monotonic() < deadline:
            time.sleep(0.05)
        samples += [first.timestamp() - committed for first in firsts]
    samples.sort()
    return {
        "samples": len(samples),
        "p50_s": round(statistics.median(samples), 3),
        "p95_s": round(samples[int(0.95 * (len(samples) - 1))], 3),
        "max_s": round(samples[-1], 3),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.webhooks", description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--publishes", type=int, default=30, help="small publishes for the latency figure")
    parser.add_argument("--per-publish", type=int, default=5, help="tier changes per small publish")
    parser.add_argument("--httpx-events", type=int, default=2_000)
    parser.add_argument("--serving-url", default=None, help="default: SQLite under a temporary C360_HOME")
    parser.add_argument("--concurrency", type=int, help="per endpoint (default: C360_WEBHOOK_ENDPOINT_CONCURRENCY)")
    parser.add_argument(
        "--before-src", action="append", default=[], help="also measure the engine of this source tree, interleaved"
    )
    parser.add_argument("--port", type=int, help="the receiver's port (default: a free one)")
    parser.add_argument("--receive", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.receive:
        return _receive(args.receive)
    from c360.settings import Settings

    concurrency = args.concurrency or Settings().webhook_endpoint_concurrency
    data = {
        "subscriber_id": "sub-00001",
        "previous_risk_tier": "Low",
        "risk_tier": "High",
        "churn_risk_score": 0.5,
        "previous_churn_risk_score": 0.05,
        "score_date": "2025-01-02",
        "model_version": "bench",
        "drivers": [
            {"feature": "days_since_last_read", "value": 21, "contribution": 0.18, "direction": "increases_risk"}
        ],
    }
    body = json.dumps({"type": CHANGED, "timestamp": "2025-11-21T04:30:02.117Z", "data": data}).encode()
    result: dict[str, Any] = {
        "events": args.events,
        "repeats": args.repeats,
        "concurrency": concurrency,
        "serving": "postgresql" if args.serving_url else "sqlite",
        "targets": TARGETS,
    }
    ids = [f"sub-{i:05d}" for i in range(args.events)]
    with (
        tempfile.TemporaryDirectory(prefix="c360-bench-webhooks-") as home,
        receiver(args.port) as url,
        own_schema(args.serving_url) as serving_url,
    ):
        site = Site(Path(home), url, serving_url, concurrency)
        site.publish(dict.fromkeys(ids, 0.05))  # the baseline
        flips = iter(range(10 * args.repeats))
        site.start_worker()
        try:
            runs, ceilings, blast_cpu = [], [], []
            before: dict[str, list[dict[str, float]]] = {source: [] for source in args.before_src}
            for r in range(args.repeats):
                cpu = time.process_time()
                ceilings.append(blast("aiohttp", url, args.events, concurrency, body, site.secret))
                blast_cpu.append((time.process_time() - cpu) / args.events * 1e6)
                runs.append(throughput(site, ids, 0.5 if next(flips) % 2 == 0 else 0.05))
                line = (
                    f"run {r + 1}: whole path {runs[-1]['deliveries_per_s']:,}/s ({runs[-1]['worker_cpu_us']} µs CPU),"
                    f" ceiling {ceilings[-1]:,.0f}/s ({blast_cpu[-1]:.1f} µs CPU)"
                )
                for source, measured in before.items():
                    site.stop_worker()
                    site.start_worker(source)
                    measured.append(throughput(site, ids, 0.5 if next(flips) % 2 == 0 else 0.05))
                    site.stop_worker()
                    site.start_worker()
                    last = measured[-1]
                    line += f", {source} {last['deliveries_per_s']:,}/s ({last['worker_cpu_us']} µs CPU)"
                print(line, flush=True)
            httpx_rate = blast("httpx", url, args.httpx_events, concurrency, body, site.secret)
            aiohttp_32 = blast("aiohttp", url, args.events, 32, body, site.secret)
            httpx_32 = blast("httpx", url, args.httpx_events, 32, body, site.secret)
            sender_rate = blast("sender", url, args.events, concurrency, body, site.secret)
            result["latency"] = latency(site, args.publishes, args.per_publish)
        finally:
            site.stop_worker()
    rate = median([r["deliveries_per_s"] for r in runs])
    ceiling = median(ceilings)
    result.update(
        runs=runs,
        ceilings=[round(c) for c in ceilings],
        deliveries_per_s=round(rate),
        ceiling_per_s=round(ceiling),
        share_of_ceiling=round(rate / ceiling, 2),
        steady_per_s=round(median([r["steady_per_s"] for r in runs])),
        worker_cpu_us=median([r["worker_cpu_us"] for r in runs]),
        blast_cpu_us=round(median(blast_cpu), 1),
        publish_seconds=median([r["publish_seconds"] for r in runs]),
        clients={
            f"aiohttp_c{concurrency}": round(ceiling),
            f"httpx_c{concurrency}": round(httpx_rate),
            "aiohttp_c32": round(aiohttp_32),
            "httpx_c32": round(httpx_32),
            f"sender_c{concurrency}": round(sender_rate),  # the engine's own client, c360.webhooks.sender
        },
        machine=machine(),
    )
    result["before"] = {
        source: {
            "runs": measured,
            "deliveries_per_s": round(median([r["deliveries_per_s"] for r in measured])),
            "share_of_ceiling": round(median([r["deliveries_per_s"] for r in measured]) / ceiling, 2),
            "worker_cpu_us": median([r["worker_cpu_us"] for r in measured]),
        }
        for source, measured in before.items()
    }
    path = save("webhooks", result)
    lat = result["latency"]
    print(
        f"whole path: {rate:,.0f} deliveries/s (median of {args.repeats}), ceiling {ceiling:,.0f}/s, "
        f"share {rate / ceiling:.2f}; publish of {args.events:,} events {result['publish_seconds']} s"
    )
    print(f"CPU per delivery: worker {result['worker_cpu_us']} µs, blast {result['blast_cpu_us']} µs per POST")
    for source, other in result["before"].items():
        print(
            f"{source}: {other['deliveries_per_s']:,} deliveries/s, share {other['share_of_ceiling']:.2f},"
            f" worker CPU {other['worker_cpu_us']} µs per delivery"
        )
    print(f"steady state (middle 80% of attempts): {result['steady_per_s']:,}/s")
    print(f"publish -> first attempt: p50 {lat['p50_s']} s, p95 {lat['p95_s']} s, max {lat['max_s']} s")
    print(f"clients (signed POSTs/s): {result['clients']}")
    print(f"figures in {path}")
    ok = rate >= TARGETS["deliveries_per_s"] and rate / ceiling >= TARGETS["share_of_ceiling"]
    return 0 if ok and lat["p95_s"] <= TARGETS["latency_p95_s"] else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
