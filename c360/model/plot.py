"""The backtest's plots (PNG): reliability, lift and gains, SHAP summary, PSI and AUC over time.

Every axis shows the data as it is: linear probability axes that start at 0 (an observed 0 is drawn
at 0), the number of rows behind each point in the legend, reference lines labelled.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, never a window

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from c360.model.metrics import Decile

F64 = NDArray[np.float64]
PSI_WATCH, PSI_SHIFT = 0.10, 0.25


def _save(figure: Figure, path: Path) -> Path:
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, metadata={"Software": None})  # no version stamp: same data, same bytes
    plt.close(figure)
    return path


def reliability_plot(
    path: Path, deciles: list[Decile], oracle: list[Decile], *, title: str, model_auc: float, oracle_auc: float | None
) -> Path:
    """Predicted against observed churn by decile of predicted risk, on linear axes from 0."""
    figure, axes = plt.subplots(figsize=(6, 5.5), dpi=110)
    values = [d.predicted for d in deciles + oracle] + [d.observed for d in deciles + oracle]
    top = max(values) * 1.08 if values else 1.0
    axes.plot([0, top], [0, top], color="grey", linestyle="--", linewidth=1, label="perfect calibration")
    rows = sum(d.rows for d in deciles)
    axes.plot(
        [d.predicted for d in deciles],
        [d.observed for d in deciles],
        marker="o",
        label=f"churn model, ROC AUC {model_auc:.3f} ({rows:,} rows, 10 deciles)",
    )
    if oracle:
        axes.plot(
            [d.predicted for d in oracle],
            [d.observed for d in oracle],
            marker="s",
            alpha=0.7,
            label=f"generator's oracle, ROC AUC {oracle_auc:.3f}" if oracle_auc is not None else "oracle",
        )
    axes.set_xlim(0, top)
    axes.set_ylim(0, top)
    axes.set_aspect("equal")
    axes.set_xlabel("predicted probability of cancelling within 30 days (decile mean)")
    axes.set_ylabel("observed share that cancelled within 30 days")
    axes.set_title(title, fontsize=10)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left", fontsize=8)
    return _save(figure, path)


def gains_plot(path: Path, y: NDArray[np.bool_], scores: dict[str, F64], *, title: str) -> Path:
    """Cumulative gains (share of cancellations among the top x % by score) and lift by decile."""
    figure, (gains, lift) = plt.subplots(1, 2, figsize=(11, 4.8), dpi=110)
    share = np.arange(1, len(y) + 1) / len(y)
    gains.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="random")
    base = float(y.mean())
    width = 0.8 / max(len(scores), 1)
    for i, (name, score) in enumerate(scores.items()):
        order = np.argsort(-score, kind="stable")
        captured = np.cumsum(y[order]) / max(int(y.sum()), 1)
        gains.plot(share, captured, label=name)
        parts = np.array_split(order, 10)  # decile 1 = the riskiest tenth
        lifts = [float(y[part].mean()) / base if base else 0.0 for part in parts]
        lift.bar(np.arange(1, 11) + (i - (len(scores) - 1) / 2) * width, lifts, width=width, label=name)
    gains.set_xlabel("share of subscribers contacted, riskiest first")
    gains.set_ylabel("share of the cancellations among them")
    gains.set_xlim(0, 1)
    gains.set_ylim(0, 1)
    gains.grid(True, alpha=0.3)
    gains.legend(loc="lower right", fontsize=8)
    gains.set_title("cumulative gains", fontsize=10)
    lift.axhline(1.0, color="grey", linestyle="--", linewidth=1, label="no lift")
    lift.set_xticks(range(1, 11))
    lift.set_xlabel("decile of predicted risk (1 = riskiest tenth)")
    lift.set_ylabel("cancellation rate / overall rate")
    lift.set_title(f"lift by decile (overall rate {base:.2%})", fontsize=10)
    lift.legend(fontsize=8)
    lift.grid(True, axis="y", alpha=0.3)
    figure.suptitle(title, fontsize=10)
    return _save(figure, path)


def shap_summary_plot(
    path: Path, features: list[str], contributions: F64, values: F64, *, title: str, max_points: int = 3000
) -> Path:
    """Each feature's SHAP values (calibrated log-odds) per subscriber, coloured by the feature's value
    rank, features by mean |SHAP|, the largest on top."""
    order = np.argsort(np.abs(contributions).mean(axis=0))
    rng = np.random.default_rng(0)
    rows = rng.choice(len(contributions), size=min(max_points, len(contributions)), replace=False)
    figure, axes = plt.subplots(figsize=(8, 0.45 * len(features) + 1.5), dpi=110)
    points = None
    for position, j in enumerate(order):
        shap = contributions[rows, j]
        raw = values[rows, j]
        ranks = np.argsort(np.argsort(raw, kind="stable"), kind="stable") / max(len(raw) - 1, 1)
        jitter = rng.uniform(-0.3, 0.3, len(rows))
        points = axes.scatter(shap, position + jitter, c=ranks, cmap="coolwarm", s=4, alpha=0.6, linewidths=0)
    axes.axvline(0, color="grey", linewidth=1)
    axes.set_yticks(range(len(order)))
    mean_abs = np.abs(contributions).mean(axis=0)
    axes.set_yticklabels([f"{features[j]} ({mean_abs[j]:.3f})" for j in order], fontsize=8)
    axes.set_xlabel("SHAP value: contribution to the calibrated log-odds of churn (mean |SHAP| in brackets)")
    axes.set_title(f"{title}\n{len(rows):,} of {len(contributions):,} subscribers", fontsize=10)
    if points is not None:
        bar = figure.colorbar(points, ax=axes, pad=0.01)
        bar.set_label("feature value, rank (low to high)")
    return _save(figure, path)


def psi_plot(path: Path, days: list[date], psi: dict[str, list[float]], *, title: str) -> Path:
    """PSI of each feature against its model's training population, per backtest day."""
    figure, axes = plt.subplots(figsize=(11, 5), dpi=110)
    x = np.array(days, dtype="datetime64[D]")
    colours = plt.get_cmap("tab20")
    for i, (name, values) in enumerate(sorted(psi.items(), key=lambda kv: -max(kv[1]))):
        axes.plot(x, values, marker="o", markersize=3, label=name, color=colours(i % 20))
    axes.axhline(PSI_WATCH, color="orange", linestyle=":", linewidth=1, label=f"{PSI_WATCH} worth a look")
    axes.axhline(PSI_SHIFT, color="red", linestyle="--", linewidth=1, label=f"{PSI_SHIFT} shifted (alert)")
    axes.set_ylim(0, max(PSI_SHIFT * 1.2, max((max(v) for v in psi.values()), default=0) * 1.1))
    axes.set_xlabel("backtest day (snapshot date)")
    axes.set_ylabel("population stability index")
    axes.set_title(title, fontsize=10)
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the lines, never over them
    figure.autofmt_xdate()
    return _save(figure, path)


def walk_forward_plot(
    path: Path, days: list[date], model_auc: list[float], oracle_auc: list[float | None], *, title: str
) -> Path:
    """ROC AUC of the walk-forward models per day, the oracle's beside it."""
    figure, axes = plt.subplots(figsize=(9, 4.5), dpi=110)
    x = np.array(days, dtype="datetime64[D]")
    axes.plot(x, model_auc, marker="o", label="model (out of sample when trained by that day)")
    if any(a is not None for a in oracle_auc):
        axes.plot(x, [np.nan if a is None else a for a in oracle_auc], marker="s", label="generator's oracle")
    axes.axhline(0.80, color="red", linestyle="--", linewidth=1, label="deploy gate 0.80")
    axes.set_ylim(0.5, 1.0)
    axes.set_xlabel("backtest day (snapshot date)")
    axes.set_ylabel("ROC AUC over the following 30 days")
    axes.set_title(title, fontsize=10)
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=8, loc="lower left")
    figure.autofmt_xdate()
    return _save(figure, path)
