"""Prometheus metrics of the API: requests and latency by route and status, cache hits, served-run age.

Each app has its own registry (tests build many apps in one process). With several worker processes
(``c360 serve --workers N``) ``c360 serve`` sets PROMETHEUS_MULTIPROC_DIR and /metrics adds up every
process's samples; the served-run age is computed at scrape time from the serving store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class ServedRunCollector(Collector):
    """Gauges computed when scraped: the served run's age, and this process's cache hit ratio."""

    def __init__(self, scored_at: Callable[[], datetime | None], hit_ratio: Callable[[], float | None]) -> None:
        self._scored_at, self._hit_ratio = scored_at, hit_ratio

    def collect(self) -> Iterator[Metric]:
        scored_at = self._scored_at()
        age = GaugeMetricFamily("c360_served_run_age_seconds", "Seconds since the served run was scored.")
        if scored_at is not None:
            age.add_metric([], (datetime.now(scored_at.tzinfo) - scored_at).total_seconds())
        yield age
        ratio = self._hit_ratio()
        gauge = GaugeMetricFamily("c360_api_cache_hit_ratio", "Response cache hits / lookups in this process.")
        if ratio is not None:
            gauge.add_metric([], ratio)
        yield gauge


class Metrics:
    """The API's metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "c360_api_requests", "HTTP requests by route and status.", ["method", "route", "status"],
            registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "c360_api_request_duration_seconds", "Time to answer, by route.", ["method", "route"],
            buckets=BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.cache = Counter(
            "c360_api_cache_lookups", "Response cache lookups by result.", ["result"], registry=self.registry
        )
        self._hits = {"hit": 0, "miss": 0}
        # the labelled series, looked up once: prometheus_client's labels() costs more than a cache hit's answer
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self._lookups = {result: self.cache.labels(result) for result in self._hits}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Record one answered request."""
        series = self._series.get((method, route, status))
        if series is None:
            series = (self.requests.labels(method, route, str(status)), self.latency.labels(method, route))
            self._series[method, route, status] = series
        series[0].inc()
        series[1].observe(seconds)

    def count_cache(self, result: str) -> None:
        """Record a cache lookup: ``hit`` or ``miss``."""
        self._hits[result] += 1
        self._lookups[result].inc()

    def hit_ratio(self) -> float | None:
        """Hits / lookups in this process so far (None before the first lookup)."""
        total = self._hits["hit"] + self._hits["miss"]
        return self._hits["hit"] / total if total else None

    def render(self, extra: Collector) -> bytes:
        """The exposition text: this process's metrics, or every worker's in multiprocess mode."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            registry.register(extra)
            return generate_latest(registry)
        scrape = CollectorRegistry()
        scrape.register(_Forward(self.registry))
        scrape.register(extra)
        return generate_latest(scrape)


class _Forward(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self._registry.collect()
