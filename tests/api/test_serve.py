"""`c360 serve` as a user runs it: refuses an unmigrated store, serves with one or several workers."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from c360.auth.keys import create_key
from c360.serving.migrate import upgrade
from c360.serving.store import Store
from c360.settings import get_settings
from tests.conftest import C360, TLS, free_port, run_cli


def test_serve_refuses_an_unmigrated_store(home: Path) -> None:
    result = run_cli("serve", "--port", str(free_port()), timeout=60)
    assert result.returncode == 2 and "c360 migrate" in result.stderr


@pytest.mark.slow
def test_serve_with_two_workers_answers_and_adds_up_metrics(home: Path) -> None:
    settings = get_settings()
    upgrade(settings)
    _, key = create_key(Store.from_settings(settings), name="cli", scopes=["scores:read"])
    port = free_port()
    server = subprocess.Popen(
        [str(C360), "serve", "--port", str(port), "--workers", "2"], env=os.environ.copy(), stderr=subprocess.PIPE
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", verify=TLS, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        with httpx.Client(verify=TLS, base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:
            statuses = {client.get("/v1/risk-tiers").status_code for _ in range(20)}
            assert statuses == {404}  # nothing published yet: a problem, not a failure
            metrics = client.get("/metrics").text
        # 20 requests spread over two processes, added up by the multiprocess collector
        assert 'c360_api_requests_total{method="GET",route="/v1/risk-tiers",status="404"} 20.0' in metrics
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def test_serve_with_access_log_logs_each_request(home: Path) -> None:
    # issue 11 #10: --access-log logged nothing (uvicorn's log level was warning for the access log too)
    upgrade(get_settings())
    port = free_port()
    server = subprocess.Popen(
        [str(C360), "serve", "--port", str(port), "--access-log"],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", verify=TLS, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
    finally:
        server.send_signal(signal.SIGINT)
        stdout, stderr = server.communicate(timeout=30)
    assert '"GET /healthz HTTP/1.1" 200' in stdout, stdout + stderr
    assert "Started server process" not in stderr  # still only warnings from uvicorn itself
