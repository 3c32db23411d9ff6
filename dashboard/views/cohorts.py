"""Cohort analysis: retention of signup-month cohorts, and churn by cohort, plan and segment."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, ui


def main() -> None:
    served = ui.page(
        "Cohort analysis",
        "Subscribers grouped by signup month: the share still subscribed each month after signing up, and the "
        "share cancelled by the served run's score date (profiles of the served run; GET /v1/analytics/cohorts).",
    )
    body = data.cohorts(served.url, served.run_id)
    matrix = pd.DataFrame(
        [
            {"cohort": c["cohort"][:7], "month": m["month"], "retention": m["rate"], "subscribers": m["subscribers"]}
            for c in body["cohorts"]
            for m in c["retention"]
        ],
        columns=["cohort", "month", "retention", "subscribers"],
    )
    if matrix.empty:
        st.info("No subscribers with a signup date in the served run.")
        return
    st.subheader("Retention by signup month")
    heat = (
        alt.Chart(matrix)
        .mark_rect()
        .encode(
            x=alt.X("month:O", title="months since signup"),
            y=alt.Y("cohort:O", title="signup month", sort="descending"),
            color=alt.Color("retention:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]), title="retained"),
            tooltip=["cohort:O", "month:O", alt.Tooltip("retention:Q", format=".1%"), "subscribers:Q"],
        )
    )
    labels = heat.mark_text(fontSize=10).encode(
        text=alt.Text("retention:Q", format=".0%"),
        color=alt.condition("datum.retention > 0.6", alt.value("white"), alt.value("black")),
    )
    st.altair_chart(
        (heat + labels).properties(height=max(200, 24 * matrix["cohort"].nunique())), use_container_width=True
    )
    st.subheader("Churn rate by cohort")
    split = st.radio("Split by", ["plan", "segment"], horizontal=True, key="split")
    churn = pd.DataFrame(body["churn"], columns=["cohort", "plan", "segment", "subscribers", "cancelled", "churn_rate"])
    grouped = churn.groupby([churn["cohort"].str[:7], split])[["subscribers", "cancelled"]].sum().reset_index()
    grouped["churn_rate"] = grouped["cancelled"] / grouped["subscribers"]
    bars = (
        alt.Chart(grouped)
        .mark_bar()
        .encode(
            x=alt.X("cohort:O", title="signup month"),
            xOffset=f"{split}:N",
            y=alt.Y("churn_rate:Q", title="cancelled by the score date", axis=alt.Axis(format="%")),
            color=alt.Color(f"{split}:N"),
            tooltip=[
                "cohort:O",
                f"{split}:N",
                "subscribers:Q",
                "cancelled:Q",
                alt.Tooltip("churn_rate:Q", format=".1%"),
            ],
        )
    )
    st.altair_chart(bars.properties(height=300), use_container_width=True)
    st.dataframe(grouped, hide_index=True, column_config={"churn_rate": st.column_config.NumberColumn(format="%.3f")})


try:
    main()
except data.Unavailable as exc:
    ui.stop_on(exc)
