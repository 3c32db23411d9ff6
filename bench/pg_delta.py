"""The change feed's multi-version delta on a large PostgreSQL store (issue 16, section 3): a sync token several
versions old, one page of 500, this tree against a ``--before-src`` tree in the same run.

On a store bench.pg_scale fills (``--subscribers``, one publish), ``--versions`` more versions of the same run
are recorded as daily publishes leave their change rows: in version k, the subscribers whose number is k modulo
20 (5 %) move by 0.01, and those the version before moved move back (a change undone). A token ``--back``
versions old then reads 2 x 5 % of the subscribers as changes and skips the changes undone in between.

Measured, each tree interleaved with the other:
* EXPLAIN (ANALYZE, BUFFERS) of the delta page query from the start and from the middle of the ids (the plan and
  its time in the database; the before tree's in a child process with that tree's code);
* ``c360 serve`` of each tree (one worker, cache off) up at once: pages of 500 from the token, following the
  cursors, one page of each tree in turn; p50/p99 over HTTP and the server's CPU time per page (/proc).

    python -m bench.pg_delta --url postgresql+psycopg://postgres@127.0.0.1:5432/<db> --subscribers 1000000 \\
        --before-src <dir: git archive main c360 pipeline_sql> [--versions 6] [--back 2,6] [--port 18210]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from bench import measure, serving_data
from bench.feed import percentile
from bench.measure import median, save
from bench.pg_scale import C360, PAGE, fill, migrated, settings_for

ROOT = Path(__file__).resolve().parents[1]
CHANGE_ROWS = """
INSERT INTO served_changes (subscriber_id, version, state, churn_risk_score, risk_tier, model_version,
                            prev_state, prev_score, prev_tier, prev_model)
SELECT subscriber_id, :version, 'served', churn_risk_score + :moved, risk_tier, model_version,
       'served', churn_risk_score + :was, risk_tier, model_version
