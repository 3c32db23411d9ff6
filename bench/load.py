"""Load drivers for the API benchmark: wrk (Debian's, installed on demand) or an asyncio httpx fallback.

Each run sends one kind of request for a fixed time over a fixed number of keep-alive connections,
with random existing subscriber ids, and reports throughput and latency percentiles. wrk is the
driver of record: the httpx fallback is itself CPU-bound well below the server on 2 cores, so its
figures are lower bounds, and it says so.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

_LUA = """
local n, kind, token = %(n)d, "%(kind)s", "%(token)s"
local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
local threads, counter = {}, 1
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function init(args) math.randomseed(os.time() * 100 + id) end
local function sid() return string.format("sub-%%07d", math.random(0, n - 1)) end
request = function()
  if kind == "score" then
    return wrk.format("GET", "/v1/subscribers/" .. sid() .. "/health-score", headers)
  elseif kind == "batch" then
    local ids = {}
    for i = 1, 100 do ids[i] = '"' .. sid() .. '"' end
    local body = '{"subscriber_ids":[' .. table.concat(ids, ",") .. ']}'
    return wrk.format("POST", "/v1/health-scores/batch-get", headers, body)
  end
  return wrk.format("GET", "/")
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p90_us": %%d, "p99_us": %%d, ' ..
    '"socket_errors": %%d, "status_errors": %%d}\\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass(frozen=True)
class Result:
    """One load run."""

    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors and non-2xx answers
    client_cpu_us: float | None = None  # the load generator's own CPU per request (wrk only)


def ensure_wrk() -> str | None:
    """wrk's path, installing Debian's package when possible; None means: use the httpx driver."""
    found = shutil.which("wrk")
    if found is None and shutil.which("apt-get") and os.geteuid() == 0:
        print("bench: wrk not found; installing Debian's (apt-get install -y wrk)", file=sys.stderr)
        for command in (
            ["apt-get", "install", "-y", "wrk"],
            ["apt-get", "update"],
            ["apt-get", "install", "-y", "wrk"],
        ):
            subprocess.run(command, capture_output=True, check=False)
            found = shutil.which("wrk")
            if found:
                break
    if found is None:
        print(
            "bench: wrk unavailable: using the asyncio httpx driver, whose own CPU use caps the figures",
            file=sys.stderr,
        )
    return found


def run(wrk: str | None, url: str, kind: str, *, connections: int, seconds: float, token: str, n: int) -> Result:
    """Load ``url`` with requests of ``kind`` (bare | score | batch) for ``seconds``."""
    if wrk:
        return _wrk(wrk, url, kind, connections=connections, seconds=seconds, token=token, n=n)
    return asyncio.run(_httpx(url, kind, connections=connections, seconds=seconds, token=token, n=n))


def _wrk(wrk: str, url: str, kind: str, *, connections: int, seconds: float, token: str, n: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA % {"n": n, "kind": kind, "token": token})
    try:
        # One thread: on these 2-core machines a second wrk thread only competes with the server for the cores
        # (measured 2026-12-07: raw ASGI 63,075 req/s with one thread against 54,905 with two, at two workers),
        # and one thread sends 60,000 requests a second on under half a core; client_cpu_us shows its cost.
        argv = [wrk, "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s", "-s", script.name, url]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        Path(script.name).unlink()
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    data = json.loads(line[4:])
    return Result(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        requests=data["requests"],
        errors=data["socket_errors"] + data["status_errors"],
        client_cpu_us=1e6 * (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / data["requests"],
    )


async def _httpx(url: str, kind: str, *, connections: int, seconds: float, token: str, n: int) -> Result:
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=10) as client:
        deadline = time.perf_counter() + seconds

        async def one_connection() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await _request(client, kind, n)
                latencies.append(time.perf_counter() - started)
                errors += response.status_code >= 300

        started = time.perf_counter()
        await asyncio.gather(*(one_connection() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return Result(len(latencies) / elapsed, cuts[49] * 1000, cuts[89] * 1000, cuts[98] * 1000, len(latencies), errors)


async def _request(client: httpx.AsyncClient, kind: str, n: int) -> httpx.Response:
    def sid() -> str:
        return f"sub-{random.randrange(n):07d}"

    if kind == "score":
        return await client.get(f"/v1/subscribers/{sid()}/health-score")
    if kind == "batch":
        return await client.post("/v1/health-scores/batch-get", json={"subscriber_ids": [sid() for _ in range(100)]})
    return await client.get("/")
