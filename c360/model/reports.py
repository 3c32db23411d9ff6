"""The plots of a backtest run, written to one directory (``c360 backtest --plot DIR``)."""

from __future__ import annotations

from pathlib import Path

from c360.model.backtest import Backtest
from c360.model.plot import gains_plot, psi_plot, reliability_plot, shap_summary_plot, walk_forward_plot


def write_plots(results: list[Backtest], directory: Path) -> list[Path]:
    """Reliability, gains/lift and SHAP summary of the last day; PSI (and, for a series, AUC) per day."""
    last = results[-1]
    stem = f"backtest-{last.as_of}"
    title = f"{last.as_of} ({last.sample})\n{last.model_version}"
    paths = [
        reliability_plot(
            directory / f"{stem}-reliability.png",
            last.deciles,
            last.oracle_deciles,
            title=f"Reliability: {title}",
            model_auc=last.metrics["roc_auc"],
            oracle_auc=last.oracle_auc,
        ),
        gains_plot(directory / f"{stem}-gains.png", last.y, {"churn model": last.p}, title=f"Lift and gains: {title}"),
    ]
    if last.contributions is not None:
        paths.append(
            shap_summary_plot(
                directory / f"{stem}-shap.png",
                last.features,
                last.contributions,
                last.x,
                title=f"SHAP summary: {title}",
            )
        )
    days = [r.as_of for r in results]
    names = sorted({name for r in results for name in r.psi})
    psi = {name: [r.psi.get(name, 0.0) for r in results] for name in names}
    span = f"{days[0]} to {days[-1]}" if len(days) > 1 else str(days[0])
    paths.append(psi_plot(directory / f"psi-{span.replace(' to ', '_')}.png", days, psi, title=f"PSI, {span}"))
    if len(results) > 1:
        paths.append(
            walk_forward_plot(
                directory / f"walk-forward-{days[0]}_{days[-1]}.png",
                days,
                [r.metrics["roc_auc"] for r in results],
                [r.oracle_auc for r in results],
                title=f"Walk-forward ROC AUC, {span}",
            )
        )
    return paths
