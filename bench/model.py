"""Benchmark of the churn model (issue: the churn model), with its ceiling measured in the same run.

For each scale and generator seed, from an empty directory: generate, migrate, ingest and
``c360 pipeline run`` (which trains the first model and scores), then

* training: ``c360 train`` wall time, median of --repeats (scale 1: at most 30 s);
* scoring with drivers: ``c360 score`` wall time, median of --repeats (25,000 subscribers at most 5 s,
  250,000 at most 30 s);
* the baseline for drivers, in the same run: LightGBM's own TreeSHAP (``pred_contrib``) on the same
  model and rows, against the per-tree case tables of c360/model/drivers.py;
* backtest of the latest labelled weekly snapshot (as_of - 35, the model's test date) against what
  followed, beside the oracle: the generator's own probability on the same rows, the best possible
  AUC. Targets: AUC at least 0.80 and at least 0.95 of the oracle's.

    python -m bench.model [--scales 1] [--seeds 0] [--repeats 3] [--keep]

Figures go to stdout and bench/out/model.json; docs/benchmarks.md ("Churn model") and docs/model.md
quote them.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.measure import median, run, save

C360 = str(Path(sys.executable).parent / "c360")
AS_OF = date(2026, 11, 24)
BACKTEST_DAY = AS_OF - timedelta(days=35)  # the latest weekly snapshot with a complete 30-day label
TARGETS = {"train_s_scale1": 30.0, "score_s_25k": 5.0, "score_s_250k": 30.0, "auc": 0.80, "oracle_share": 0.95}


def build(scale: float, seed: int, work: Path) -> dict[str, float]:
    """Sources to a scored warehouse with real `c360` processes; seconds per step."""
    env = {"C360_HOME": str(work / "home")}
    src = work / "src"
    seconds: dict[str, float] = {}
    generate = ["generate", "--out", str(src), "--scale", str(scale), "--seed", str(seed), "--as-of", str(AS_OF)]
    seconds["generate"] = run([C360, *generate], env).seconds
    seconds["migrate"] = run([C360, "migrate"], env).seconds
    files = [src / "subscription_events.jsonl", src / "content_engagement.csv", src / "support_tickets.parquet"]
    seconds["ingest"] = run([C360, "ingest", *map(str, files)], env).seconds
    (src / "content_engagement.csv").unlink()  # 15 GB at scale 10: not needed once loaded
    seconds["pipeline_run"] = run([C360, "pipeline", "run", "--as-of", str(AS_OF)], env).seconds
    return seconds


def timings(work: Path, repeats: int) -> dict[str, Any]:
    """Median wall time of `c360 train` and `c360 score` (each a fresh process, imports included)."""
    env = {"C360_HOME": str(work / "home")}
    train = [run([C360, "train", "--as-of", str(AS_OF)], env).seconds for _ in range(repeats)]
    score = [run([C360, "score", "--as-of", str(AS_OF)], env).seconds for _ in range(repeats)]
    return {"train_s": median(train), "train_runs": train, "score_s": median(score), "score_runs": score}


def backtest(work: Path) -> dict[str, Any]:
    """The current model's backtest on BACKTEST_DAY, with the oracle on the same rows."""
    from c360.model.backtest import run_backtest
    from c360.settings import Settings
    from c360.warehouse import Warehouse

    settings = Settings(home=work / "home")
    result = run_backtest(
        Warehouse.from_settings(settings),
        as_of=BACKTEST_DAY,
        settings=settings,
        ground_truth=work / "src" / "ground_truth.parquet",
    )
    return {
        "day": str(result.as_of),
        "sample": result.sample,
        "model_version": result.model_version,
        "rows": result.rows,
        "positives": result.positives,
        "oracle_rows": result.oracle_rows,
        "metrics": result.metrics,
        "oracle_auc": result.oracle_auc,
        "model_auc_on_oracle_rows": result.model_auc_on_oracle_rows,
        "oracle_share": result.oracle_ratio,
        "deciles": [d.__dict__ for d in result.deciles],
    }


