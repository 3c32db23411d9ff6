"""A real browser: `c360 dashboard` serves every page to headless Chromium, which renders it (DOM text from the
API's data, a screenshot that is not blank). Skipped where Debian's chromium is not installed (.ci/run installs it)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.browser import PAGES, blank, browser, chromium
from tests.api.conftest import Served
from tests.conftest import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(chromium() is None, reason="chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def dashboard_url(api: Served) -> Iterator[str]:
    """`c360 dashboard` on a free loopback port, reading the live test API."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("C360_")}
    env |= {"C360_DASHBOARD_API_URL": api.url, "C360_DASHBOARD_API_KEY": api.keys["dashboard"]}
    c360 = Path(sys.executable).parent / "c360"
    process = subprocess.Popen(
        [str(c360), "dashboard", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError(
                f"c360 dashboard did not start: {process.stderr.read().decode() if process.stderr else ''}"
            )
        time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_every_page_renders_in_a_real_browser(dashboard_url: str, api: Served, tmp_path: Path) -> None:
    riskiest = api.client("dashboard").get("/v1/analytics/leaderboard", params={"limit": 1}).json()["data"][0]
    tiers = api.client("dashboard").get("/v1/risk-tiers").json()["tiers"]
    high = next(t["count"] for t in tiers if t["tier"] == "High")
    shots = Path(os.environ.get("DASHBOARD_TEST_SCREENSHOTS", tmp_path))
    with browser() as tab:
        for name, (path, expect) in PAGES.items():
            query = f"?id={riskiest['subscriber_id']}" if name == "profile" else ""
            tab.load(f"{dashboard_url}/{path}{query}", expect)
            if name == "leaderboard":  # the table is a canvas: its rows are not DOM text, its count is
                tab.wait_for(f"{high} subscribers match")
            if name == "profile":
                tab.wait_for(riskiest["risk_tier"])
            text = tab.text()
            assert "Traceback" not in text and "Error" not in text.split("\n")[0], (name, text[:300])
            png = tab.screenshot(shots / f"{name}.png")
            assert png.startswith(b"\x89PNG") and not blank(png), name


def test_a_link_straight_to_a_page_shows_the_dashboards_navigation(dashboard_url: str) -> None:
    # with the pages in a folder named pages/, Streamlit's own discovery took over a fresh browser's first load of
    # a page's URL: the sidebar listed the files (app, cohorts, engagement, ...) instead of the titled sections
    with browser() as tab:
        tab.load(f"{dashboard_url}/webhooks", "Webhooks")
        tab.wait_for("Churn risk leaderboard")
        lines = tab.text().splitlines()
    assert "Operations" in lines and "app" not in lines and "model health" not in lines
