"""The backtest's calibration plot: predicted against observed churn by decile, on log axes."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, never a window

import matplotlib.pyplot as plt

from c360.model.metrics import Decile


def calibration_plot(
    path: Path,
    deciles: list[Decile],
    oracle: list[Decile],
    *,
    title: str,
    model_auc: float,
    oracle_auc: float | None,
) -> Path:
    """Write the reliability diagram to ``path`` (PNG); points on the diagonal are calibrated."""
    figure, axes = plt.subplots(figsize=(6, 5.5), dpi=110)
    floor = 1e-3  # log axes: deciles that saw no cancellation are drawn at 0.1 %
    values = [d.predicted for d in deciles] + [d.observed for d in deciles]
    values += [d.predicted for d in oracle] + [d.observed for d in oracle]
    low, high = max(min(values), floor) / 1.5, min(max(values) * 1.5, 1.0)
    axes.plot([low, high], [low, high], color="grey", linestyle="--", linewidth=1, label="perfect calibration")
    axes.plot(
        [d.predicted for d in deciles],
        [max(d.observed, floor) for d in deciles],
        marker="o",
        label=f"churn model (ROC AUC {model_auc:.3f})",
    )
    if oracle:
        axes.plot(
            [d.predicted for d in oracle],
            [max(d.observed, floor) for d in oracle],
            marker="s",
            alpha=0.7,
            label=f"generator's oracle (ROC AUC {oracle_auc:.3f})" if oracle_auc is not None else "oracle",
        )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlim(low, high)
    axes.set_ylim(low, high)
    axes.set_xlabel("predicted probability of cancelling within 30 days (decile mean)")
    axes.set_ylabel("observed share that cancelled")
    axes.set_title(title, fontsize=10)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(loc="upper left", fontsize=9)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, metadata={"Software": None})  # no version stamp: same data, same bytes
    plt.close(figure)
    return path
