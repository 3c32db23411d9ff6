"""``python -m bench [name ...] [-- args]``: run the benchmarks (``make bench`` runs them all).

Each benchmark is a module of this package with ``main(argv) -> int``; its figures go to stdout and to
``bench/out/<name>.json``, and are copied by hand into docs/benchmarks.md with date and machine.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["pipeline", "ingest", "incremental", "model", "api", "feed", "webhooks", "dashboard", "landing"]


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")] or BENCHMARKS
    rest = [a for a in argv if a.startswith("-")]
    status = 0
    for name in names:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError:
            print(f"bench: no benchmark named {name} (yet)", file=sys.stderr)
            continue
        print(f"== bench {name}", flush=True)
        status |= module.main(rest)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
