"""The documentation's examples run: every shell and Python block of README.md, docs/*.md and the SDK's README
either runs against a small live deployment (tests/docs/conftest.py) and succeeds, or is marked as not run,
with the reason (tests/docs/blocks.py). A doc line that drifts from the code fails here.

Each document's blocks run in order: shell blocks each in its own ``bash -e -o pipefail`` in a checkout-like
directory (``var/demo.key``, ``.venv``), with ``KEY``, ``SUB``, ``MODEL`` and ``KEY_ID`` set as the docs
describe and the demo's ``http://127.0.0.1:8360`` pointing at the live server; ``curl`` fails on an HTTP
error. Python blocks share one namespace per document, with ``C360_URL`` and ``C360_API_KEY`` set."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, free_port
from tests.docs.blocks import PYTHON, SHELL, MarkupError, blocks
from tests.docs.conftest import Deployment

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "clients" / "python" / "README.md"]
DEMO_URL = "http://127.0.0.1:8360"
RECEIVER = "127.0.0.1:9360"  # docs/webhooks.md's local receiver: a free port here, so parallel runs never collide


def test_every_document_is_checked() -> None:
    assert {p.name for p in DOCS} >= {"README.md", "api.md", "webhooks.md", "deploy.md", "pipeline.md"}
    assert sum(b.runs for doc in DOCS for b in blocks(doc)) >= 25  # most examples run, few are illustrations


@pytest.mark.slow  # a whole deployment: the trained warehouse published and served, each shell block a process
@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_the_examples_run(
    doc: Path, deployment: Deployment, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(deployment.workdir)
    for name in ("C360_URL", "C360_API_KEY", "C360_HOME"):
        monkeypatch.setenv(name, deployment.env[name])
    namespace: dict[str, Any] = {"__name__": f"doc:{doc.name}"}
    receiver_port = free_port()
    for block in blocks(doc):
        if block.language in PYTHON and not block.runs:
            compile(block.code, block.where, "exec")  # an illustration still parses
        if not block.runs:
            continue
        code = block.code.replace(DEMO_URL, deployment.url).replace(RECEIVER, f"127.0.0.1:{receiver_port}")
        if block.language in SHELL:
            _run_shell(block.where, code, deployment.env)
        else:
            try:
                exec(compile(code, block.where, "exec"), namespace)
            except Exception as exc:
                pytest.fail(f"{block.where}: the Python example fails: {type(exc).__name__}: {exc}")
    capsys.readouterr()


def _run_shell(where: str, code: str, env: dict[str, str]) -> None:
    proc = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", code],
        env=env,
        cwd=Path.cwd(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"{where}: the shell example exits {proc.returncode}\n{code}\n--- stdout\n{proc.stdout[-3000:]}"
            f"\n--- stderr\n{proc.stderr[-3000:]}"
        )


def test_an_unmarked_failing_block_fails_and_a_skip_needs_a_reason(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "```bash\nfalse\n```\n\n<!-- doc-test: skip reason=needs a Snowflake account -->\n```bash\nexit 3\n```\n"
        "```python illustration\nsketch(...)\n```\n```json\n{}\n```\n"
    )
    found = blocks(doc)
    assert [(b.line, b.runs, b.skip) for b in found] == [
        (1, True, None), (6, False, "needs a Snowflake account"), (9, False, "an illustration"), (12, False, None)
    ]  # fmt: skip
    with pytest.raises(pytest.fail.Exception, match=r"doc.md:1: the shell example exits 1"):
        _run_shell(found[0].where, found[0].code, {"PATH": "/usr/bin:/bin"})
    doc.write_text("<!-- doc-test: skip -->\n```sh\ntrue\n```\n")
    with pytest.raises(MarkupError, match="needs reason"):
        blocks(doc)
