"""Churn risk leaderboard: the riskiest subscribers, filtered, with a click-through and a CSV export."""

from __future__ import annotations

import streamlit as st

from dashboard import data, ui

PROFILE_PAGE = "views/profile.py"


def main() -> None:
    served = ui.page(
        "Churn risk leaderboard",
        "Scored subscribers of the served run, riskiest first: churn risk is the model's probability of "
        "cancelling within 30 days (GET /v1/analytics/leaderboard). Filter, open a profile, or export the audience.",
    )
    groups = data.cohorts(served.url, served.run_id)["churn"]
    left, middle, right, last = st.columns([2, 2, 3, 2])
    tiers = left.multiselect("Risk tier", ["High", "Medium", "Low"], default=["High"], key="tiers")
    plans = middle.multiselect("Plan", sorted({g["plan"] for g in groups}), key="plans")
    segments = right.multiselect("Segment", sorted({g["segment"] for g in groups}), key="segments")
    min_score = last.slider("Minimum score", 0.0, 1.0, 0.0, 0.01, key="min_score")
    limit = st.sidebar.number_input("Rows at most", 10, 10_000, 500, step=100, key="limit")
    table = data.leaderboard(
        served.url, served.run_id, tuple(tiers), tuple(plans), tuple(segments), float(min_score), int(limit)
    )
    if len(table) < limit:
        st.markdown(f"**{len(table):,}** subscribers match.")
    else:  # the API returns at most `limit` rows: more may match
        st.markdown(f"The riskiest **{len(table):,}** shown; more subscribers match (raise *Rows at most*).")
    picked = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="board",
        column_config={
            "churn_risk_score": st.column_config.ProgressColumn("churn risk", min_value=0, max_value=1, format="%.3f"),
            "lifetime_value": st.column_config.NumberColumn("lifetime value", format="$%.2f"),
        },
    )
    st.download_button(
        "Download the audience (CSV)",
        table.to_csv(index=False).encode(),
        file_name=f"churn-risk-{served.score_date}.csv",
        mime="text/csv",
        key="download",
    )
    rows = picked.selection.rows if picked is not None else []  # click a row to open the profile
    if rows:
        open_profile(str(table.iloc[rows[0]]["subscriber_id"]))
    choice = st.selectbox("Open a profile", table["subscriber_id"].tolist(), index=None, key="open")
    if choice:
        open_profile(choice)


def open_profile(subscriber_id: str) -> None:
    st.session_state["subscriber_id"] = subscriber_id
    st.switch_page(PROFILE_PAGE)


try:
    main()
except data.Unavailable as exc:
    ui.stop_on(exc)
