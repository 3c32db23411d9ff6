"""Dashboard page render times: each page's first render (empty caches, every API call made) and its cached
render (a rerun: every read from st.cache_data), with streamlit.testing's AppTest against a live API.
"cold" is each page's first repeat (the API's own response cache cold too; the first page also pays the
dashboard's imports), "first" the median over repeats of a render with st.cache_data cleared.

    python -m bench dashboard        # the store of C360_HOME (make demo's), published at scale 1

It serves that store with `c360 serve` on a free loopback port and a fresh analytics key, like `make demo`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.measure import OUT, free_port, machine

PAGES = ["leaderboard", "profile", "engagement", "cohorts", "model_health", "webhooks"]
APP = Path(__file__).resolve().parents[1] / "dashboard"
TARGET_FIRST, TARGET_CACHED = 1.5, 0.3


def _serve(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "c360"), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("c360 serve did not start")


def _time_page(name: str, subscriber: str, repeats: int) -> dict[str, Any]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    first, cached = [], []
    for _ in range(repeats):
        st.cache_data.clear()
        at = AppTest.from_file(str(APP / "views" / f"{name}.py"), default_timeout=60)
        at.session_state["subscriber_id"] = subscriber
        started = time.perf_counter()
        at.run()
        first.append(time.perf_counter() - started)
        if at.exception or at.error:
            raise RuntimeError(f"{name}: {at.exception or at.error[0].value}")
        started = time.perf_counter()
        at.run()
        cached.append(time.perf_counter() - started)
    # first[0] is the page's very first render: the API's response cache is cold for its reads too.
    return {
        "page": name,
        "cold_s": first[0],
        "first_s": statistics.median(first),
        "cached_s": statistics.median(cached),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--port", type=int, default=None, help="the API's port (default: a free one)")
    args = parser.parse_args(argv)
    from c360.auth.keys import create_key
    from c360.serving.analytics_queries import leaderboard
    from c360.serving.queries import current_run, require_run
    from c360.serving.store import Store
    from c360.settings import get_settings

    store = Store.from_settings(get_settings())
    run = require_run(current_run(store))
    riskiest = leaderboard(store, run_seq=run.seq, limit=1)[0]["subscriber_id"]
    key = create_key(store, name="bench-dashboard", scopes=["scores:read", "profiles:read", "analytics:read"])[1]
    port = args.port or free_port()
    api = _serve(port)
    os.environ |= {"C360_DASHBOARD_API_URL": f"http://127.0.0.1:{port}", "C360_DASHBOARD_API_KEY": key}
    get_settings.cache_clear()
    try:
        results = [_time_page(name, riskiest, args.repeats) for name in PAGES]
    finally:
        api.terminate()
        api.wait(10)
    subscribers = run.subscribers
    print(f"served run {run.run_id} ({run.score_date}): {subscribers:,} subscribers; median of {args.repeats}")
    for r in results:
        ok = max(r["cold_s"], r["first_s"]) <= TARGET_FIRST and r["cached_s"] <= TARGET_CACHED
        print(
            f"  {r['page']:<13} cold {r['cold_s']:.3f} s  first {r['first_s']:.3f} s  "
            f"cached {r['cached_s']:.3f} s  {'ok' if ok else 'OVER'}"
        )
    OUT.mkdir(exist_ok=True)
    report = {"machine": machine(), "subscribers": subscribers, "repeats": args.repeats, "pages": results}
    (OUT / "dashboard.json").write_text(json.dumps(report, indent=2, default=str))
    return 0