FROM served_subscribers
WHERE run_seq = 1 AND churn_risk_score IS NOT NULL AND CAST(substr(subscriber_id, 5) AS integer) % 20 = :group
"""


def add_versions(store: Any, count: int) -> int:
    """``count`` versions after the fill's, each with its change rows (see the module's docstring); the newest."""
    from c360.serving import state

    now = datetime.now(UTC)
    with store.write() as conn:
        current = state.lock(conn, now)
        for _ in range(count):
            version = state.advance(conn, current, run_seq=1, kind="publish", reason=None, now=now)
            conn.execute(sa.text(CHANGE_ROWS), {"version": version, "moved": 0.01, "was": 0.0, "group": version % 20})
            if version > 2:  # the ones moved the version before move back
                back = {"version": version, "moved": 0.0, "was": 0.01, "group": (version - 1) % 20}
                conn.execute(sa.text(CHANGE_ROWS), back)
            current = state.read(conn)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # as autovacuum leaves a table after inserts: index-only scans need its visibility map
        conn.exec_driver_sql("VACUUM ANALYZE served_changes")
    return current.version


def explain(url: str, since: int, version: int, n: int) -> dict[str, Any]:
    """With the code of whichever tree this process imports, from the first id and from the middle: EXPLAIN
    (ANALYZE, BUFFERS) of the delta's (first) statement, and a page of 500 read in process (read_changes, as
    the API reads it) five times."""
    from c360.serving import feed, state, tokens
    from c360.serving.cursor import cursor_key

    settings = settings_for(url, Path(tempfile.gettempdir()))
    store = migrated(settings)
    key = cursor_key(settings)
    with store.read() as conn:
        store_id = state.read(conn).store_id
    out: dict[str, Any] = {"plans": {}, "ms": {}, "page_ms": {}}
    with store.read() as conn:
        for case, after in (("start", ""), ("middle", serving_data.subscriber_id(n // 2))):
            params = {"seq": 1, "since": since, "version": version, "after": after, "limit": PAGE + 1}
            if hasattr(feed, "_DELTA"):  # the code before: one statement grouping the window after the cursor
                statements = [(feed._DELTA, params)]
            else:  # the first stretch of the page: its bound, then its changes
                from c360.serving import delta

                params["rows"] = 2 * (PAGE + 1) + version - since
                _, params["last"] = conn.execute(delta._bound(version - since), params).one()
                statements = [(delta._bound(version - since), params), (delta._changed(version - since), params)]
            plans = [plan_of(conn, statement, values) for statement, values in statements]
            out["plans"][case] = "\n\n".join(plans)
            out["ms"][case] = round(sum(execution_ms(plan) for plan in plans), 3)
    middle = {"v": version, "t": since, "a": serving_data.subscriber_id(n // 2), "s": store_id}
    for case, token, cursor in (
        ("start", feed.sync_token_of(store, key, since), None),
        ("middle", None, tokens.sign(feed._PAGE, middle, key)),
    ):
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            page = feed.read_changes(store, run=None, key=key, sync_token=token, cursor=cursor, limit=PAGE)
            timings.append(round(1000 * (time.perf_counter() - started), 2))
            assert len(page.items) == PAGE
        out["page_ms"][case] = timings
    store.engine.dispose()
    return out


def plan_of(conn: sa.Connection, statement: Any, params: dict[str, Any]) -> str:
    compiled = statement.compile(dialect=conn.dialect)
    text = f"EXPLAIN (ANALYZE, BUFFERS) {compiled.string}"
    return "\n".join(r[0] for r in conn.exec_driver_sql(text, compiled.construct_params(params)))


def explain_in(src: str | None, url: str, since: int, version: int, n: int) -> dict[str, Any]:
    """``explain`` with this tree's code, or in a child process with the code of the tree ``src``."""
    if src is None:
        return explain(url, since, version, n)
    code = (
        f"import json; from bench.pg_delta import explain; print(json.dumps(explain({url!r}, {since}, {version}, {n})))"
    )
    env = {**os.environ, "PYTHONPATH": f"{src}:{ROOT}"}
    with tempfile.TemporaryDirectory() as cwd:  # not this tree's root, whose c360 would come first
        done = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, check=True, capture_output=True)
    measured: dict[str, Any] = json.loads(done.stdout)
    return measured


