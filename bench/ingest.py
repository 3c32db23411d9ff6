"""Benchmark of the CSV's ingest against a bare DuckDB read of the same file (issue 16, section 2).

``bench.pipeline`` times one ingest and one bare read per run, and single runs on these shared machines move
by a third. This one generates the files once, migrates one warehouse, then in each round times, each a
process of its own: the bare ``read_csv`` of ``bench.pipeline`` into a new database file, and ``c360 ingest``
of the CSV into a fresh copy of the migrated warehouse, with this checkout's entry point and, given
``--against DIR``, another checkout's (its own ``.venv``, the same migrations), in turn. The ratio to the
bare read (at most 1.3) is given from the medians and per round.

    python -m bench.ingest [--scale 1] [--rounds 6] [--seed 0] [--against /path/to/checkout]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.measure import median, run, save
from bench.pipeline import AS_OF, C360, DAYS, bare_read_csv


def rounds(src: Path, work: Path, entries: dict[str, str], count: int) -> list[dict[str, Any]]:
    """``count`` rounds of the bare read and each entry point's ingest, in that order."""
    csv, template = src / "content_engagement.csv", work / "migrated"
    run([C360, "migrate"], {"C360_HOME": str(template)})
    results = []
    for i in range(count):
        (work / "bare.duckdb").unlink(missing_ok=True)
        bare = bare_read_csv(csv, work / "bare.duckdb")
        figures: dict[str, Any] = {"round": i + 1, "bare_read_csv": {"seconds": round(bare.seconds, 2)}}
        for name, entry in entries.items():
            home = work / f"home-{name}"
            shutil.rmtree(home, ignore_errors=True)
            shutil.copytree(template, home)
            measured = run([entry, "ingest", str(csv)], {"C360_HOME": str(home)})
            figures[name] = {
                "seconds": round(measured.seconds, 2),
                "peak_rss_mb": round(measured.peak_rss_mb),
                "ratio_to_bare": round(measured.seconds / bare.seconds, 2),
            }
        print(json.dumps(figures), flush=True)
        results.append(figures)
    return results


def summarize(results: list[dict[str, Any]], entries: dict[str, str]) -> dict[str, Any]:
    bare = median([r["bare_read_csv"]["seconds"] for r in results])
    summary: dict[str, Any] = {"bare_read_csv_seconds": bare}
    for name in entries:
        seconds = median([r[name]["seconds"] for r in results])
        summary[name] = {
            "seconds": seconds,
            "ratio_of_medians": round(seconds / bare, 2),
            "median_of_ratios": median([r[name]["ratio_to_bare"] for r in results]),
        }
    return summary


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.ingest", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--against", type=Path, help="another checkout, measured in the same rounds")
    args = parser.parse_args(argv)
    entries = {"this": C360}
    if args.against:
        other = args.against / ".venv" / "bin" / "c360"
        if not other.exists():
            parser.error(f"{other} does not exist: run `make install` in {args.against} first")
        entries["against"] = str(other)
    work = Path(tempfile.mkdtemp(prefix=f"c360-bench-ingest-{args.scale:g}-"))
    try:
        src = work / "src"
        run([C360, "generate", "--out", str(src), "--scale", str(args.scale), "--seed", str(args.seed),
             "--days", str(DAYS), "--as-of", AS_OF.isoformat()])  # fmt: skip
        results = rounds(src, work, entries, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary = summarize(results, entries)
    against = str(args.against) if args.against else None
    path = save(
        f"ingest-scale{args.scale:g}",
        {"scale": args.scale, "rounds": args.rounds, "against": against, "median": summary, "all": results},
    )
    print(json.dumps({"median": summary, "saved": str(path)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
