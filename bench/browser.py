"""Headless Chromium (Debian's ``chromium``) driven over the DevTools protocol: load a page, wait until its
text shows, read the DOM text, take a screenshot. Used by the dashboard's browser test and benchmark, and
to take the README's screenshots:

    python -m bench.browser http://127.0.0.1:8501 docs/img   # one PNG per dashboard page
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

# url path of each page (st.navigation names them after their files) and a text it shows once rendered
PAGES = {
    "leaderboard": ("", "subscribers match"),
    "profile": ("profile", "support (90 days)"),
    "engagement": ("engagement", "Bot traffic filtered out"),
    "cohorts": ("cohorts", "Churn rate by cohort"),
    "model_health": ("model_health", "Risk tiers over time"),
    "webhooks": ("webhooks", "Webhooks"),
}
WIDTH, HEIGHT = 1400, 1000
# still rendering: the script runs (status widget), or elements wait for their code (skeletons)
_SCROLL_HEIGHT = (
    'Math.max(0, ...Array.from(document.querySelectorAll(\'[data-testid="stMain"], '
    '[data-testid="stAppViewContainer"], section.main\'), e => e.scrollHeight))'
)
_BUSY = 'document.querySelector(\'[data-testid="stStatusWidget"], [data-testid="stSkeletonElement"]\') !== null'


def chromium() -> str | None:
    """The chromium binary, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium with one tab, spoken to over its DevTools websocket."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws, self._ids = ws, itertools.count(1)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a DevTools method and return its result (events meanwhile are skipped)."""
        message_id = next(self._ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            answer = json.loads(self.ws.recv(timeout=60))
            if answer.get("id") == message_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result

    def text(self) -> str:
        """The page's visible text."""
        found = self.send("Runtime.evaluate", expression="document.body ? document.body.innerText : ''")
        return str(found.get("result", {}).get("value", ""))

    def load(self, url: str, expect: str, *, timeout: float = 60) -> float:
        """Open ``url`` and wait until it shows ``expect``, nothing is running and its text holds still (a rerun
        can start before the status widget says so); the seconds until it first showed ``expect`` at rest."""
        started = time.perf_counter()
        self.send("Page.navigate", url=url)
        return self.wait_for(expect, timeout=timeout, since=started)

    def wait_for(self, expect: str, *, timeout: float = 60, since: float | None = None) -> float:
        """Wait until the page shows ``expect`` at rest (see load); seconds from ``since`` (default: now)."""
        started = since if since is not None else time.perf_counter()
        deadline, previous, shown = started + timeout, None, None
        while time.perf_counter() < deadline:
            text = self.text()
            busy = self.send("Runtime.evaluate", expression=_BUSY)["result"].get("value")
            if expect in text and not busy:
                shown = shown if shown is not None else time.perf_counter() - started
                if text == previous:
                    return shown
            else:
                shown = None
            previous = text
            time.sleep(0.25)
        raise TimeoutError(f"the page did not show {expect!r} within {timeout} s; it shows: {self.text()[:500]!r}")

    def screenshot(self, path: Path, *, settle: float = 3.0) -> bytes:
        """A PNG of the whole page."""
        metrics = self.send("Page.getLayoutMetrics")
        # Streamlit scrolls its main block inside a fixed-height document: measure that block's content too
        inner = self.send("Runtime.evaluate", expression=_SCROLL_HEIGHT)["result"].get("value") or 0
        height = int(min(max(metrics["cssContentSize"]["height"], inner, HEIGHT), 4000))
        self.send("Emulation.setDeviceMetricsOverride", width=WIDTH, height=height, deviceScaleFactor=1, mobile=False)
        time.sleep(settle)  # let widgets and charts load their code and lay out at the new size
        png = base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"])
        self.send("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        return png


@contextlib.contextmanager
def browser(binary: str | None = None) -> Iterator[Browser]:
    """A headless Chromium on a free loopback debugging port; closed on exit."""
    binary = binary or chromium()
    if binary is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    profile = tempfile.mkdtemp(prefix="c360-chromium-")
    process = subprocess.Popen(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            f"--window-size={WIDTH},{HEIGHT}",
            "--hide-scrollbars",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = Path(profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            tabs = [t for t in json.load(answer) if t["type"] == "page"]
        with connect(tabs[0]["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024) as ws:
            tab = Browser(ws)
            tab.send("Page.enable")
            tab.send(
                "Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False
            )
            yield tab
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


def blank(png: bytes) -> bool:
    """Whether a PNG is (nearly) one colour: a page that rendered nothing. Compressed size is a fair proxy."""
    return len(png) < 20_000


def main(argv: list[str]) -> int:
    """Screenshot every page of the dashboard at argv[0] into the folder argv[1] (the profile of argv[2])."""
    base, out = argv[0].rstrip("/"), Path(argv[1])
    subscriber = argv[2] if len(argv) > 2 else ""
    with browser() as tab:
        for name, (path, expect) in PAGES.items():
            url = f"{base}/{path}" + (f"?id={subscriber}" if name == "profile" and subscriber else "")
            seconds = tab.load(url, expect)
            png = tab.screenshot(out / f"dashboard-{name}.png")
            print(f"{name}: {seconds:.2f} s, {len(png):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