def shap_baseline(work: Path) -> dict[str, float]:
    """Seconds for exact SHAP values of the day's subscribers: ours against LightGBM's pred_contrib."""
    import time

    import numpy as np

    from c360.model.features import matrix, read_scoring_features
    from c360.model.score import current_model
    from c360.settings import Settings
    from c360.warehouse import DuckDBConnection, Warehouse

    settings = Settings(home=work / "home")
    with Warehouse.from_settings(settings).connect() as conn:
        assert isinstance(conn, DuckDBConnection)
        _, model = current_model(conn, settings.home)
        x = matrix(read_scoring_features(conn, AS_OF), model.categories)
    model.explainer  # noqa: B018 - build the tables outside the timing (scoring loads them once)
    started = time.perf_counter()
    ours, _ = model.contributions(x)
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    theirs = np.asarray(model.booster.predict(x, pred_contrib=True, num_threads=1))
    lightgbm_s = time.perf_counter() - started
    return {
        "rows": len(x),
        "ours_s": ours_s,
        "lightgbm_pred_contrib_s": lightgbm_s,
        "max_abs_difference": float(np.abs(ours / model.calibration.slope - theirs[:, :-1]).max()),
    }


def scored_rows(work: Path) -> int:
    """Subscribers in the last scoring run."""
    import duckdb

    con = duckdb.connect(str(work / "home" / "warehouse.duckdb"), read_only=True)
    try:
        row = con.execute(
            "SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES WHERE score_date = ?", [AS_OF]
        ).fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def one(scale: float, seed: int, repeats: int, keep: bool) -> dict[str, Any]:
    """Everything for one (scale, seed)."""
    work = Path(tempfile.mkdtemp(prefix=f"c360-bench-model-{scale:g}-{seed}-"))
    try:
        result: dict[str, Any] = {"scale": scale, "seed": seed, "build_s": build(scale, seed, work)}
        result.update(timings(work, repeats))
        result["scored_rows"] = scored_rows(work)
        result["shap_baseline"] = shap_baseline(work)
        result["backtest"] = backtest(work)
        result["work"] = str(work) if keep else None
        return result
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def report(r: dict[str, Any]) -> str:
    """One line per run."""
    b = r["backtest"]
    base = r["shap_baseline"]
    return (
        f"scale {r['scale']:g} seed {r['seed']}: train {r['train_s']:.1f} s, score {r['score_s']:.1f} s "
        f"(SHAP {base['ours_s']:.2f} s vs LightGBM pred_contrib {base['lightgbm_pred_contrib_s']:.2f} s) "
        f"({r['scored_rows']:,} subscribers); backtest {b['day']} ({b['sample']}): AUC {b['metrics']['roc_auc']:.4f}, "
        f"oracle {b['oracle_auc']:.4f}, share {b['oracle_share']:.3f}, PR AUC {b['metrics']['pr_auc']:.4f}, "
        f"Brier {b['metrics']['brier']:.5f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.model", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1", help="comma-separated generator scales (1 = 25,000 subscribers)")
    parser.add_argument("--seeds", default="0", help="comma-separated generator seeds")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of train and score (median)")
    parser.add_argument("--keep", action="store_true", help="keep each run's directory")
    args = parser.parse_args(argv)
    runs = []
    for scale in (float(s) for s in args.scales.split(",")):
        for seed in (int(s) for s in args.seeds.split(",")):
            result = one(scale, seed, args.repeats, args.keep)
            print(report(result), flush=True)
            runs.append(result)
    path = save("model", {"as_of": str(AS_OF), "targets": TARGETS, "runs": runs})
    print(f"figures: {path}")
    failed = [r for r in runs if not _meets_targets(r)]
    for r in failed:
        print(f"target missed: scale {r['scale']:g} seed {r['seed']}", file=sys.stderr)
    return 1 if failed else 0


def _meets_targets(r: dict[str, Any]) -> bool:
    b = r["backtest"]
    ok = b["metrics"]["roc_auc"] >= TARGETS["auc"] and (b["oracle_share"] or 0) >= TARGETS["oracle_share"]
    if r["scale"] == 1:
        ok = ok and r["train_s"] <= TARGETS["train_s_scale1"] and r["score_s"] <= TARGETS["score_s_25k"]
    if r["scale"] == 10:
        ok = ok and r["score_s"] <= TARGETS["score_s_250k"]
    return bool(ok)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
