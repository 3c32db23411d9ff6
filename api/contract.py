"""openapi.yaml, the contract: written from a default-configured app by ``make openapi``.

python -m api.contract [--out openapi.yaml]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from api.app import create_app
from api.openapi import build, render_yaml
from c360.settings import Settings


def generate() -> str:
    """openapi.yaml's content, from a default-configured app."""
    with tempfile.TemporaryDirectory() as home:
        return render_yaml(build(create_app(Settings(env="development", home=Path(home)))))


def main(argv: list[str] | None = None) -> int:
    """Write the document to --out (default: stdout)."""
    parser = argparse.ArgumentParser(prog="python -m api.contract", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="File to write (default: stdout).")
    args = parser.parse_args(argv)
    text = generate()
    if args.out:
        args.out.write_text(text)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
