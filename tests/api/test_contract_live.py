"""schemathesis' own CLI over a live server: every check, the examples, coverage and fuzzing phases, NUL
bytes allowed, a full-scope key and rate limiting off. Zero failures.

Cursors and sync tokens are opaque and signed (their pattern is in the contract): a schema-valid string that
this API did not return is rightly refused, so the run is given real ones, as a client pages with the ones it
was given.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from c360.auth.keys import create_key
from c360.serving import feed, queries
from c360.serving.cursor import cursor_key
from tests.api.conftest import Servers

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


@pytest.mark.slow
@pytest.mark.parametrize("servers", ["sqlite"], indirect=True)
def test_schemathesis_finds_nothing_over_http(servers: Servers, tmp_path: Path) -> None:
    served = servers.start(api_rate_limit=0, api_auth_failure_limit=0, webhook_allow_private_urls=True)
    key = create_key(served.store, name="schemathesis", scopes=["admin"])[1]
    page = queries.list_health_scores(
        served.store,
        run=queries.current_run(served.store),
        cursor=None,
        cursor_key=cursor_key(served.settings),
        limit=3,
    )
    run = queries.current_run(served.store)
    assert run is not None
    key_bytes = cursor_key(served.settings)
    changes = feed.read_changes(served.store, run=run, key=key_bytes, sync_token=None, cursor=None, limit=3)
    token = feed.sync_token_of(served.store, key_bytes, run.version)
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        '[[operations]]\ninclude-name = "GET /v1/health-scores"\n'
        f'parameters = {{ "query.cursor" = "{page.next_cursor}" }}\n'
        '[[operations]]\ninclude-name = "GET /v1/health-scores/changes"\n'
        f'parameters = {{ "query.cursor" = "{changes.next_cursor}", "query.sync_token" = "{token}" }}\n'
    )
    proc = subprocess.run(
        [str(SCHEMATHESIS), "--config-file", str(config), "run", f"{served.url}/openapi.json", "--checks", "all",
         "--phases", "examples,coverage,fuzzing", "--max-examples", "25", "--generation-allow-x00", "true",
         "--header", f"Authorization: Bearer {key}", "--seed", "11", "--no-color"],
        capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
