"""How good the probabilities are: ranking (ROC AUC, PR AUC), accuracy (Brier), calibration, and the
precision and recall of the High tier. Used for the registry's test metrics and by the backtest.

Ranking and accuracy are scikit-learn's (``roc_auc_score``, ``average_precision_score``,
``brier_score_loss``); calibration by deciles of predicted risk (equal row counts, not equal widths) and the
tier's figures are ours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

F64 = NDArray[np.float64]
Labels = NDArray[np.bool_]


@dataclass(frozen=True)
class Decile:
    """One tenth of the rows by predicted probability: what was predicted and what happened."""

    decile: int  # 1 = lowest predicted risk
    rows: int
    predicted: float  # mean predicted probability
    observed: float  # share that cancelled


def classification_metrics(y: Labels, p: F64, high_threshold: float) -> dict[str, float]:
    """ROC AUC, PR AUC (average precision), Brier score, calibration error, top-decile lift and the High
    tier's precision and recall."""
    if len(y) == 0 or y.all() or not y.any():
        raise ValueError("metrics need both cancelled and retained subscribers")
    flagged = p >= high_threshold
    hits = int((flagged & y).sum())
    deciles = calibration_by_decile(y, p)
    return {
        "calibration_error": calibration_error(deciles),
        "top_decile_lift": deciles[-1].observed / float(y.mean()),
        "roc_auc": auc(y, p),
        "pr_auc": float(average_precision_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "precision_at_high": hits / int(flagged.sum()) if flagged.any() else 0.0,
        "recall_at_high": hits / int(y.sum()),
        "high_share": float(flagged.mean()),
        "base_rate": float(y.mean()),
        "mean_predicted": float(p.mean()),
        "high_threshold": float(high_threshold),
    }


def auc(y: Labels, score: F64) -> float:
    """ROC AUC of any score (e.g. the generator's true probability); ties count half."""
    return float(roc_auc_score(y, score))


def calibration_by_decile(y: Labels, p: F64, bins: int = 10) -> list[Decile]:
    """Rows split into ``bins`` equal groups by predicted probability (ties kept in order of rows)."""
    order = np.argsort(p, kind="stable")
    return [
        Decile(i + 1, len(part), float(p[part].mean()), float(y[part].mean()))
        for i, part in enumerate(np.array_split(order, bins))
        if len(part)
    ]


def calibration_error(deciles: list[Decile]) -> float:
    """Expected calibration error: mean |predicted - observed| over the deciles, weighted by their rows."""
    rows = sum(d.rows for d in deciles)
    return sum(d.rows * abs(d.predicted - d.observed) for d in deciles) / rows if rows else 0.0
