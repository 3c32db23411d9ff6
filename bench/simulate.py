"""Seconds per simulated day of ``c360 simulate`` (issue 15): what producing one more day of the world costs.

Before: each day regenerated the whole world (``days + k`` days to ``as_of + k``) and diffed it against the
day before's, which is the baseline reproduced here (``_regenerate_day``, the code of ``new_day`` before).
After: ``c360.ops.simulate.Future`` generates ``HORIZON`` days per generation. Both run in the same process,
one after the other, on the same scale, days and seed:

    python -m bench.simulate [--scale 1] [--days 184] [--baseline-days 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.measure import save

AS_OF = date(2026, 12, 4)


def _regenerate_day(scratch: Path, *, scale: float, days: int, seed: int, ahead: int) -> int:
    """The old ``new_day``'s cost: the world generated to the new day, read and diffed against the day before."""
    from c360.sources.generate import generate

    day = AS_OF + timedelta(days=ahead)
    before, after = scratch / f"day-{ahead - 1}", scratch / f"day-{ahead}"
    if not (before / "content_engagement.csv").exists():
        generate(before, scale=scale, days=days + ahead - 1, seed=seed, as_of=day - timedelta(days=1))
    generate(after, scale=scale, days=days + ahead, seed=seed, as_of=day)
    old = (before / "content_engagement.csv").read_text().splitlines()
    new = (after / "content_engagement.csv").read_text().splitlines()
    (before / "content_engagement.csv").unlink()
    return len(new) - len(old)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.simulate")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=184)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline-days", type=int, default=3)
    args = parser.parse_args(argv)
    from c360.ops.simulate import HORIZON, Future

    with tempfile.TemporaryDirectory(prefix="bench-simulate-") as scratch:
        base = Path(scratch) / "base"
        base.mkdir()
        before = []
        for k in range(1, args.baseline_days + 1):
            started = time.perf_counter()
            rows = _regenerate_day(base, scale=args.scale, days=args.days, seed=args.seed, ahead=k)
            before.append(time.perf_counter() - started)
            print(f"before: day {k}: {before[-1]:.1f} s ({rows:,} content rows)", flush=True)
        future = Future(Path(scratch) / "future", scale=args.scale, days=args.days, seed=args.seed, as_of=AS_OF)
        after = []
        try:
            started = time.perf_counter()
            for k in range(1, HORIZON + 1):
                t0 = time.perf_counter()
                future.day(k)
                after.append(time.perf_counter() - t0)
                if k == 1:
                    future._chunks.pop(1).cancel()  # measure one horizon alone, without the prefetch competing
            total = time.perf_counter() - started
        finally:
            future.close()
    figures = {
        "scale": args.scale,
        "days": args.days,
        "before_seconds_per_day": [round(s, 1) for s in before],
        "before_steady_median_s": round(statistics.median(before[1:] or before), 1),
        "after_horizon_days": HORIZON,
        "after_first_day_s": round(after[0], 1),
        "after_seconds_per_day": round(total / HORIZON, 1),
    }
    print(figures, flush=True)
    save("simulate", figures)
    return 0
