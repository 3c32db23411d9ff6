"""How good the probabilities are: ranking (ROC AUC, PR AUC), accuracy (Brier), calibration, and the
precision and recall of the High tier. Used for the registry's test metrics and by the backtest.

In numpy, with scikit-learn's definitions (ties in ROC AUC count half; PR AUC is average precision over
the distinct scores), so the backtest does not pay scikit-learn's import; tests compare the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

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
        "pr_auc": average_precision(y, p),
        "brier": float(np.mean((p - y) ** 2)),
        "precision_at_high": hits / int(flagged.sum()) if flagged.any() else 0.0,
        "recall_at_high": hits / int(y.sum()),
        "high_share": float(flagged.mean()),
        "base_rate": float(y.mean()),
        "mean_predicted": float(p.mean()),
        "high_threshold": float(high_threshold),
    }


def auc(y: Labels, score: F64) -> float:
    """ROC AUC of any score (e.g. the generator's true probability): Mann-Whitney, ties count half."""
    order = np.argsort(score, kind="stable")
    ranked = score[order]
    starts = np.flatnonzero(np.concatenate([[True], ranked[1:] != ranked[:-1]]))
    ends = np.concatenate([starts[1:], [len(score)]])
    ranks = np.empty(len(score))
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)  # average rank of each tie
    positives = int(y.sum())
    negatives = len(y) - positives
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def average_precision(y: Labels, score: F64) -> float:
    """PR AUC as average precision: sum over distinct scores (high to low) of precision x recall gained."""
    order = np.argsort(-score, kind="stable")
    ranked, hits = score[order], y[order]
    last_of_tie = np.concatenate([ranked[1:] != ranked[:-1], [True]])
    true_positives = np.cumsum(hits)[last_of_tie]
    flagged = (np.flatnonzero(last_of_tie) + 1).astype(np.float64)
    recall = true_positives / true_positives[-1]
    gained = np.diff(np.concatenate([[0.0], recall]))
    return float(np.sum(gained * true_positives / flagged))


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
