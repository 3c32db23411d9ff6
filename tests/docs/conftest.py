"""A small live deployment for the documentation's examples: the model tests' generated warehouse (scale 0.1,
a current model and a scoring run), published to a SQLite serving store, with a demo key, and `c360 serve`
on loopback, started as `make demo` starts it (webhook endpoints on this machine allowed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from c360.auth.keys import create_key
from c360.serving.migrate import upgrade
from c360.serving.publish import publish
from c360.serving.store import Store, dispose_engines, served_subscribers
from c360.settings import Settings
from c360.webhooks.outbox import record_events
from tests.conftest import C360, REPO, TLS, Built, free_port
from tests.model.conftest import trained  # noqa: F401  (the session's generated, trained warehouse)

DEMO_SCOPES = ["scores:read", "profiles:read", "events:write", "webhooks:manage"]  # the Makefile's demo key


@dataclass(frozen=True)
class Deployment:
    """What the examples need: where it runs, and the values the docs name as variables."""

    home: Path
    workdir: Path  # the examples' current directory: var/demo.key, .venv and clients/ as in a checkout
    url: str
    env: dict[str, str]  # KEY, SUB, MODEL, KEY_ID, C360_URL, C360_API_KEY, C360_HOME, PATH


@pytest.fixture(scope="session")
def deployment(trained: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:  # noqa: F811
    root = tmp_path_factory.mktemp("docs")
    home, workdir = root / "home", root / "checkout"
    trained.copy(home)
    settings = Settings(home=home, env="development", warehouse_lock_timeout=5)
    upgrade(settings)
    publish(settings, outbox=record_events)
    store = Store.from_settings(settings)
    key = create_key(store, name="demo", scopes=DEMO_SCOPES)[1]
    spare = create_key(store, name="spare", scopes=["scores:read"])[0].key_id  # for `c360 keys revoke "$KEY_ID"`
    with store.engine.connect() as conn:
        t = served_subscribers
        top = sa.select(t.c.subscriber_id, t.c.model_version).where(t.c.risk_tier == "High")
        sub, model = conn.execute(top.order_by(t.c.churn_risk_score.desc()).limit(1)).one()
    dispose_engines()
    (workdir / "var").mkdir(parents=True)
    (workdir / "var" / "demo.key").write_text(key + "\n")
    for name in (".venv", "clients", "docs", "Makefile"):
        (workdir / name).symlink_to(REPO / name)
    shims = root / "bin"
    shims.mkdir()
    real_curl = shutil.which("curl") or "/usr/bin/curl"
    (shims / "curl").write_text(f'#!/bin/sh\nexec {real_curl} --fail-with-body --max-time 20 "$@"\n')
    (shims / "curl").chmod(0o755)  # an example answering 4xx/5xx fails its block, as it would fail a reader
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    base = {k: v for k, v in os.environ.items() if not k.startswith("C360_")}
    env = {
        **base,
        "C360_HOME": str(home),
        "PATH": f"{shims}:{REPO / '.venv' / 'bin'}:{base.get('PATH', '/usr/bin:/bin')}",
        "KEY": key,
        "SUB": str(sub),
        "MODEL": str(model),
        "KEY_ID": spare,
        "C360_URL": url,
        "C360_API_KEY": key,
    }
    server = subprocess.Popen(
        [str(C360), "serve", "--port", str(port)],
        env={**env, "C360_WEBHOOK_ALLOW_PRIVATE_URLS": "1"},
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_up(server, url)
        yield Deployment(home, workdir, url, env)
    finally:
        server.terminate()
        server.wait(30)


def _wait_until_up(server: subprocess.Popen[str], url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"c360 serve exited: {server.stderr.read() if server.stderr else ''}")
        try:
            if httpx.get(f"{url}/healthz", verify=TLS, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("c360 serve did not answer within 60 s")