def execution_ms(plan: str) -> float:
    return float(plan.rsplit("Execution Time: ", 1)[1].split()[0])


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pages(servers: dict[str, tuple[str, int]], key: str, token: str, count: int) -> dict[str, Any]:
    """``count`` pages of 500 from ``token`` per server, following the cursors (again from the token after the
    last page), one page of each server in turn; wall p50/p99 and the server's CPU per page."""
    timings: dict[str, list[float]] = {name: [] for name in servers}
    cpu = dict.fromkeys(servers, 0.0)
    rows = dict.fromkeys(servers, 0)
    params: dict[str, dict[str, str | int]] = {name: {"sync_token": token, "limit": PAGE} for name in servers}
    clients = {name: httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=600)
               for name, (url, _) in servers.items()}  # fmt: skip
    with contextlib.ExitStack() as stack:
        for client in clients.values():
            stack.enter_context(client)
        for _ in range(count):
            for name, (_, pid) in servers.items():
                used = cpu_seconds(pid)
                started = time.perf_counter()
                response = clients[name].get("/v1/health-scores/changes", params=params[name])
                timings[name].append(time.perf_counter() - started)
                cpu[name] += cpu_seconds(pid) - used
                response.raise_for_status()
                body = response.json()
                rows[name] += len(body["data"])
                cursor = body["next_cursor"]
                params[name] = {"cursor": cursor, "limit": PAGE} if cursor else {"sync_token": token, "limit": PAGE}
    return {
        name: {"p50_ms": round(1000 * percentile(t, 0.5), 2), "p99_ms": round(1000 * percentile(t, 0.99), 2),
               "cpu_ms_per_page": round(1000 * cpu[name] / count, 2), "pages": count, "rows": rows[name]}
        for name, t in timings.items()
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pg_delta", description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="A PostgreSQL database, empty or filled by this benchmark.")
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--versions", type=int, default=6, help="Versions with changes after the first.")
    parser.add_argument("--back", default="2,6", help="Token ages in versions, comma-separated.")
    parser.add_argument("--before-src", help="A source tree of the code before (git archive main c360 pipeline_sql).")
    parser.add_argument("--repeats", type=int, default=3, help="EXPLAIN ANALYZE runs per tree and case.")
    parser.add_argument("--pages", type=int, default=40, help="Pages per tree and token age.")
    parser.add_argument("--port", type=int, default=18210)
    args = parser.parse_args(argv)
    from c360.serving import feed, state
    from c360.serving.cursor import cursor_key
    from c360.serving.store import served_runs

    result: dict[str, Any] = {"subscribers": args.subscribers, "machine": measure.machine(),
                              "load_before": os.getloadavg()}  # fmt: skip
    trees: dict[str, str | None] = {"after": None, **({"before": args.before_src} if args.before_src else {})}
    with tempfile.TemporaryDirectory(prefix="c360-bench-pgd-") as work:
        home = Path(work)
        settings = settings_for(args.url, home)
        store = migrated(settings)
        with store.read() as conn:
            filled = conn.execute(sa.select(served_runs.c.subscribers).where(served_runs.c.seq == 1)).scalar()
        if filled != args.subscribers:
            result["fill"] = fill(store, settings, args.subscribers)
            add_versions(store, args.versions)
        with store.read() as conn:
            version = state.read(conn).version
        result["version"] = version
        backs = [int(b) for b in args.back.split(",")]
        result["explain"] = {}
        for back in backs:
            since = version - back
            runs: dict[str, list[dict[str, Any]]] = {tree: [] for tree in trees}
            for _ in range(args.repeats):
                for tree, src in trees.items():
                    runs[tree].append(explain_in(src, args.url, since, version, args.subscribers))
            result["explain"][back] = {
                tree: {
                    "explain_ms": {case: sorted(r["ms"][case] for r in measured) for case in ("start", "middle")},
                    "page_ms_median": {
                        case: median([t for r in measured for t in r["page_ms"][case]]) for case in ("start", "middle")
                    },
                    "plans": measured[-1]["plans"],
                }
                for tree, measured in runs.items()
            }
            shown = {t: (v["explain_ms"], v["page_ms_median"]) for t, v in result["explain"][back].items()}
            print(f"bench pg_delta: in the database, {back} versions back: {shown}", file=sys.stderr)
        save("pg_delta", result)
        env = {**os.environ, "C360_HOME": str(home), "C360_SERVING_URL": args.url, "C360_API_CACHE_SIZE": "0",
               "C360_API_RATE_LIMIT": "0"}  # fmt: skip
        created = subprocess.run(
            [C360, "keys", "create", "--name", "bench", "--scopes", "admin"], env=env, check=True, capture_output=True
        )
        key = created.stdout.decode().strip().splitlines()[-1]
        with contextlib.ExitStack() as stack:
            servers = {}
            for i, (tree, src) in enumerate(trees.items()):
                tree_env = {**env, "PYTHONPATH": src} if src else env
                port = args.port + i
                process = stack.enter_context(measure.server([C360, "serve"], tree_env, port, "/healthz"))
                servers[tree] = (f"http://127.0.0.1:{port}", process.pid)
            result["http"] = {}
            for back in backs:
                token = feed.sync_token_of(store, cursor_key(settings), version - back)
                result["http"][back] = pages(servers, key, token, args.pages)
                print(f"bench pg_delta: http, {back} versions back: {result['http'][back]}", file=sys.stderr)
        result["load_after"] = os.getloadavg()
        store.engine.dispose()
    print(f"figures: {save('pg_delta', result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
