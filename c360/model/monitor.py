"""Monitoring of each scoring run: feature drift against the training population, score distribution
and tier counts, one value per row of FCT_SCORING_MONITOR.

Drift is the population stability index (PSI) of each feature: the training rows are cut into deciles
(numeric features; ties merge bins) or categories, and PSI = sum((a - e) * ln(a / e)) over the bins,
e and a the training and scoring shares. The usual reading: below 0.10 stable, 0.10-0.25 worth a look,
above 0.25 a shift the model did not see in training.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from c360.model.features import FEATURES, Snapshots
from c360.warehouse import DuckDBConnection

F64 = NDArray[np.float64]
MONITOR_TABLE = "SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR"
PSI_SHIFT = 0.25  # above this a feature has drifted
_FLOOR = 1e-4  # a share of 0 would make PSI infinite
QUANTILES = {"p01": 0.01, "p10": 0.10, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p90": 0.90, "p99": 0.99}
TIERS = ("High", "Medium", "Low")

# per feature: {"edges": [...], "shares": [...]} (numeric) or {"categories": [...], "shares": [...]}
Reference = dict[str, dict[str, list[Any]]]


def reference_bins(rows: Snapshots) -> Reference:
    """Each feature's bins and their shares in the training rows: what scoring populations are compared to."""
    reference: Reference = {}
    for feature in FEATURES:
        values = rows.columns[feature.name]
        if feature.kind == "numeric":
            edges = np.unique(np.quantile(values.astype(np.float64), np.linspace(0.1, 0.9, 9)))
            reference[feature.name] = {"edges": edges.tolist(), "shares": _numeric_shares(values, edges).tolist()}
        else:
            categories, counts = np.unique(values.astype(str), return_counts=True)
            shares = counts / max(counts.sum(), 1)
            reference[feature.name] = {"categories": categories.tolist(), "shares": shares.tolist()}
    return reference


def _numeric_shares(values: NDArray[np.float64], edges: F64) -> F64:
    bins = np.searchsorted(edges, values.astype(np.float64), side="left")
    return np.bincount(bins, minlength=len(edges) + 1) / max(len(values), 1)


def _category_shares(values: NDArray[np.object_], labels: list[str]) -> F64:
    index = {label: i for i, label in enumerate(labels)}
    codes = np.fromiter((index.get(str(v), len(labels)) for v in values), dtype=np.intp, count=len(values))
    return np.bincount(codes, minlength=len(labels) + 1) / max(len(values), 1)  # last bin: unseen categories


def psi(expected: F64, actual: F64) -> float:
    """Population stability index of two share vectors over the same bins."""
    e = np.maximum(expected, _FLOOR)
    a = np.maximum(actual, _FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def drift(reference: Reference, rows: Snapshots) -> dict[str, float]:
    """PSI of every feature of ``rows`` against the training reference."""
    out: dict[str, float] = {}
    for feature in FEATURES:
        if feature.name not in reference:  # a feature added after that model was trained
            continue
        ref = reference[feature.name]
        values = rows.columns[feature.name]
        if feature.kind == "numeric":
            actual = _numeric_shares(values, np.asarray(ref["edges"]))
            out[feature.name] = psi(np.asarray(ref["shares"]), actual)
        else:
            expected = np.append(np.asarray(ref["shares"]), 0.0)  # no training row had an unseen category
            out[feature.name] = psi(expected, _category_shares(values, list(ref["categories"])))
    return out


@dataclass(frozen=True)
class RunSummary:
    """What one scoring run produced, for the monitor table and the task's result."""

    rows: int
    tier_counts: dict[str, int]
    psi: dict[str, float]

    @property
    def drifted(self) -> list[str]:
        """Features whose PSI is above the shift threshold."""
        return sorted(name for name, value in self.psi.items() if value > PSI_SHIFT)


def summarize(reference: Reference, rows: Snapshots, scores: F64, tiers: NDArray[np.object_]) -> RunSummary:
    """Tier counts and drift of one run."""
    counts = {tier: int((tiers == tier).sum()) for tier in TIERS}
    return RunSummary(rows=len(scores), tier_counts=counts, psi=drift(reference, rows))


def record(
    conn: DuckDBConnection,
    *,
    run_id: str,
    score_date: date,
    model_version: str,
    summary: RunSummary,
    scores: F64,
) -> None:
    """Replace the score date's monitor rows with this run's (call inside the scoring transaction)."""
    values: list[tuple[str, str, float]] = [("rows", "scored", float(summary.rows))]
    values += [("psi", name, value) for name, value in summary.psi.items()]
    if len(scores):
        values.append(("score_mean", "mean", float(scores.mean())))
        values += [("score_quantile", name, float(np.quantile(scores, q))) for name, q in QUANTILES.items()]
    values += [("tier_count", tier, float(n)) for tier, n in summary.tier_counts.items()]
    values += [("tier_share", tier, n / max(summary.rows, 1)) for tier, n in summary.tier_counts.items()]
    conn.execute(f"DELETE FROM {MONITOR_TABLE} WHERE score_date = :score_date", {"score_date": score_date})
    conn.native.executemany(
        f"INSERT INTO {MONITOR_TABLE} (run_id, score_date, model_version, metric, name, value, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
        [(run_id, score_date, model_version, metric, name, value) for metric, name, value in values],
    )
