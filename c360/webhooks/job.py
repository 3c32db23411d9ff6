"""The worker job of webhooks: runs the delivery engine in a thread of its own, so its waits on
receivers never hold up the worker's other jobs; each tick restarts the engine if it died, reports
what was delivered, and now and then prunes old messages."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from c360.serving.store import Store
from c360.settings import Settings
from c360.webhooks import messages
from c360.webhooks.delivery import Engine

log = logging.getLogger(__name__)
_PRUNE_EVERY = 3600.0


@dataclass
class WebhookJob:
    """Worker job: deliver webhook messages (C360_WEBHOOK_*)."""

    settings: Settings
    name: str = "webhooks"
    interval: float = 1.0
    report: Callable[[str], None] = log.info
    once: bool = False  # `c360 worker --once`: each tick delivers what is due, in this thread, and returns
    _thread: threading.Thread | None = field(default=None, repr=False)
    _pruned_at: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self.engine = Engine(self.settings)  # refuses to start without C360_SECRET_KEY outside development
        self._store = Store.from_settings(self.settings)

    def tick(self) -> None:
        """Keep the engine running (or, once, run it until nothing is due); report; prune."""
        if self.once:
            self.engine.run_until_idle()
        elif self._thread is None or not self._thread.is_alive():
            if self._thread is not None:
                log.error("webhooks: the delivery engine stopped unexpectedly; starting it again")
            self._thread = threading.Thread(target=self.engine.run_forever, name="c360-webhooks", daemon=True)
            self._thread.start()
        totals = self.engine.take_totals()
        if totals.delivered or totals.failed or totals.retrying:
            line = f"webhooks: {totals.delivered:,} delivered, {totals.retrying:,} to retry, {totals.failed:,} failed"
            self.report(line + (f" ({totals.why()})" if totals.reasons else ""))
        for line in totals.disabled:
            self.report(f"webhooks: endpoint disabled: {line}")
        if time.monotonic() - self._pruned_at > _PRUNE_EVERY:
            self._pruned_at = time.monotonic()
            messages.prune(self._store, retention_days=self.settings.webhook_retention_days)

    def close(self) -> None:
        """Stop the engine, letting the attempts in flight finish and be recorded (the worker calls it when it
        stops: SIGTERM, Ctrl-C)."""
        if self._thread is not None and self._thread.is_alive():
            self.engine.stop()
            self._thread.join(self.settings.webhook_timeout + 5)
