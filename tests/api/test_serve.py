"""`c360 serve` as a user runs it: refuses an unmigrated store, serves with one or several workers."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from c360.auth.keys import create_key
from c360.serving.migrate import upgrade
from c360.serving.store import Store
from c360.settings import get_settings
from tests.conftest import C360, TLS, free_port, run_cli


def wait_until_up(url: str, server: subprocess.Popen[Any]) -> None:
    """Until ``c360 serve`` at ``url`` answers /healthz (it fails when the server exits or 30 s pass)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", verify=TLS, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.1)


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
        wait_until_up(url, server)
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
        wait_until_up(f"http://127.0.0.1:{port}", server)
    finally:
        server.send_signal(signal.SIGINT)
        stdout, stderr = server.communicate(timeout=30)
    assert '"GET /healthz HTTP/1.1" 200' in stdout, stdout + stderr
    assert "Started server process" not in stderr  # still only warnings from uvicorn itself


@pytest.mark.parametrize(("trusted", "limited_apart"), [("127.0.0.1", True), ("10.9.9.9", False)])
def test_serve_counts_failed_authentications_by_the_forwarded_address_of_a_trusted_proxy(
    home: Path, monkeypatch: pytest.MonkeyPatch, trusted: str, limited_apart: bool
) -> None:
    """Behind a load balancer every client had its address: one client's failures locked out the others.
    With the balancer's addresses in C360_API_FORWARDED_ALLOW_IPS each client is counted by its own."""
    monkeypatch.setenv("C360_API_AUTH_FAILURE_LIMIT", "2")
    monkeypatch.setenv("C360_API_FORWARDED_ALLOW_IPS", trusted)
    settings = get_settings()
    upgrade(settings)
    _, key = create_key(Store.from_settings(settings), name="crm", scopes=["scores:read"])
    port = free_port()
    server = subprocess.Popen([str(C360), "serve", "--port", str(port)], env=os.environ.copy(), stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, server)
        bad = {"Authorization": "Bearer c360_0badc0de_" + "x" * 43, "X-Forwarded-For": "203.0.113.1"}
        statuses = [httpx.get(f"{url}/v1/risk-tiers", headers=bad).status_code for _ in range(3)]
        assert statuses == [401, 401, 429]
        other = {"Authorization": f"Bearer {key}", "X-Forwarded-For": "203.0.113.2"}  # a key not seen before
        status = httpx.get(f"{url}/v1/risk-tiers", headers=other).status_code
        assert status == (404 if limited_apart else 429)  # 404: nothing published, but let through
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
