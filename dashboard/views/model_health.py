"""Model health: the current model and its gate, calibration, feature importance, drift, tiers over time."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, ui

PSI_ALERT = 0.2


def main() -> None:
    served = ui.page(
        "Model health",
        "The churn model behind the served scores: its deploy-gate metrics, realised calibration once 30-day "
        "outcomes are known, feature importance and drift (the model registry and FCT_SCORING_MONITOR, via the API).",
    )
    registered = data.models(served.url, served.run_id)
    current = next((m for m in registered if m["model_version"] == served.model_version), None)
    if current is None:
        st.warning(f"Model {served.model_version} of the served run is not in the registry.")
    else:
        gate_metrics(current)
    details = data.model_details(served.url, served.run_id, served.model_version)
    left, right = st.columns(2)
    with left:
        st.subheader("Calibration")
        calibration(details["performance"])
    with right:
        st.subheader("Feature importance")
        importance = pd.DataFrame(details["importance"], columns=["feature", "label", "rank", "importance"])
        if importance.empty:
            st.caption("No feature importance recorded for this model.")
        else:
            bars = (
                alt.Chart(importance)
                .mark_bar(color="#1f77b4")
                .encode(
                    x=alt.X("importance:Q", title="mean |SHAP|"),
                    y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
                    tooltip=["label:N", "feature:N", alt.Tooltip("importance:Q", format=".4f")],
                )
            )
            st.altair_chart(bars.properties(height=max(120, 26 * len(importance))), use_container_width=True)
    st.subheader("Drift per feature (PSI)")
    drift = data.drift(served.url, served.run_id)
    if drift.empty:
        st.caption("No scoring run has been monitored yet.")
    else:
        lines = alt.Chart(drift).mark_line(point=True).encode(
            x=alt.X("score_date:T", title="score date"), y=alt.Y("psi:Q", title="PSI"), color="feature:N",
            tooltip=["score_date:T", "feature:N", alt.Tooltip("psi:Q", format=".3f")],
        )  # fmt: skip
        rule = alt.Chart(pd.DataFrame({"psi": [PSI_ALERT]})).mark_rule(strokeDash=[4, 4], color="red").encode(y="psi:Q")
        st.altair_chart((lines + rule).properties(height=280), use_container_width=True)
    st.subheader("Risk tiers over time")
    tiers = data.tier_history(served.url, served.run_id)
    scale = alt.Scale(domain=list(ui.TIER_COLORS), range=list(ui.TIER_COLORS.values()))
    # an area needs two dates to have a width: the first served run shows as one stacked bar
    chart = alt.Chart(tiers)
    chart = chart.mark_area() if tiers["score_date"].nunique() > 1 else chart.mark_bar(size=40)
    area = chart.encode(
        x=alt.X("score_date:T", title="score date"), y=alt.Y("subscribers:Q", stack=True),
        color=alt.Color("tier:N", scale=scale, sort=list(ui.TIER_COLORS)),
        tooltip=["score_date:T", "tier:N", "subscribers:Q", alt.Tooltip("mean_score:Q", format=".3f")],
    )  # fmt: skip
    st.altair_chart(area.properties(height=260), use_container_width=True)
    with st.expander("Every registered model"):
        st.dataframe(
            pd.DataFrame(registered, columns=["model_version", "status", "trained_at", "decision"]), hide_index=True
        )


def gate_metrics(model: dict[str, Any]) -> None:
    st.markdown(f"**{model['model_version']}** · {model['status']} · trained {model['trained_at'][:16]} · "
                f"{model['decision']}")  # fmt: skip
    metrics = model.get("metrics") or {}
    cols = st.columns(4)
    for col, (name, label) in zip(
        cols, [("roc_auc", "Test ROC AUC"), ("pr_auc", "Test PR AUC"), ("brier", "Brier score"),
               ("calibration_error", "Calibration error")], strict=True
    ):  # fmt: skip
        value = metrics.get(name)
        col.metric(label, f"{value:.3f}" if isinstance(value, int | float) else "–")
    if model.get("gate"):
        st.dataframe(pd.DataFrame(model["gate"]), hide_index=True)


def calibration(performance: list[dict[str, Any]]) -> None:
    """Predicted against observed churn per decile of the newest closed score date."""
    closed = [p for p in performance if p.get("deciles")]
    if not closed:
        st.caption("No score date of this model has a closed 30-day outcome window yet.")
        return
    latest = closed[-1]
    frame = pd.DataFrame(latest["deciles"])
    diagonal = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(strokeDash=[4, 4], color="gray")
    points = (
        alt.Chart(frame)
        .mark_line(point=True, color="#d62728")
        .encode(
            x=alt.X("predicted:Q", title="predicted churn", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("observed:Q", title="observed churn", scale=alt.Scale(domain=[0, 1])),
            tooltip=[
                "decile:Q",
                "rows:Q",
                alt.Tooltip("predicted:Q", format=".3f"),
                alt.Tooltip("observed:Q", format=".3f"),
            ],
        )
    )
    st.altair_chart((diagonal.encode(x="x:Q", y="y:Q") + points).properties(height=280), use_container_width=True)
    st.caption(f"Scores of {latest['score_date']}; realised ROC AUC {latest['metrics'].get('roc_auc')}.")


try:
    main()
except data.Unavailable as exc:
    ui.stop_on(exc)
